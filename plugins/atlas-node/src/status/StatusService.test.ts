import fs from 'node:fs/promises';
import path from 'node:path';
import {
  addOnCrdTypes,
  startKubeTestServer,
  type KubeTestServer,
} from '@mini-atlas/kube-test-server';
import type {
  KubeObject,
  StatusEvent,
  WorkspaceStatus,
} from '@mini-atlas/plugin-atlas-common';
import { createClusterCache } from '../cluster/ClusterCache';
import type { ClusterCache } from '../cluster/types';
import {
  createGitopsService,
  type GitopsService,
  type GitopsSnapshot,
} from '../gitops/GitopsService';
import {
  createTempGitopsRepo,
  type TempGitopsRepo,
} from '../testing/tempGitopsRepo';
import {
  simulatedAbstractionTypes,
  simulateFlux,
  simulateInstance,
  type SimulatedProgress,
} from './simulate';
import { createStatusService, type StatusService } from './StatusService';

const GITOPS = path.resolve(__dirname, '../../../../gitops');

async function until<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    await new Promise(r => setTimeout(r, 25));
  }
}

const topicFile = `apiVersion: platform.mini-atlas.io/v1alpha1
kind: Topic
metadata:
  name: team-a-payments
  namespace: team-a
  labels:
    mini-atlas.io/owner: team-a
spec:
  partitions: 6
`;

describe('StatusService', () => {
  let repo: TempGitopsRepo;
  let gitops: GitopsService;
  let server: KubeTestServer;
  let cluster: ClusterCache;
  let status: StatusService;
  let snap: GitopsSnapshot;
  let head: string;

  const revision = (sha: string) => `main@sha1:${sha}`;

  /** Puts a request (or the workspace) into the cluster at a progress. */
  const place = (
    kind: string,
    name: string,
    progress: SimulatedProgress,
    sha = head,
  ) => {
    const abstraction = snap.registry.get(kind)!;
    const declared = abstraction.isWorkspace
      ? snap.workspaces.get(name)!
      : snap.instances.find(i => i.object.metadata.name === name)!;
    server.load(
      simulateInstance(abstraction, declared.object, progress, {
        revision: revision(sha),
        isNamespaced: (_v, k) => k !== 'Namespace',
      }),
    );
  };

  beforeEach(async () => {
    repo = await createTempGitopsRepo(GITOPS);
    head = (await repo.git('rev-parse', 'HEAD')).trim();
    gitops = createGitopsService({ repoRoot: repo.dir, watch: false });
    snap = await gitops.snapshot();
    server = await startKubeTestServer({
      types: [
        ...addOnCrdTypes,
        ...simulatedAbstractionTypes(snap.registry.list()),
      ],
    });
    const kubeconfig = path.join(repo.dir, 'kubeconfig');
    await fs.writeFile(kubeconfig, server.kubeconfig('kind-mini-atlas'));
    server.load(simulateFlux({ revision: revision(head) }));
    cluster = createClusterCache({
      source: { kubeconfig },
      retry: { initialDelayMs: 50, maxDelayMs: 400 },
    });
    status = createStatusService({ gitops, cluster, debounceMs: 10 });
  });

  afterEach(async () => {
    status.close();
    await cluster.stop();
    await server.close();
    gitops.close();
    await repo.remove();
  });

  const workspace = async (): Promise<WorkspaceStatus> =>
    (await status.getWorkspace('team-a')).item;

  it('follows a request from a commit to Ready, stage by stage, pushing each change', async () => {
    place('Workspace', 'team-a', 'ready');
    place('WebApplication', 'team-a-web', 'ready');
    place('Infrastructure', 'team-a-data', 'ready');
    place('Topic', 'team-a-orders', 'ready');
    await until(
      async () => (await workspace()).overall.health === 'ready',
      5_000,
      'team-a ready',
    );
    const ready = await workspace();
    expect(ready.overall).toEqual({
      health: 'ready',
      message: 'All 3 requests ready',
    });
    expect(ready.owner).toBe('team-a');
    expect(ready.counts).toEqual({
      total: 3,
      ready: 3,
      progressing: 0,
      failed: 0,
      unknown: 0,
    });
    expect(ready.kinds).toEqual({
      Infrastructure: 1,
      Topic: 1,
      WebApplication: 1,
    });
    expect(ready.workspace.stages.map(s => s.state)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(ready.workspace.stages[1].message).toBe(
      `Kustomization flux-system/workspaces applied revision ${head.slice(
        0,
        7,
      )}, which contains commit ${head.slice(0, 7)}`,
    );

    const events: StatusEvent[] = [];
    status.onEvent(e => events.push(e));

    // a wizard commits a new Topic
    await fs.writeFile(
      path.join(repo.dir, 'gitops/workspaces/team-a/topic-payments.yaml'),
      topicFile,
    );
    const kustomization = path.join(
      repo.dir,
      'gitops/workspaces/team-a/kustomization.yaml',
    );
    await fs.writeFile(
      kustomization,
      `${await fs.readFile(kustomization, 'utf8')}  - topic-payments.yaml\n`,
    );
    await repo.git('add', 'gitops');
    await repo.git('commit', '-q', '-m', 'Add topic payments');
    const next = (await repo.git('rev-parse', 'HEAD')).trim();
    gitops.notifyChanged([
      'workspaces/team-a/topic-payments.yaml',
      'workspaces/team-a/kustomization.yaml',
    ]);
    snap = await gitops.snapshot();

    const payments = async () =>
      (await workspace()).instances.find(i => i.shortName === 'payments');
    const fetching = await until(
      async () => {
        const p = await payments();
        return p?.stages[0].state === 'done' && p;
      },
      5_000,
      'payments committed',
    );
    expect(fetching.stages[0].message).toBe(
      `declared in gitops/workspaces/team-a/topic-payments.yaml at commit ${next.slice(
        0,
        7,
      )} (Add topic payments)`,
    );
    expect(fetching.overall).toEqual({
      health: 'progressing',
      stage: 'flux',
      message: `Flux: waiting for Flux to fetch commit ${next.slice(
        0,
        7,
      )}: GitRepository flux-system/mini-atlas is at ${head.slice(0, 7)}`,
    });
    expect((await workspace()).overall).toMatchObject({
      health: 'progressing',
      stage: 'flux',
      message: expect.stringMatching(
        /^3 of 4 requests ready; Topic payments: Flux: waiting for Flux to fetch commit/,
      ),
    });
    await until(
      async () =>
        events.some(
          e => e.type === 'changed' && e.workspaces.includes('team-a'),
        ),
      2_000,
      'a push event',
    );

    // Flux fetches the commit
    server.patchStatus(
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        name: 'mini-atlas',
        namespace: 'flux-system',
      },
      { artifact: { revision: revision(next) } },
    );
    await until(
      async () => (await payments())?.stages[1].reason === 'WaitingForApply',
      5_000,
      'waiting for apply',
    );
    expect((await payments())!.stages[1].message).toBe(
      `waiting for Kustomization team-a/team-a-requests to apply commit ${next.slice(
        0,
        7,
      )} (it applied ${head.slice(0, 7)})`,
    );

    // Flux applies it: the instance exists, KRO has not picked it up
    server.patchStatus(
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        name: 'team-a-requests',
        namespace: 'team-a',
      },
      {
        lastAppliedRevision: revision(next),
        lastAttemptedRevision: revision(next),
      },
    );
    place('Topic', 'team-a-payments', 'applied', next);
    const applied = await until(
      async () => {
        const p = await payments();
        return p?.overall.stage === 'kro' && p;
      },
      5_000,
      'kro stage',
    );
    expect(applied.stages[1]).toMatchObject({
      state: 'done',
      reason: 'Applied',
    });
    expect(applied.overall.message).toBe('KRO: waiting for KRO to pick it up');

    // KRO creates the KafkaTopic; Strimzi has not made it Ready yet
    place('Topic', 'team-a-payments', 'creating', next);
    const creating = await until(
      async () => {
        const p = await payments();
        return (
          p?.overall.stage === 'kro' &&
          p.overall.message.startsWith('KRO: IN_PROGRESS') &&
          p
        );
      },
      5_000,
      'in progress',
    );
    expect(creating.stages[3]).toMatchObject({
      state: 'pending',
      message:
        'KafkaTopic team-a-payments: waiting for the Topic Operator to create the topic (0/1 ready)',
    });

    place('Topic', 'team-a-payments', 'ready', next);
    await until(
      async () => (await workspace()).overall.health === 'ready',
      5_000,
      'all ready',
    );
    expect((await workspace()).overall.message).toBe('All 4 requests ready');

    const detail = (await status.getInstance('team-a', 'Topic', 'payments'))
      .item;
    expect(detail.children).toEqual([
      expect.objectContaining({
        id: 'topic',
        kind: 'KafkaTopic',
        name: 'team-a-payments',
        namespace: 'kafka',
        exists: true,
        health: 'ready',
        facts: expect.objectContaining({
          partitions: 6,
          replicas: 1,
          retentionHours: 168,
          kafkaCluster: 'bus',
          ready: true,
        }),
      }),
    ]);
    expect(detail.fields).toEqual({
      ready: true,
      topicName: 'team-a-payments',
    });
    const summaries = events.flatMap(e =>
      e.type === 'changed' ? e.summaries ?? [] : [],
    );
    expect(summaries.at(-1)).toMatchObject({
      name: 'team-a',
      overall: { health: 'ready' },
    });
  });

  it('shows the Workspace itself stuck before its requests: the requests Kustomization does not exist yet', async () => {
    place('Workspace', 'team-a', 'applied');
    const ws = await until(
      async () => {
        const w = await workspace();
        // the cache has seen the applied instance (before, KRO's stage says it is not there)
        return w.workspace.stages[2].reason === 'NotReconciled' && w;
      },
      5_000,
      'workspace at kro',
    );
    expect(ws.overall).toMatchObject({
      health: 'progressing',
      stage: 'kro',
      message: 'Workspace team-a: KRO: waiting for KRO to pick it up',
    });
    const web = ws.instances.find(i => i.shortName === 'web')!;
    expect(web.stages[1]).toMatchObject({
      state: 'pending',
      reason: 'KustomizationMissing',
      message:
        'waiting for Kustomization team-a/team-a-requests, which KRO creates for workspace team-a once its namespace exists',
    });
    expect((await status.listWorkspaces()).items).toEqual([
      expect.objectContaining({
        name: 'team-a',
        counts: expect.objectContaining({ total: 3, progressing: 3 }),
      }),
    ]);
  });

  it('without a cluster serves the desired state from Git with connected: false', async () => {
    await server.close();
    await cluster.stop();
    status.close();
    cluster = createClusterCache({
      source: { kubeconfig: path.join(repo.dir, 'nowhere') },
    });
    status = createStatusService({ gitops, cluster });
    const list = await until(async () => {
      const l = await status.listWorkspaces();
      return l.cluster.reason !== 'connecting' && l;
    });
    expect(list.cluster).toMatchObject({
      connected: false,
      reason: expect.stringContaining('does not exist'),
    });
    expect(
      list.items.map(w => [w.name, w.overall.health, w.counts.total]),
    ).toEqual([['team-a', 'unknown', 3]]);
    const web = (
      await status.getInstance('team-a', 'WebApplication', 'team-a-web')
    ).item;
    expect(web.stages.map(s => s.state)).toEqual([
      'done',
      'unknown',
      'unknown',
      'unknown',
    ]);
    expect(web.children.map(c => `${c.kind} ${c.name} ${c.health}`)).toEqual([
      'Deployment team-a-web unknown',
      'Service team-a-web unknown',
      'Ingress team-a-web unknown',
    ]);
    await expect(status.getWorkspace('team-b')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      status.getInstance('team-a', 'Topic', 'nope'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    server = await startKubeTestServer(); // closed again in afterEach
  });

  it('lists only what it is asked for: a workspace in the cluster but not in Git', async () => {
    server.load([
      {
        apiVersion: 'platform.mini-atlas.io/v1alpha1',
        kind: 'Workspace',
        metadata: {
          name: 'team-z',
          labels: { 'mini-atlas.io/owner': 'team-b' },
        },
        spec: { owner: 'team-b' },
      } as KubeObject,
    ]);
    const list = await until(
      async () => {
        const l = await status.listWorkspaces();
        return l.items.length === 2 && l;
      },
      5_000,
      'two workspaces',
    );
    const z = list.items.find(w => w.name === 'team-z')!;
    expect(z).toMatchObject({
      owner: 'team-b',
      overall: { health: 'progressing', stage: 'git' },
    });
    expect(
      (await status.getWorkspace('team-z')).item.workspace.stages[0],
    ).toMatchObject({ reason: 'NotInGit' });
  });
});
