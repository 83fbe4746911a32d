import fs from 'node:fs/promises';
import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  createGitopsService,
  type GitopsService,
} from '@mini-atlas/plugin-atlas-node';
import { createFixtureRepo, instanceYaml } from '../__testUtils__/fixtureRepo';
import { AtlasEntityProvider } from './AtlasEntityProvider';
import { createSourceLinks } from './sourceLinks';

/** Resolves when `count` mutations have been applied. */
function recordingConnection() {
  const mutations: EntityProviderMutation[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  let failNext: Error | undefined;
  const connection: EntityProviderConnection = {
    async applyMutation(mutation) {
      if (failNext) {
        const error = failNext;
        failNext = undefined;
        throw error;
      }
      mutations.push(mutation);
      waiting
        .filter(w => mutations.length >= w.count)
        .forEach(w => w.resolve());
    },
    async refresh() {},
  };
  return {
    connection,
    mutations,
    failNextWith(error: Error) {
      failNext = error;
    },
    until: (count: number) =>
      new Promise<void>(resolve => {
        if (mutations.length >= count) resolve();
        else waiting.push({ count, resolve });
      }),
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

const refs = (entities: Array<{ entity: any }>) =>
  entities.map(e => stringifyEntityRef(e.entity)).sort();

describe('AtlasEntityProvider', () => {
  let repo: Awaited<ReturnType<typeof createFixtureRepo>>;
  let gitops: GitopsService;
  let provider: AtlasEntityProvider;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let groups: Set<string> | undefined;

  beforeEach(async () => {
    repo = await createFixtureRepo();
    gitops = createGitopsService({ repoRoot: repo.dir, watch: false });
    logger = mockServices.logger.mock();
    groups = undefined;
    provider = new AtlasEntityProvider({
      gitops,
      logger,
      links: createSourceLinks({
        repoRoot: gitops.repoRoot,
        gitopsDir: gitops.gitopsDir,
      }),
      lifecycle: 'production',
      fallbackOwner: 'platform-team',
      groups: { groupNames: async () => groups },
      debounceMs: 10,
    });
  });

  afterEach(async () => {
    provider.close();
    gitops.close();
    await repo.remove();
  });

  it('applies everything on connect, then only what a change touches', async () => {
    const { connection, mutations, until } = recordingConnection();
    await provider.connect(connection);
    expect(mutations).toHaveLength(1);
    expect(mutations[0].type).toBe('full');
    expect(
      refs(mutations[0].type === 'full' ? mutations[0].entities : []),
    ).toHaveLength(7);

    // a new topic, as the wizard commits it: one added entity, nothing else re-sent
    await repo.write(
      'workspaces/team-a/topic-audit.yaml',
      instanceYaml({
        kind: 'Topic',
        name: 'team-a-audit',
        namespace: 'team-a',
        owner: 'team-a',
      }),
    );
    gitops.notifyChanged(['workspaces/team-a/topic-audit.yaml']);
    await until(2);
    const added = mutations[1];
    expect(added.type).toBe('delta');
    if (added.type !== 'delta') throw new Error('not a delta');
    expect(refs(added.added)).toEqual(['resource:default/team-a-audit']);
    expect(added.removed).toEqual([]);

    // removing a file removes its entities and updates what depended on them
    await repo.git(
      'rm',
      '--quiet',
      'gitops/workspaces/team-a/topic-orders.yaml',
    );
    gitops.notifyChanged(['workspaces/team-a/topic-orders.yaml']);
    await until(3);
    const removed = mutations[2];
    if (removed.type !== 'delta') throw new Error('not a delta');
    expect(removed.removed).toEqual([
      { entityRef: 'resource:default/team-a-orders' },
    ]);
    expect(refs(removed.added)).toEqual([
      'component:default/team-a-nightly',
      'component:default/team-a-web',
    ]);
  });

  it('gathers a burst of notifications into one update', async () => {
    const { connection, mutations, until } = recordingConnection();
    await provider.connect(connection);
    const names = ['one', 'two', 'three'];
    for (const name of names) {
      await repo.write(
        `workspaces/team-a/topic-${name}.yaml`,
        instanceYaml({
          kind: 'Topic',
          name: `team-a-${name}`,
          namespace: 'team-a',
          owner: 'team-a',
        }),
      );
    }
    // as a commit's file watch events arrive: one per file, back to back
    for (const name of names)
      gitops.notifyChanged([`workspaces/team-a/topic-${name}.yaml`]);
    await until(2);
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(mutations).toHaveLength(2);
    const delta = mutations[1];
    if (delta.type !== 'delta') throw new Error('not a delta');
    expect(refs(delta.added)).toEqual([
      'resource:default/team-a-one',
      'resource:default/team-a-three',
      'resource:default/team-a-two',
    ]);
  });

  it('replaces everything on refresh, re-reading the folder, and after a failed update', async () => {
    const { connection, mutations, failNextWith, until } =
      recordingConnection();
    await provider.connect(connection);

    // an edit the service was never told about: only the full resync sees it
    await repo.write(
      'workspaces/team-a/topic-unnoticed.yaml',
      instanceYaml({
        kind: 'Topic',
        name: 'team-a-unnoticed',
        namespace: 'team-a',
        owner: 'team-a',
      }),
    );
    await provider.refresh();
    expect(mutations[1].type).toBe('full');
    expect(
      refs(mutations[1].type === 'full' ? mutations[1].entities : []),
    ).toContain('resource:default/team-a-unnoticed');

    failNextWith(new Error('database is locked'));
    await repo.git(
      'rm',
      '--quiet',
      'gitops/workspaces/team-a/schedule-nightly.yaml',
    );
    gitops.notifyChanged(['workspaces/team-a/schedule-nightly.yaml']);
    await waitFor(() => logger.error.mock.calls.length > 0);
    expect(mutations).toHaveLength(2);
    expect(logger.error).toHaveBeenCalledWith(
      'Could not update the platform entities',
      { kind: 'delta', error: 'Error: database is locked' },
    );

    // the next change, whatever it is, is applied as a full update
    gitops.notifyChanged(['workspaces/team-a/topic-unnoticed.yaml']);
    await until(3);
    expect(mutations[2].type).toBe('full');
    expect(
      refs(mutations[2].type === 'full' ? mutations[2].entities : []),
    ).not.toContain('component:default/team-a-nightly');
  });

  it('starts even when the platform cannot be read, and catches up once it can', async () => {
    const { connection, mutations, until } = recordingConnection();
    const rgd = 'foundation/rgds/topic.yaml';
    const good = await fs.readFile(repo.file(rgd), 'utf8');
    await repo.write(rgd, good.replace('kind: Topic', 'kind: topic'));
    await provider.connect(connection);
    expect(mutations).toEqual([]);
    expect(logger.error).toHaveBeenCalledWith(
      'Could not update the platform entities',
      expect.objectContaining({
        kind: 'full',
        error: expect.stringContaining('spec.schema.kind "topic"'),
      }),
    );

    await repo.write(rgd, good);
    gitops.notifyChanged([rgd]);
    await until(1);
    expect(mutations[0].type).toBe('full');
    expect(
      refs(mutations[0].type === 'full' ? mutations[0].entities : []),
    ).toContain('resource:default/team-a-orders');
  });

  it('tags and reports entities whose owner is not a Group of the catalog, once', async () => {
    const { connection, mutations, until } = recordingConnection();
    groups = new Set(['platform-team']);
    await provider.connect(connection);
    const first = mutations[0];
    if (first.type !== 'full') throw new Error('not full');
    for (const { entity } of first.entities) {
      expect(entity.metadata.tags).toContain('owner-unknown');
    }
    const warnings = () =>
      logger.warn.mock.calls.filter(
        ([message]) => message === 'Platform entity problem',
      );
    expect(warnings()).toHaveLength(7);
    expect(warnings()).toContainEqual([
      'Platform entity problem',
      {
        file: 'gitops/workspaces/team-a/workspace.yaml',
        entity: 'system:default/team-a',
        problem: 'owner group:default/team-a is not a Group in the catalog',
      },
    ]);

    // reported once: an unrelated change does not log them again
    await provider.refresh();
    expect(warnings()).toHaveLength(7);

    // once the Group exists, the tags go away
    groups = new Set(['platform-team', 'team-a']);
    gitops.notifyChanged(['workspaces/team-a/workspace.yaml']);
    await until(3);
    const healed = mutations[2];
    if (healed.type !== 'delta') throw new Error('not a delta');
    expect(healed.added).toHaveLength(7);
    for (const { entity } of healed.added) {
      expect(entity.metadata.tags).not.toContain('owner-unknown');
    }
    expect(provider.problems()).toEqual([]);
  });
});
