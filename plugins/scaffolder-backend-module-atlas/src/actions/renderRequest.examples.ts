import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/**
 * Examples of `atlas:request:render`; each also runs as a test against the shipped platform.
 *
 * @public
 */
export const examples: TemplateExample[] = [
  {
    description:
      'Render a Kafka topic named team-a-payments in workspace team-a, with six partitions and the default retention',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'atlas:request:render',
          name: 'Render the topic',
          input: {
            kind: 'Topic',
            workspace: 'team-a',
            name: 'payments',
            owner: 'group:default/team-a',
            spec: { partitions: 6 },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a new workspace team-c owned by team-a, with a larger pod quota',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'atlas:request:render',
          name: 'Render the workspace',
          input: {
            kind: 'Workspace',
            workspace: 'team-c',
            owner: 'group:default/team-a',
            spec: {
              description: 'Team C’s reporting jobs',
              quota: { pods: 50 },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a web application wired to the team-a-data database and the team-a-orders topic, from the wizard’s parameters',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'atlas:request:render',
          name: 'Render the web application',
          input: {
            kind: 'WebApplication',
            workspace: 'team-a',
            name: 'shop',
            owner: 'group:default/team-a',
            spec: {
              image: 'ghcr.io/stefanprodan/podinfo',
              tag: '6.9.2',
              port: 9898,
              database: 'team-a-data',
              topics: ['team-a-orders'],
            },
          },
        },
      ],
    }),
  },
];
