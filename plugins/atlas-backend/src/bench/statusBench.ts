/* eslint-disable no-console */
/* eslint-disable @backstage/no-undeclared-imports */
// Run from the sources only (bin/bench-status), never built: __dirname is this folder.
/* eslint-disable no-restricted-syntax */
// The benchmark of the status API (`yarn bench:status`); not part of the plugin. It prints its
// results, which docs/benchmarks.md records.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { addOnCrdTypes } from '@mini-atlas/kube-test-server';
import {
  buildInstance,
  instanceFilePath,
  type KubeObject,
  type WorkspaceListResponse,
} from '@mini-atlas/plugin-atlas-common';
import {
  createClusterCache,
  createGitopsService,
  createStatusService,
  createTempGitopsRepo,
  kindsToWatch,
  simulatedAbstractionTypes,
  simulateFlux,
  simulateInstance,
} from '@mini-atlas/plugin-atlas-node';
import { stringify } from 'yaml';
import { kubernetesModuleAtlasCluster } from '../kubernetes/module';
import { atlasPlugin } from '../plugin';
import type { ServerCommand } from './kubeServerProcess';

const GITOPS_DIR = path.resolve(__dirname, '../../../../gitops');

declare const gc: () => void;

interface Options {
  workspaces: number;
  perWorkspace: number;
  samples: number;
  idleSeconds: number;
  out?: string;
}

function options(): Options {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      workspaces: { type: 'string', default: '1000' },
      'per-workspace': { type: 'string', default: '8' },
      samples: { type: 'string', default: '1000' },
      'idle-seconds': { type: 'string', default: '60' },
      out: { type: 'string' },
    },
  });
  return {
    workspaces: Number(values.workspaces),
    perWorkspace: Number(values['per-workspace']),
    samples: Number(values.samples),
    idleSeconds: Number(values['idle-seconds']),
    out: values.out,
  };
}

const pad = (n: number) => String(n).padStart(4, '0');
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return Math.round(sorted[Math.max(0, index)] * 1000) / 1000;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: Math.round(sorted[sorted.length - 1] * 1000) / 1000,
  };
}

function heap() {
  gc();
  gc();
  return process.memoryUsage();
}

/** The requests each workspace holds, named after their kind. */
function requestsOf(w: number, perWorkspace: number) {
  const ws = `bench-${pad(w)}`;
  const kinds = ['WebApplication', 'Infrastructure', 'Topic'];
  const list: Array<{
    kind: string;
    name: string;
    spec: Record<string, unknown>;
  }> = [];
  for (let i = 0; i < perWorkspace; i++) {
    const kind = kinds[i % 3];
    const n = Math.floor(i / 3) + 1;
    if (kind === 'WebApplication') {
      list.push({
        kind,
        name: `web-${n}`,
        spec: {
          image: 'ghcr.io/stefanprodan/podinfo',
          tag: '6.9.2',
          port: 9898,
          healthPath: '/healthz',
          database: `${ws}-data-1`,
          topics: [`${ws}-events-1`],
        },
      });
    } else if (kind === 'Infrastructure') {
      list.push({
        kind,
        name: `data-${n}`,
        spec: n % 2 ? {} : { redis: { enabled: false } },
      });
    } else {
      list.push({ kind, name: `events-${n}`, spec: { partitions: 3 } });
    }
  }
  return list;
}

async function generateRepository(o: Options) {
  const repo = await createTempGitopsRepo(GITOPS_DIR, {
    prefix: 'atlas-status-bench-',
  });
  const gitopsDir = path.join(repo.dir, 'gitops');
  const seed = createGitopsService({ repoRoot: repo.dir, watch: false });
  const { registry } = await seed.snapshot();
  seed.close();
  await fs.rm(path.join(gitopsDir, 'workspaces/team-a'), { recursive: true });
  const workspaceEntries: string[] = [];
  for (let w = 0; w < o.workspaces; w++) {
    const ws = `bench-${pad(w)}`;
    await fs.mkdir(path.join(gitopsDir, 'workspaces', ws));
    const wsAbstraction = registry.workspace();
    const wsObject = buildInstance(wsAbstraction, {
      workspace: ws,
      name: ws,
      owner: `team-${w % 10}`,
      spec: { description: `Benchmark workspace ${w}` },
    });
    await fs.writeFile(
      path.join(gitopsDir, instanceFilePath(wsAbstraction, ws, ws)),
      stringify(wsObject),
    );
    workspaceEntries.push(`${ws}/workspace.yaml`);
    const files: string[] = [];
    for (const request of requestsOf(w, o.perWorkspace)) {
      const abstraction = registry.get(request.kind)!;
      const file = instanceFilePath(abstraction, ws, request.name);
      await fs.writeFile(
        path.join(gitopsDir, file),
        stringify(
          buildInstance(abstraction, {
            workspace: ws,
            name: request.name,
            owner: `team-${w % 10}`,
            spec: request.spec,
          }),
        ),
      );
      files.push(path.basename(file));
    }
    await fs.writeFile(
      path.join(gitopsDir, 'workspaces', ws, 'kustomization.yaml'),
      stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: files,
      }),
    );
  }
  await fs.writeFile(
    path.join(gitopsDir, 'workspaces/kustomization.yaml'),
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: workspaceEntries,
    }),
  );
  await repo.git('add', '-A', 'gitops');
  await repo.git('commit', '-q', '--no-verify', '-m', 'Benchmark workspaces');
  return repo;
}

/** Every object the cluster holds when every request is Ready, plus pods of the web apps. */
async function clusterObjects(repoDir: string, revision: string) {
  const gitops = createGitopsService({ repoRoot: repoDir, watch: false });
  const snap = await gitops.snapshot();
  gitops.close();
  const simulation = {
    revision,
    isNamespaced: (_v: string, kind: string) => kind !== 'Namespace',
  };
  const objects: KubeObject[] = [...simulateFlux({ revision })];
  for (const ws of snap.workspaces.values()) {
    objects.push(
      ...simulateInstance(ws.abstraction, ws.object, 'ready', simulation),
    );
  }
  for (const instance of snap.instances) {
    const simulated = simulateInstance(
      instance.abstraction,
      instance.object,
      'ready',
      simulation,
    );
    objects.push(...simulated);
    for (const deployment of simulated.filter(o => o.kind === 'Deployment')) {
      // what the Kubernetes tab lists for a web application: its ReplicaSet and pod
      const labels = deployment.spec.template.metadata.labels;
      const rs = `${deployment.metadata.name}-7d9f8b6c5d`;
      objects.push(
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rs,
            namespace: deployment.metadata.namespace,
            labels,
          },
          spec: {
            replicas: 1,
            selector: deployment.spec.selector,
            template: deployment.spec.template,
          },
          status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${rs}-x2k9p`,
            namespace: deployment.metadata.namespace,
            labels,
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: rs },
            ],
          },
          spec: deployment.spec.template.spec,
          status: {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'True' }],
          },
        },
      );
    }
  }
  return { snap, objects };
}

class ClusterProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();
  constructor(readonly child: ChildProcess, readonly url: string) {
    child.on('message', (message: { id?: number; result?: unknown }) => {
      if (message.id) this.pending.get(message.id)?.(message.result);
    });
  }
  static async start(file: string): Promise<ClusterProcess> {
    const child = fork(path.join(__dirname, 'kubeServerProcess.ts'), [file], {
      execArgv: [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      // Backstage's node transform also sends `{ type: 'watch' }` messages: wait for ours
      const onMessage = (m: { ready?: boolean; url?: string }) => {
        if (!m.ready) return;
        child.off('message', onMessage);
        resolve(m.url!);
      };
      child.on('message', onMessage);
      child.once('exit', code =>
        reject(new Error(`the cluster process exited with ${code}`)),
      );
    });
    return new ClusterProcess(child, url);
  }
  send<T>(
    command: ServerCommand extends infer C
      ? C extends ServerCommand
        ? Omit<C, 'id'>
        : never
      : never,
  ): Promise<T> {
    const id = this.nextId++;
    return new Promise(resolve => {
      this.pending.set(id, value => resolve(value as T));
      this.child.send({ ...command, id });
    });
  }
}

function httpRequest(
  agent: http.Agent,
  port: number,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; ms: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        headers: payload
          ? {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            }
          : {},
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - start,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function sample(
  count: number,
  call: (i: number) => Promise<{ status: number; ms: number }>,
) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const { status, ms } = await call(i);
    if (status !== 200) throw new Error(`request ${i} answered ${status}`);
    times.push(ms);
  }
  return stats(times);
}

/** Runs the benchmark and prints the results. */
export async function main() {
  const o = options();
  const t0 = Date.now();
  console.log(
    `Generating ${o.workspaces} workspaces x ${o.perWorkspace} requests...`,
  );
  const repo = await generateRepository(o);
  const head = (await repo.git('rev-parse', 'HEAD')).trim();
  const revision = `main@sha1:${head}`;
  const { snap, objects } = await clusterObjects(repo.dir, revision);
  const fixtures = path.join(repo.dir, 'cluster.json');
  await fs.writeFile(
    fixtures,
    JSON.stringify({
      types: [
        ...addOnCrdTypes,
        ...simulatedAbstractionTypes(snap.registry.list()),
        {
          group: '',
          version: 'v1',
          kind: 'Pod',
          plural: 'pods',
          namespaced: true,
          builtIn: true,
        },
        {
          group: 'apps',
          version: 'v1',
          kind: 'ReplicaSet',
          plural: 'replicasets',
          namespaced: true,
          builtIn: true,
        },
      ],
      objects,
    }),
  );
  // the objects live in the cluster process from now on; this process must not hold them
  objects.length = 0;
  const cluster = await ClusterProcess.start(fixtures);
  const objectCount = await cluster.send<number>({ cmd: 'count-objects' });
  console.log(
    `Cluster: ${objectCount} objects (${snap.instances.length} requests, ${
      snap.workspaces.size
    } workspaces) at ${cluster.url}, prepared in ${Math.round(
      (Date.now() - t0) / 1000,
    )} s`,
  );
  const kubeconfigFile = path.join(repo.dir, 'kubeconfig');
  await fs.writeFile(
    kubeconfigFile,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'kind-mini-atlas',
          cluster: { server: cluster.url, 'insecure-skip-tls-verify': true },
        },
      ],
      users: [{ name: 'kind-mini-atlas', user: { token: 'bench-token' } }],
      contexts: [
        {
          name: 'kind-mini-atlas',
          context: { cluster: 'kind-mini-atlas', user: 'kind-mini-atlas' },
        },
      ],
      'current-context': 'kind-mini-atlas',
    }),
  );

  // 1. the cache alone: memory of the trimmed objects and the requests to fill it
  const beforeCache = heap().heapUsed;
  const standalone = createClusterCache({
    source: { kubeconfig: kubeconfigFile },
    kinds: kindsToWatch(snap.registry.list()),
  });
  const syncStart = Date.now();
  await standalone.synced();
  const syncMs = Date.now() - syncStart;
  const cacheStats = standalone.stats();
  const cacheBytes = heap().heapUsed - beforeCache;
  // the same status service the API uses, called in-process: its own cost without HTTP
  const gitops = createGitopsService({ repoRoot: repo.dir, watch: false });
  const service = createStatusService({ gitops, cluster: standalone });
  await service.listWorkspaces();
  const timed = async (call: () => Promise<unknown>) => {
    const start = performance.now();
    await call();
    return { status: 200, ms: performance.now() - start };
  };
  const inProcess = {
    oneWorkspace: await sample(o.samples, i =>
      timed(() =>
        service.getWorkspace(`bench-${pad((i * 7919) % o.workspaces)}`),
      ),
    ),
    oneRequest: await sample(o.samples, () =>
      timed(() =>
        service.getInstance('bench-0000', 'WebApplication', 'bench-0000-web-1'),
      ),
    ),
    workspaceList: await sample(Math.max(50, Math.round(o.samples / 5)), () =>
      timed(() => service.listWorkspaces()),
    ),
  };
  service.close();
  gitops.close();
  await standalone.stop();
  console.log(
    `Cache alone: ${cacheStats.objects} objects in ${mb(
      cacheBytes,
    )} MB, listed and watching in ${syncMs} ms with ${JSON.stringify(
      cacheStats.requests,
    )} requests`,
  );

  // 2. the backend: the status API and Backstage's Kubernetes backend side by side
  const before = heap();
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'bench-0000-web-1',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-label-selector':
          'app.kubernetes.io/instance=bench-0000-web-1',
        'backstage.io/kubernetes-namespace': 'bench-0000',
        'mini-atlas.io/instance':
          'platform.mini-atlas.io/v1alpha1/WebApplication/bench-0000/bench-0000-web-1',
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/team-0',
      lifecycle: 'production',
    },
  };
  const backendStart = Date.now();
  const backend = await startTestBackend({
    features: [
      atlasPlugin,
      kubernetesPlugin,
      kubernetesModuleAtlasCluster,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          atlas: {
            gitops: { repository: repo.dir, watch: false },
            kubernetes: { kubeconfig: kubeconfigFile },
          },
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [{ type: 'config', clusters: [] }],
            objectTypes: [
              'pods',
              'deployments',
              'replicasets',
              'services',
              'ingresses',
            ],
          },
        },
      }),
    ],
  });
  const port = (backend.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (p: string) => httpRequest(agent, port, 'GET', p);

  let list: WorkspaceListResponse | undefined;
  for (;;) {
    const res = await get('/api/atlas/status/workspaces');
    list = JSON.parse(res.text);
    if (
      list?.cluster.syncedAt &&
      list.items.length === o.workspaces &&
      list.items.every(w => w.overall.health === 'ready')
    )
      break;
    if (Date.now() - backendStart > 600_000)
      throw new Error(`not ready: ${res.text.slice(0, 500)}`);
    await new Promise(r => setTimeout(r, 250));
  }
  const readyMs = Date.now() - backendStart;
  console.log(
    `Backend up, cluster synced and every workspace Ready after ${readyMs} ms`,
  );

  const names = list.items.map(w => w.name);
  const pick = (i: number) => names[(i * 7919) % names.length];
  // warm-up, as any long-running backend is: every workspace once, then the other routes
  for (const name of names) await get(`/api/atlas/status/workspaces/${name}`);
  for (let i = 0; i < 50; i++) {
    await get('/api/atlas/status/workspaces');
    await get('/api/atlas/abstractions');
  }
  heap();
  const oneWorkspace = await sample(o.samples, i =>
    get(`/api/atlas/status/workspaces/${pick(i)}`),
  );
  const workspaceList = await sample(
    Math.max(50, Math.round(o.samples / 5)),
    () => get('/api/atlas/status/workspaces'),
  );
  // the floor: a route that returns a constant-size answer from memory, same HTTP stack
  const floor = await sample(o.samples, () => get('/api/atlas/abstractions'));
  const instancePath =
    '/api/atlas/status/workspaces/bench-0000/instances/WebApplication/bench-0000-web-1';
  const instance = await sample(o.samples, () => get(instancePath));
  const instanceBody = JSON.parse((await get(instancePath)).text);
  const k8sCall = () =>
    httpRequest(
      agent,
      port,
      'POST',
      '/api/kubernetes/services/bench-0000-web-1',
      { entity, auth: {} },
    );
  const k8sBody = JSON.parse((await k8sCall()).text);
  const k8sPods = k8sBody.items?.[0]?.resources?.find(
    (r: { type: string }) => r.type === 'pods',
  )?.resources?.length;
  for (let i = 0; i < 20; i++) await k8sCall();
  const kubernetesBackend = await sample(
    Math.max(50, Math.round(o.samples / 5)),
    k8sCall,
  );
  console.log(
    `Same entity: ours answers ${
      instanceBody.item.children.length
    } children and 4 stages (${
      instanceBody.item.overall.health
    }); the Kubernetes backend ${k8sPods} pod(s) and ${
      k8sBody.items?.[0]?.errors?.length ?? '?'
    } errors`,
  );

  // 3. a change in the cluster reaches an open event stream
  const pushMs: number[] = [];
  const events: string[] = [];
  const stream = http.get({
    host: '127.0.0.1',
    port,
    path: '/api/atlas/status/events',
  });
  stream.on('response', res =>
    res.on('data', chunk => events.push(String(chunk))),
  );
  await new Promise(r => setTimeout(r, 500));
  for (let i = 0; i < 20; i++) {
    const ws = pick(i + 1);
    events.length = 0;
    const start = performance.now();
    await cluster.send({
      cmd: 'patch-status',
      ref: {
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaTopic',
        name: `${ws}-events-1`,
        namespace: 'kafka',
      },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: i % 2 ? 'True' : 'False',
            reason: i % 2 ? undefined : 'KafkaError',
            message: i % 2 ? undefined : 'Bench outage',
            lastTransitionTime: new Date().toISOString(),
          },
        ],
      },
    });
    for (;;) {
      if (events.join('').includes(`"workspaces":["${ws}"]`)) break;
      if (performance.now() - start > 5_000)
        throw new Error(`no push event for ${ws}`);
      await new Promise(r => setTimeout(r, 2));
    }
    pushMs.push(performance.now() - start);
  }
  stream.destroy();
  const push = stats(pushMs);

  // 4. idle: no cluster requests, watches only
  await cluster.send({ cmd: 'reset' });
  await new Promise(r => setTimeout(r, o.idleSeconds * 1000));
  const idle = await cluster.send<{
    counts: { total: number; byVerb: Record<string, number> };
    watches: number;
  }>({
    cmd: 'counts',
  });

  const after = heap();
  const results = {
    command: `yarn bench:status ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${mb(os.totalmem())} MB, node ${
      process.version
    }`,
    workspaces: o.workspaces,
    requests: snap.instances.length,
    clusterObjects: objectCount,
    cache: {
      objects: cacheStats.objects,
      heapMB: mb(cacheBytes),
      syncMs,
      requestsToFill: cacheStats.requests,
    },
    backendReadyMs: readyMs,
    inProcessMs: inProcess,
    latencyMs: {
      oneWorkspace,
      workspaceList,
      oneRequest: instance,
      httpFloor: floor,
      kubernetesBackendSameEntity: kubernetesBackend,
      speedupP50: Math.round((kubernetesBackend.p50 / instance.p50) * 10) / 10,
      speedupP99: Math.round((kubernetesBackend.p99 / instance.p99) * 10) / 10,
    },
    pushMs: push,
    idle: {
      seconds: o.idleSeconds,
      requests: idle.counts.total,
      perMinute: Math.round((idle.counts.total / o.idleSeconds) * 60 * 10) / 10,
      openWatches: idle.watches,
    },
    memoryMB: {
      heapBeforeBackend: mb(before.heapUsed),
      heapAfter: mb(after.heapUsed),
      backendHeap: mb(after.heapUsed - before.heapUsed),
      rss: mb(after.rss),
    },
  };
  console.log(JSON.stringify(results, null, 2));
  if (o.out) await fs.writeFile(o.out, `${JSON.stringify(results, null, 2)}\n`);

  agent.destroy();
  await backend.stop();
  await cluster.send({ cmd: 'close' });
  await repo.remove();
}
