import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  addOnCrdTypes,
  startKubeTestServer,
  type KubeTestServer,
} from '@mini-atlas/kube-test-server';
import type {
  StatusEvent,
  WorkspaceListResponse,
} from '@mini-atlas/plugin-atlas-common';
import {
  createGitopsService,
  createTempGitopsRepo,
  simulatedAbstractionTypes,
  simulateFlux,
  simulateInstance,
  type TempGitopsRepo,
} from '@mini-atlas/plugin-atlas-node';
import request from 'supertest';
import { atlasPlugin } from '../plugin';

const GITOPS = path.resolve(__dirname, '../../../../gitops');

async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

/** Reads a server-sent event stream into a list of parsed events. */
function openEvents(port: number) {
  const events: StatusEvent[] = [];
  const received: number[] = [];
  let buffer = '';
  const req = http.get({
    host: '127.0.0.1',
    port,
    path: '/api/atlas/status/events',
    headers: { accept: 'text/event-stream' },
  });
  const response = new Promise<http.IncomingMessage>(resolve =>
    req.on('response', res => {
      res.setEncoding('utf8');
      res.on('data', chunk => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .find(line => line.startsWith('data: '));
          if (data) {
            events.push(JSON.parse(data.slice(6)));
            received.push(Date.now());
          }
          end = buffer.indexOf('\n\n');
        }
      });
      resolve(res);
    }),
  );
  req.on('error', () => {});
  return { events, received, response, close: () => req.destroy() };
}

jest.setTimeout(30_000);

describe('status routes', () => {
  let repo: TempGitopsRepo;
  let kube: KubeTestServer;
  let kubeconfig: string;
  let head: string;

  beforeEach(async () => {
    repo = await createTempGitopsRepo(GITOPS);
    head = (await repo.git('rev-parse', 'HEAD')).trim();
    const gitops = createGitopsService({ repoRoot: repo.dir, watch: false });
    const snap = await gitops.snapshot();
    gitops.close();
    kube = await startKubeTestServer({
      types: [
        ...addOnCrdTypes,
        ...simulatedAbstractionTypes(snap.registry.list()),
      ],
    });
    kubeconfig = path.join(repo.dir, 'kubeconfig');
    await fs.writeFile(kubeconfig, kube.kubeconfig('kind-mini-atlas'));
    const revision = `main@sha1:${head}`;
    const options = {
      revision,
      isNamespaced: (_v: string, kind: string) => kind !== 'Namespace',
    };
    kube.load(simulateFlux({ revision }));
    kube.load(
      simulateInstance(
        snap.registry.workspace(),
        snap.workspaces.get('team-a')!.object,
        'ready',
        options,
      ),
    );
    for (const instance of snap.instances) {
      kube.load(
        simulateInstance(
          instance.abstraction,
          instance.object,
          instance.name === 'orders' ? 'creating' : 'ready',
          options,
        ),
      );
    }
  });

  afterEach(async () => {
    await kube.close();
    await repo.remove();
  });

  const startPortal = (kubernetes: { kubeconfig: string }) =>
    startTestBackend({
      features: [
        atlasPlugin,
        mockServices.rootConfig.factory({
          data: {
            atlas: {
              gitops: { repository: repo.dir, watch: false },
              kubernetes,
            },
          },
        }),
      ],
    });

  it('serves workspaces, one workspace and one request from the cluster cache', async () => {
    const { server } = await startPortal({ kubeconfig });
    const list = await until(
      async () => {
        const res = await request(server).get('/api/atlas/status/workspaces');
        const body = res.body as WorkspaceListResponse;
        return (
          res.status === 200 &&
          body.cluster.connected &&
          body.items[0]?.counts.ready === 2 &&
          body
        );
      },
      10_000,
      'the workspace list from the cluster',
    );
    expect(list.cluster).toMatchObject({
      connected: true,
      context: 'kind-mini-atlas',
    });
    expect(list.items).toEqual([
      {
        name: 'team-a',
        owner: 'team-a',
        description: "Team A's storefront services.",
        overall: {
          health: 'progressing',
          stage: 'kro',
          message:
            '2 of 3 requests ready; Topic orders: KRO: IN_PROGRESS: resource team-a-orders is not ready yet (NotReady)',
        },
        counts: { total: 3, ready: 2, progressing: 1, failed: 0, unknown: 0 },
        kinds: { Infrastructure: 1, Topic: 1, WebApplication: 1 },
      },
    ]);

    expect(list.platform).toEqual([
      {
        kind: 'GitRepository',
        name: 'mini-atlas',
        namespace: 'flux-system',
        health: 'ready',
        summary: `fetched main@sha1:${head}`,
      },
      {
        kind: 'Kustomization',
        name: 'workspaces',
        namespace: 'flux-system',
        health: 'ready',
        summary: `applied revision main@sha1:${head}`,
      },
    ]);

    const ws = await request(server).get('/api/atlas/status/workspaces/team-a');
    expect(ws.status).toBe(200);
    expect(
      ws.body.item.instances.map((i: any) => [
        i.kind,
        i.shortName,
        i.overall.health,
      ]),
    ).toEqual([
      ['Infrastructure', 'data', 'ready'],
      ['Topic', 'orders', 'progressing'],
      ['WebApplication', 'web', 'ready'],
    ]);
    expect(ws.body.item.instances[0].children).toBeUndefined();

    const infra = await request(server).get(
      '/api/atlas/status/workspaces/team-a/instances/Infrastructure/data',
    );
    expect(infra.status).toBe(200);
    expect(infra.body.item.fields).toEqual({
      credentialsSecret: 'team-a-data-pg-app',
      databasePhase: 'Cluster in healthy state',
      readyInstances: 1,
      redisHost: 'team-a-data-redis.team-a.svc:6379',
    });
    expect(
      infra.body.item.children.map((c: any) => `${c.id} ${c.kind} ${c.health}`),
    ).toEqual([
      'database Cluster ready',
      'redis Deployment ready',
      'redisService Service ready',
    ]);
  });

  it('answers bad names with 400 and unknown ones with 404, as thrown errors', async () => {
    const { server } = await startPortal({ kubeconfig });
    const bad = await request(server).get(
      '/api/atlas/status/workspaces/Team_A',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      name: 'InputError',
      message: '"Team_A" is not a valid workspace name',
    });
    const missing = await request(server).get(
      '/api/atlas/status/workspaces/team-b',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'No workspace named team-b',
    });
    const kind = await request(server).get(
      '/api/atlas/status/workspaces/team-a/instances/Queue/jobs',
    );
    expect(kind.status).toBe(404);
  });

  it('pushes a change in the cluster to an open event stream in well under a second', async () => {
    const { server } = await startPortal({ kubeconfig });
    await until(
      async () => {
        const res = await request(server).get('/api/atlas/status/workspaces');
        return res.body.items?.[0]?.counts.ready === 2;
      },
      10_000,
      'synced',
    );
    const { port } = server.address() as AddressInfo;
    const stream = openEvents(port);
    try {
      const res = await stream.response;
      expect(res.headers['content-type']).toBe(
        'text/event-stream; charset=utf-8',
      );
      await until(() => stream.events.length > 0, 5_000, 'hello');
      expect(stream.events[0]).toMatchObject({
        type: 'hello',
        cluster: { connected: true },
      });

      kube.patchStatus(
        {
          apiVersion: 'platform.mini-atlas.io/v1alpha1',
          kind: 'Topic',
          name: 'team-a-orders',
          namespace: 'team-a',
        },
        {
          state: 'ACTIVE',
          conditions: [
            {
              type: 'ResourcesReady',
              status: 'True',
              reason: 'AllResourcesReady',
              message: 'all resources are created and ready',
              observedGeneration: 1,
            },
            {
              type: 'Ready',
              status: 'True',
              reason: 'Ready',
              observedGeneration: 1,
            },
          ],
        },
      );
      const changedAt = Date.now();
      kube.patchStatus(
        {
          apiVersion: 'kafka.strimzi.io/v1',
          kind: 'KafkaTopic',
          name: 'team-a-orders',
          namespace: 'kafka',
        },
        {
          observedGeneration: 1,
          topicName: 'team-a-orders',
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              lastTransitionTime: new Date().toISOString(),
            },
          ],
        },
      );
      const index = await until(
        () => {
          const i = stream.events.findIndex(
            e =>
              e.type === 'changed' &&
              e.summaries?.some(
                s => s.name === 'team-a' && s.counts.ready === 3,
              ),
          );
          return i >= 0 ? i + 1 : undefined;
        },
        5_000,
        'the change pushed',
      );
      expect(stream.received[index - 1] - changedAt).toBeLessThan(1_000);
    } finally {
      stream.close();
    }
  });

  it('survives an API outage, a 410 and a dropped watch, catching up within 5 s after each', async () => {
    const { server } = await startPortal({ kubeconfig });
    const orders = async () => {
      const res = await request(server).get(
        '/api/atlas/status/workspaces/team-a/instances/Topic/orders',
      );
      return res.body as {
        cluster: { connected: boolean; reason?: string };
        item: any;
      };
    };
    await until(
      async () => (await orders()).cluster.connected,
      10_000,
      'connected',
    );
    const topicReady = (ready: boolean) => ({
      observedGeneration: 1,
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          ...(ready
            ? {}
            : { reason: 'KafkaError', message: 'broker unavailable' }),
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    });
    const topicRef = {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      name: 'team-a-orders',
      namespace: 'kafka',
    };
    const topicHealth = async () => (await orders()).item.children[0].health;

    // outage: the API says so, keeps serving the last state, and catches up after
    await kube.outage(true);
    const down = await until(
      async () => {
        const body = await orders();
        return !body.cluster.connected && body;
      },
      10_000,
      'the outage reported',
    );
    expect(down.cluster.reason).toMatch(
      /ECONNREFUSED|ECONNRESET|socket hang up/,
    );
    expect(down.item.children[0].kind).toBe('KafkaTopic');
    kube.patchStatus(topicRef, topicReady(true));
    await kube.outage(false);
    let since = Date.now();
    await until(
      async () => (await topicHealth()) === 'ready',
      5_000,
      'caught up after the outage',
    );
    expect(Date.now() - since).toBeLessThan(5_000);

    // 410: the history is gone, the watches resume from an expired version and relist
    kube.compact();
    kube.dropWatches({ graceful: true });
    kube.patchStatus(topicRef, topicReady(false));
    since = Date.now();
    await until(
      async () => (await topicHealth()) === 'failed',
      5_000,
      'caught up after 410',
    );
    expect(Date.now() - since).toBeLessThan(5_000);

    // a watch dropped mid-stream
    kube.dropWatches();
    kube.patchStatus(topicRef, topicReady(true));
    since = Date.now();
    await until(
      async () => (await topicHealth()) === 'ready',
      5_000,
      'caught up after a dropped watch',
    );
    expect(Date.now() - since).toBeLessThan(5_000);
    expect((await orders()).cluster.connected).toBe(true);
  });

  it('without a cluster serves Git with connected: false and the reason', async () => {
    const { server } = await startPortal({
      kubeconfig: path.join(repo.dir, 'no-such-kubeconfig'),
    });
    const res = await request(server).get('/api/atlas/status/workspaces');
    expect(res.status).toBe(200);
    expect(res.body.cluster).toEqual({
      connected: false,
      reason: `kubeconfig ${path.join(
        repo.dir,
        'no-such-kubeconfig',
      )} does not exist`,
    });
    expect(res.body.items.map((w: any) => [w.name, w.overall.health])).toEqual([
      ['team-a', 'unknown'],
    ]);
    const web = await request(server).get(
      '/api/atlas/status/workspaces/team-a/instances/WebApplication/team-a-web',
    );
    expect(web.body.item.stages.map((s: any) => s.state)).toEqual([
      'done',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });
});
