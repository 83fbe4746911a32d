import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/**
 * Examples of `atlas:request:publish`; each also runs as a test against a temporary repository.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Render a topic, then commit it (or open a pull request, as atlas.publish.mode says)',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'atlas:request:render',
          name: 'Render the topic',
          input: {
            kind: 'Topic',
            workspace: 'team-a',
            name: 'invoices',
            owner: 'group:default/team-a',
          },
        },
        {
          id: 'publish',
          action: 'atlas:request:publish',
          name: 'Publish it',
          input: {
            instancePath: '${{ steps.render.output.instancePath }}',
          },
        },
      ],
    }),
  },
];
