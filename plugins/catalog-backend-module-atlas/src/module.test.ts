import fs from 'node:fs/promises';
import path from 'node:path';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  createGitopsService,
  createGitWriter,
  gitopsServiceRef,
  type GitopsService,
} from '@mini-atlas/plugin-atlas-node';
import { createFixtureRepo, instanceYaml } from './__testUtils__/fixtureRepo';
import catalogModuleAtlas from '.';

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: platform-team}
spec: {type: team, children: []}
`;

type Repo = Awaited<ReturnType<typeof createFixtureRepo>>;

/** The real catalog (SQLite in memory) with our module, reading a temporary repository. */
async function startCatalog(repo: Repo, options: { watch: boolean }) {
  const orgFile = path.join(repo.dir, 'org.yaml');
  await fs.writeFile(orgFile, ORG);
  const gitops = createGitopsService({
    repoRoot: repo.dir,
    watch: options.watch,
  });
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleAtlas,
      createServiceFactory({
        service: gitopsServiceRef,
        deps: {},
        factory: () => gitops,
      }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Group', 'User', 'Location'] }],
            locations: [{ type: 'file', target: orgFile }],
            // the safety net must not run during the test: changes alone must do
            providers: {
              atlas: {
                schedule: {
                  frequency: { hours: 1 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 1 },
                },
              },
            },
          },
        },
      }),
    ],
  });
  return { backend, gitops };
}

function catalogApi(backend: TestBackend) {
  const base = `http://localhost:${backend.server.port()}/api/catalog`;
  const get = async (url: string) =>
    fetch(`${base}${url}`, {
      headers: { authorization: mockCredentials.user.header() },
    });
  return {
    /** The entity, or undefined while the catalog does not have it. */
    async entity(ref: string): Promise<Entity | undefined> {
      const [kind, rest] = ref.split(':');
      const response = await get(`/entities/by-name/${kind}/${rest}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`${ref}: ${response.status}`);
      return response.json();
    },
    async refs(filter: string): Promise<string[]> {
      const response = await get(
        `/entities?filter=${encodeURIComponent(
          filter,
        )}&fields=kind,metadata.name`,
      );
      const items: Entity[] = await response.json();
      return items
        .map(e => `${e.kind.toLowerCase()}:default/${e.metadata.name}`)
        .sort();
    },
  };
}

async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

const relations = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();

jest.setTimeout(60_000);

describe('catalog module atlas, in a backend with the real catalog', () => {
  let repo: Repo;
  let backend: TestBackend | undefined;
  let gitops: GitopsService | undefined;

  beforeEach(async () => {
    repo = await createFixtureRepo();
  });

  afterEach(async () => {
    await backend?.stop();
    gitops?.close();
    backend = undefined;
    gitops = undefined;
    await repo.remove();
  });

  it('emits every instance with its owner and relations, follows commits, and removes what is removed', async () => {
    ({ backend, gitops } = await startCatalog(repo, { watch: false }));
    const catalog = catalogApi(backend);

    const web = await eventually(async () => {
      const entity = await catalog.entity('component:default/team-a-web');
      // relations to other entities appear once those are stitched too
      return relations(entity ?? ({} as Entity), 'dependsOn').length === 2
        ? entity
        : undefined;
    }, 'team-a-web with its relations');
    expect(web.spec).toMatchObject({
      type: 'service',
      lifecycle: 'production',
    });
    expect(relations(web, 'partOf')).toEqual(['system:default/team-a']);
    expect(relations(web, 'ownedBy')).toEqual(['group:default/team-a']);
    expect(relations(web, 'dependsOn')).toEqual([
      'resource:default/team-a-data-db',
      'resource:default/team-a-orders',
    ]);
    expect(web.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-label-selector':
        'app.kubernetes.io/instance=team-a-web',
      'backstage.io/kubernetes-namespace': 'team-a',
      'mini-atlas.io/source-file':
        'gitops/workspaces/team-a/webapplication-web.yaml',
      'backstage.io/view-url': `file://${repo.file(
        'workspaces/team-a/webapplication-web.yaml',
      )}`,
    });

    expect(
      await catalog.refs('metadata.labels.mini-atlas.io/workspace=team-a'),
    ).toEqual([
      'component:default/team-a-nightly',
      'component:default/team-a-web',
      'resource:default/team-a-data-cache',
      'resource:default/team-a-data-db',
      'resource:default/team-a-nightly-report',
      'resource:default/team-a-orders',
      'system:default/team-a',
    ]);
    const system = await eventually(async () => {
      const entity = await catalog.entity('system:default/team-a');
      return entity && relations(entity, 'hasPart').length === 6
        ? entity
        : undefined;
    }, 'the parts of system team-a');
    expect(system.spec).toEqual({
      type: 'workspace',
      owner: 'group:default/team-a',
    });
    expect(relations(system, 'ownedBy')).toEqual(['group:default/team-a']);

    // the fifth abstraction, known only from its RGD's overlay
    const job = (await catalog.entity('component:default/team-a-nightly'))!;
    expect(job.spec).toMatchObject({ type: 'job' });
    expect(relations(job, 'dependsOn')).toEqual([
      'resource:default/team-a-orders',
    ]);

    // the wizard commits a new workspace owned by a Group the catalog does not have, and
    // signals the gitops service; no folder watch runs in this backend
    await eventually(
      () => catalog.entity('group:default/team-a'),
      'the org file in the catalog',
    );
    const writer = createGitWriter({ repoRoot: repo.dir });
    const committed = await writer.commit({
      message: 'Workspace team-b',
      author: { name: 'Guest', email: 'guest@example.com' },
      changes: [
        {
          path: 'gitops/workspaces/team-b/workspace.yaml',
          content: instanceYaml({
            kind: 'Workspace',
            name: 'team-b',
            owner: 'team-b',
            spec: '  owner: team-b\n',
          }),
        },
        {
          path: 'gitops/workspaces/team-b/topic-events.yaml',
          content: instanceYaml({
            kind: 'Topic',
            name: 'team-b-events',
            namespace: 'team-b',
            owner: 'team-b',
          }),
        },
      ],
    });
    gitops.notifyChanged(
      committed.files.map(file => path.relative('gitops', file)),
    );
    const teamB = await eventually(
      () => catalog.entity('system:default/team-b'),
      'the new workspace',
    );
    expect(teamB.metadata.tags).toEqual(['workspace', 'owner-unknown']);
    const events = await eventually(async () => {
      const entity = await catalog.entity('resource:default/team-b-events');
      return entity?.relations?.length ? entity : undefined;
    }, 'the new topic');
    expect(relations(events, 'partOf')).toEqual(['system:default/team-b']);
    expect(relations(events, 'ownedBy')).toEqual(['group:default/team-b']);
    expect(await catalog.refs('metadata.tags=owner-unknown')).toEqual([
      'resource:default/team-b-events',
      'system:default/team-b',
    ]);

    // a removed file removes its entities
    await repo.git(
      'rm',
      '--quiet',
      'gitops/workspaces/team-a/topic-orders.yaml',
    );
    await repo.git('commit', '--quiet', '-m', 'remove orders');
    gitops.notifyChanged(['workspaces/team-a/topic-orders.yaml']);
    await eventually(
      async () =>
        (await catalog.entity('resource:default/team-a-orders'))
          ? undefined
          : true,
      'the removal of team-a-orders',
    );
    // and what depended on them no longer does, once it is processed again
    await eventually(async () => {
      const entity = await catalog.entity('component:default/team-a-web');
      return entity &&
        relations(entity, 'dependsOn').join() ===
          'resource:default/team-a-data-db'
        ? entity
        : undefined;
    }, 'team-a-web without the removed topic');
  });

  it('follows edits by hand through the folder watch', async () => {
    ({ backend, gitops } = await startCatalog(repo, { watch: true }));
    const catalog = catalogApi(backend);
    await eventually(
      () => catalog.entity('system:default/team-a'),
      'the first entities',
    );
    await repo.write(
      'workspaces/team-a/topic-payments.yaml',
      instanceYaml({
        kind: 'Topic',
        name: 'team-a-payments',
        namespace: 'team-a',
        owner: 'team-a',
      }),
    );
    const payments = await eventually(
      () => catalog.entity('resource:default/team-a-payments'),
      'the topic written by hand',
    );
    expect(payments.spec).toMatchObject({
      type: 'kafka-topic',
      owner: 'group:default/team-a',
      system: 'system:default/team-a',
    });
    await fs.rm(repo.file('workspaces/team-a/topic-payments.yaml'));
    await eventually(
      async () =>
        (await catalog.entity('resource:default/team-a-payments'))
          ? undefined
          : true,
      'the removal of the topic deleted by hand',
    );
  });
});
