import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  createGitopsService,
  type GitopsService,
} from '@mini-atlas/plugin-atlas-node';
import { createFixtureRepo, instanceYaml } from '../__testUtils__/fixtureRepo';
import { EntityBuilder, markUnknownOwners } from './buildEntities';
import { createSourceLinks } from './sourceLinks';

describe('EntityBuilder', () => {
  let repo: Awaited<ReturnType<typeof createFixtureRepo>>;
  let gitops: GitopsService;
  let builder: EntityBuilder;

  beforeEach(async () => {
    repo = await createFixtureRepo();
    gitops = createGitopsService({ repoRoot: repo.dir, watch: false });
    builder = new EntityBuilder({
      links: createSourceLinks({
        repoRoot: gitops.repoRoot,
        gitopsDir: gitops.gitopsDir,
      }),
      lifecycle: 'production',
      fallbackOwner: 'platform-team',
    });
  });

  afterEach(async () => {
    gitops.close();
    await repo.remove();
  });

  const build = async () => {
    const result = builder.build(await gitops.snapshot());
    const byRef = new Map<string, Entity>(
      result.entities.map(e => [stringifyEntityRef(e), e]),
    );
    return { ...result, byRef };
  };

  it('makes every instance of the example workspace an entity, following the overlays', async () => {
    const { entities, problems, byRef } = await build();
    expect(problems).toEqual([]);
    expect(
      entities.map(e => `${stringifyEntityRef(e)} ${e.spec!.type}`).sort(),
    ).toEqual([
      'component:default/team-a-nightly job',
      'component:default/team-a-web service',
      'resource:default/team-a-data-cache cache',
      'resource:default/team-a-data-db database',
      'resource:default/team-a-nightly-report report',
      'resource:default/team-a-orders kafka-topic',
      'system:default/team-a workspace',
    ]);

    const file = repo.file('workspaces/team-a/webapplication-web.yaml');
    expect(byRef.get('component:default/team-a-web')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'team-a-web',
        namespace: 'default',
        description: 'Web application web in workspace team-a',
        labels: {
          'mini-atlas.io/workspace': 'team-a',
          'mini-atlas.io/owner': 'team-a',
        },
        annotations: {
          'backstage.io/managed-by-location': `file:${file}`,
          'backstage.io/managed-by-origin-location': `file:${file}`,
          'backstage.io/view-url': `file://${file}`,
          'backstage.io/edit-url': `vscode://file${file}`,
          'mini-atlas.io/source-file':
            'gitops/workspaces/team-a/webapplication-web.yaml',
          'mini-atlas.io/instance':
            'platform.mini-atlas.io/v1alpha1/WebApplication/team-a/team-a-web',
          'backstage.io/kubernetes-label-selector':
            'app.kubernetes.io/instance=team-a-web',
          'backstage.io/kubernetes-namespace': 'team-a',
        },
        tags: ['webapplication'],
      },
      spec: {
        type: 'service',
        owner: 'group:default/team-a',
        lifecycle: 'production',
        system: 'system:default/team-a',
        dependsOn: [
          'resource:default/team-a-data-db',
          'resource:default/team-a-orders',
        ],
      },
    });

    expect(byRef.get('system:default/team-a')).toMatchObject({
      metadata: {
        description: "Team A's storefront services.",
        annotations: {
          'mini-atlas.io/instance':
            'platform.mini-atlas.io/v1alpha1/Workspace/team-a',
        },
      },
      spec: { type: 'workspace', owner: 'group:default/team-a' },
    });
    expect(byRef.get('system:default/team-a')!.spec).not.toHaveProperty(
      'system',
    );
    // the second entity of an Infrastructure is part of the workspace, and depends on nothing
    expect(byRef.get('resource:default/team-a-data-cache')!.spec).toEqual({
      type: 'cache',
      owner: 'group:default/team-a',
      system: 'system:default/team-a',
    });
  });

  it('needs no code for a new abstraction: kind, type, picker and Kubernetes selector come from its overlay', async () => {
    const { byRef } = await build();
    const job = byRef.get('component:default/team-a-nightly')!;
    expect(job.spec).toEqual({
      type: 'job',
      owner: 'group:default/team-a',
      lifecycle: 'production',
      system: 'system:default/team-a',
      dependsOn: ['resource:default/team-a-orders'],
    });
    expect(job.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-label-selector':
        'batch.mini-atlas.io/job=team-a-nightly',
      'backstage.io/kubernetes-namespace': 'team-a',
    });
    expect(job.metadata.tags).toEqual(['schedule']);

    // `when` is evaluated on the instance: without the report there is no second entity
    await repo.write(
      'workspaces/team-a/schedule-nightly.yaml',
      instanceYaml({
        kind: 'Schedule',
        name: 'team-a-nightly',
        namespace: 'team-a',
        owner: 'team-a',
        spec: '  image: ghcr.io/example/report:1.0\n',
      }),
    );
    gitops.notifyChanged(['workspaces/team-a/schedule-nightly.yaml']);
    const after = await build();
    expect(after.byRef.has('component:default/team-a-nightly')).toBe(true);
    expect(after.byRef.has('resource:default/team-a-nightly-report')).toBe(
      false,
    );
    expect(
      after.byRef.get('component:default/team-a-nightly')!.spec,
    ).not.toHaveProperty('dependsOn');
  });

  it('reports what keeps an entity from being complete, and still emits it', async () => {
    // a request in a folder whose workspace has no Workspace instance, with no owner anywhere
    await repo.write(
      'workspaces/team-c/topic-events.yaml',
      instanceYaml({
        kind: 'Topic',
        name: 'team-c-events',
        namespace: 'team-c',
      }),
    );
    // a picker naming an instance that does not exist, and an owner that is not a Group name
    await repo.write(
      'workspaces/team-a/webapplication-api.yaml',
      instanceYaml({
        kind: 'WebApplication',
        name: 'team-a-api',
        namespace: 'team-a',
        owner: 'user:default/guest',
        spec: '  image: ghcr.io/example/api\n  database: team-a-missing\n  topics: [team-a-orders]\n',
      }),
    );
    // a file that is no instance of a platform abstraction
    await repo.write(
      'workspaces/team-a/configmap-stray.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\n  namespace: team-a\n',
    );
    gitops.notifyChanged();
    const { byRef, problems } = await build();

    expect(byRef.get('resource:default/team-c-events')!.spec).toEqual({
      type: 'kafka-topic',
      owner: 'group:default/platform-team',
      system: 'system:default/team-c',
    });
    expect(byRef.get('component:default/team-a-api')!.spec).toMatchObject({
      owner: 'group:default/team-a',
      dependsOn: ['resource:default/team-a-orders'],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          file: 'gitops/workspaces/team-c/topic-events.yaml',
          message: 'workspace team-c has no Workspace instance in Git',
        },
        {
          file: 'gitops/workspaces/team-c/topic-events.yaml',
          message:
            'no owner: neither the instance nor its workspace names a Group; owned by platform-team until one does',
        },
        {
          file: 'gitops/workspaces/team-a/webapplication-api.yaml',
          message:
            'owner "user:default/guest" in label mini-atlas.io/owner is not a Group name',
        },
        {
          file: 'gitops/workspaces/team-a/webapplication-api.yaml',
          message:
            'spec.database names Infrastructure team-a-missing, which is not in workspace team-a',
        },
        expect.objectContaining({
          file: 'gitops/workspaces/team-a/configmap-stray.yaml',
        }),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('removes the entities of a removed file', async () => {
    await repo.git(
      'rm',
      '--quiet',
      'gitops/workspaces/team-a/topic-orders.yaml',
    );
    gitops.notifyChanged(['workspaces/team-a/topic-orders.yaml']);
    const { byRef, problems } = await build();
    expect(byRef.has('resource:default/team-a-orders')).toBe(false);
    expect(byRef.get('component:default/team-a-web')!.spec!.dependsOn).toEqual([
      'resource:default/team-a-data-db',
    ]);
    expect(problems.map(p => p.message)).toEqual([
      'spec.source names Topic team-a-orders, which is not in workspace team-a',
      'spec.topics names Topic team-a-orders, which is not in workspace team-a',
    ]);
  });
});

describe('markUnknownOwners', () => {
  it('tags entities whose owner Group is not known, and reports them', () => {
    const entity = (name: string, owner: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        tags: ['topic'],
        annotations: { 'mini-atlas.io/source-file': `gitops/${name}.yaml` },
      },
      spec: { type: 'kafka-topic', owner: owner },
    });
    const entities = [
      entity('a', 'group:default/team-a'),
      entity('b', 'group:default/team-b'),
    ];
    expect(markUnknownOwners(entities, new Set(['team-a']))).toEqual([
      {
        file: 'gitops/b.yaml',
        entityRef: 'resource:default/b',
        message: 'owner group:default/team-b is not a Group in the catalog',
      },
    ]);
    expect(entities.map(e => e.metadata.tags)).toEqual([
      ['topic'],
      ['topic', 'owner-unknown'],
    ]);
  });
});

describe('createSourceLinks', () => {
  it('links to GitHub when the repository URL is configured', () => {
    const links = createSourceLinks({
      repoRoot: '/srv/mini-atlas',
      gitopsDir: '/srv/mini-atlas/gitops',
      repositoryUrl: 'https://github.com/acme/mini-atlas.git',
      branch: 'trunk',
    });
    expect(links.annotations('workspaces/team-a/topic-orders.yaml')).toEqual({
      'backstage.io/managed-by-location':
        'url:https://github.com/acme/mini-atlas/blob/trunk/gitops/workspaces/team-a/topic-orders.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://github.com/acme/mini-atlas/blob/trunk/gitops/workspaces/team-a/topic-orders.yaml',
      'backstage.io/view-url':
        'https://github.com/acme/mini-atlas/blob/trunk/gitops/workspaces/team-a/topic-orders.yaml',
      'backstage.io/edit-url':
        'https://github.com/acme/mini-atlas/edit/trunk/gitops/workspaces/team-a/topic-orders.yaml',
      'backstage.io/source-location':
        'url:https://github.com/acme/mini-atlas/tree/trunk/gitops/workspaces/team-a/',
      'mini-atlas.io/source-file': 'gitops/workspaces/team-a/topic-orders.yaml',
    });
  });

  it('links to the working tree of a local repository', () => {
    const links = createSourceLinks({
      repoRoot: '/home/me/mini atlas',
      gitopsDir: '/home/me/mini atlas/platform',
    });
    expect(links.repoPath('workspaces/x/topic-y.yaml')).toBe(
      'platform/workspaces/x/topic-y.yaml',
    );
    expect(links.annotations('workspaces/x/topic-y.yaml')).toEqual({
      'backstage.io/managed-by-location':
        'file:/home/me/mini atlas/platform/workspaces/x/topic-y.yaml',
      'backstage.io/managed-by-origin-location':
        'file:/home/me/mini atlas/platform/workspaces/x/topic-y.yaml',
      'backstage.io/view-url':
        'file:///home/me/mini%20atlas/platform/workspaces/x/topic-y.yaml',
      'backstage.io/edit-url':
        'vscode://file/home/me/mini%20atlas/platform/workspaces/x/topic-y.yaml',
      'mini-atlas.io/source-file': 'platform/workspaces/x/topic-y.yaml',
    });
  });
});
