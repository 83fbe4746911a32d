import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { atlasPlugin } from '../plugin';

const repoRoot = path.resolve(__dirname, '../../../..');

const memberships: Record<string, string[]> = {
  'user:default/guest': ['group:default/team-a', 'group:default/platform-team'],
  'user:default/bob': ['group:default/team-b'],
};

describe('wizard routes', () => {
  const start = () =>
    startTestBackend({
      features: [
        atlasPlugin,
        mockServices.rootConfig.factory({
          data: { atlas: { gitops: { repository: repoRoot, watch: false } } },
        }),
        mockServices.userInfo.mock({
          getUserInfo: async (credentials: any) => {
            const ref = credentials.principal.userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
            };
          },
        }).factory,
      ],
    });

  it('lists the workspaces and whether the user may add to each', async () => {
    const { server } = await start();
    const guest = await request(server)
      .get('/api/atlas/wizard/workspaces')
      .set('Authorization', mockCredentials.user.header('user:default/guest'));
    expect(guest.status).toBe(200);
    expect(guest.body.items).toEqual([
      {
        name: 'team-a',
        owner: 'team-a',
        description: "Team A's storefront services.",
        mayAdd: true,
      },
    ]);
    const bob = await request(server)
      .get('/api/atlas/wizard/workspaces')
      .set('Authorization', mockCredentials.user.header('user:default/bob'));
    expect(bob.body.items[0].mayAdd).toBe(false);
  });

  it('checks names with the rules of the render action', async () => {
    const { server } = await start();
    const auth = mockCredentials.user.header('user:default/guest');
    const check = (query: string) =>
      request(server)
        .get(`/api/atlas/wizard/names?${query}`)
        .set('Authorization', auth);
    expect((await check('kind=Topic&workspace=team-a&name=new')).body).toEqual(
      { problems: [], available: true },
    );
    expect(
      (await check('kind=Topic&workspace=team-a&name=orders')).body,
    ).toEqual({
      problems: [],
      takenBy: 'Topic team-a-orders',
      available: false,
    });
    expect(
      (await check('kind=Topic&workspace=team-a&name=Orders')).body.problems,
    ).toEqual(['name "Orders" must be lower case']);
    expect(
      (await check('kind=Workspace&workspace=kube-system')).body.problems,
    ).toEqual(['workspace name "kube-system" is reserved for the platform']);
    expect((await check('kind=Topic')).status).toBe(400);
  });

  it('lists the instances a picker offers', async () => {
    const { server } = await start();
    const response = await request(server)
      .get('/api/atlas/wizard/instances?kind=Infrastructure&workspace=team-a')
      .set('Authorization', mockCredentials.user.header('user:default/guest'));
    expect(response.body.items).toEqual([
      { name: 'team-a-data', shortName: 'data' },
    ]);
  });
});
