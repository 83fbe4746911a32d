export interface Config {
  atlas?: {
    /** How the wizards publish a request. */
    publish?: {
      /**
       * `commit` (default): commit to the local git repository the portal reads the platform
       * from (`atlas.gitops.repository`, by default this repository's own checkout).
       * `pull-request`: open a pull request on `atlas.publish.pullRequest.repoUrl`.
       */
      mode?: 'commit' | 'pull-request';
      /** Settings of the `pull-request` mode. */
      pullRequest?: {
        /** The GitHub repository, as `github.com?owner=<owner>&repo=<repo>`. */
        repoUrl: string;
        /** Branch the pull request targets. Default: the repository's default branch. */
        targetBranch?: string;
        /** Open pull requests as drafts. Default false. */
        draft?: boolean;
      };
    };
  };
}
