import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { atlasPlugin } from './plugin';

const repoRoot = path.resolve(__dirname, '../../..');

describe('atlasPlugin', () => {
  it('serves the abstractions read from the gitops folder', async () => {
    const { server } = await startTestBackend({
      features: [
        atlasPlugin,
        mockServices.rootConfig.factory({
          data: { atlas: { gitops: { repository: repoRoot, watch: false } } },
        }),
      ],
    });
    const response = await request(server).get('/api/atlas/abstractions');
    expect(response.status).toBe(200);
    expect(response.body.items.map((a: { kind: string }) => a.kind)).toEqual([
      'Workspace',
      'Infrastructure',
      'Topic',
      'WebApplication',
    ]);
    expect(response.body.items[0]).toMatchObject({
      isWorkspace: true,
      scope: 'Cluster',
      title: 'Workspace',
    });
  });
});
