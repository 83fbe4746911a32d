import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Mini-Atlas: catalog entities for every workspace and request in the gitops folder (the
       * folder itself is configured under `atlas.gitops`).
       */
      atlas?: {
        /**
         * How often every entity is re-read from Git and replaced, as a safety net for a missed
         * change. Changes themselves reach the catalog within seconds without it.
         * Default: every 5 minutes, with a 3 minute timeout.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Web address of the repository on GitHub, such as https://github.com/acme/mini-atlas.
         * Entities then link to GitHub's view and edit pages of their file. Without it they
         * link to the local working tree (file:// to view, vscode://file/ to edit).
         */
        repositoryUrl?: string;
        /** Branch the GitHub links show. Default `main`. */
        branch?: string;
        /** `spec.lifecycle` of Components and APIs. Default `production`. */
        lifecycle?: string;
        /**
         * Group that owns an instance when neither it nor its workspace names one (reported as
         * a problem). Default `platform-team`.
         */
        fallbackOwner?: string;
      };
    };
  };
}
