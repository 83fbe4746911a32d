import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  addOnCrdTypes,
  startKubeTestServer,
  type KubeTestServer,
} from '@mini-atlas/kube-test-server';
import type { KubeObject } from '@mini-atlas/plugin-atlas-common';
import { createClusterCache } from './ClusterCache';
import type { ClusterCache, ClusterChange } from './types';

/** A platform kind whose plural is not "kind + s": only discovery can know it. */
const infraType = {
  group: 'platform.mini-atlas.io',
  version: 'v1alpha1',
  kind: 'Infrastructure',
  plural: 'infras',
  namespaced: true,
};

const namespace = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name,
    labels: {
      'kro.run/instance-name': name,
      'kro.run/instance-kind': 'Workspace',
      'kro.run/node-id': 'workspaceNamespace',
      'mini-atlas.io/workspace': name,
      'other.example.com/noise': 'dropped',
    },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  status: { phase: 'Active' },
});

const infra = (name: string, ns = 'team-a'): KubeObject => ({
  apiVersion: 'platform.mini-atlas.io/v1alpha1',
  kind: 'Infrastructure',
  metadata: { name, namespace: ns, labels: { 'mini-atlas.io/owner': ns } },
  spec: { database: { instances: 1 } },
});

const deployment = (name: string, labelled = true): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name,
    namespace: 'team-a',
    labels: labelled
      ? {
          'kro.run/instance-name': 'team-a-data',
          'kro.run/instance-namespace': 'team-a',
          'kro.run/instance-kind': 'Infrastructure',
          'kro.run/node-id': 'redis',
        }
      : { app: name },
  },
  spec: {
    replicas: 1,
    template: { spec: { containers: [{ image: 'redis:8-alpine' }] } },
  },
  status: { availableReplicas: 1 },
});

async function until<T>(
  check: () => T | undefined | false,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('ClusterCache against a protocol-level API server', () => {
  let server: KubeTestServer;
  let cache: ClusterCache | undefined;
  let dir: string;
  let kubeconfig: string;

  beforeEach(async () => {
    server = await startKubeTestServer({
      types: [...addOnCrdTypes, infraType],
      bookmarkIntervalMs: 200,
    });
    server.load([
      namespace('team-a'),
      infra('team-a-data'),
      deployment('team-a-data-redis'),
      deployment('unrelated', false),
    ]);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-cluster-'));
    kubeconfig = path.join(dir, 'config');
    await fs.writeFile(kubeconfig, server.kubeconfig('kind-mini-atlas'));
  });

  afterEach(async () => {
    await cache?.stop();
    cache = undefined;
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const start = () => {
    cache = createClusterCache({
      source: { kubeconfig },
      retry: { initialDelayMs: 50, maxDelayMs: 400 },
      kinds: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          labelSelector: 'kro.run/instance-name',
        },
        {
          apiVersion: 'platform.mini-atlas.io/v1alpha1',
          kind: 'Infrastructure',
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          labelSelector: 'kro.run/instance-name',
        },
      ],
    });
    return cache;
  };

  it('lists and watches through discovery names, keeping only trimmed objects and KRO children', async () => {
    const c = start();
    await c.synced();
    expect(c.connection()).toMatchObject({
      connected: true,
      context: 'kind-mini-atlas',
    });
    expect(c.connection().syncedAt).toBeDefined();
    const kinds = c.stats().kinds;
    expect(kinds.find(k => k.kind === 'Infrastructure')).toMatchObject({
      plural: 'infras',
      namespaced: true,
      state: 'watching',
      objects: 1,
    });
    // the label selector keeps the unrelated Deployment out
    expect(c.list('apps/v1', 'Deployment').map(o => o.metadata.name)).toEqual([
      'team-a-data-redis',
    ]);
    const ns = c.get('v1', 'Namespace', 'team-a');
    expect(ns?.metadata.annotations).toBeUndefined();
    expect(ns?.metadata.labels).toEqual({
      'kro.run/instance-name': 'team-a',
      'kro.run/instance-kind': 'Workspace',
      'kro.run/node-id': 'workspaceNamespace',
      'mini-atlas.io/workspace': 'team-a',
    });
    expect(
      c
        .childrenOf({
          kind: 'Infrastructure',
          name: 'team-a-data',
          namespace: 'team-a',
        })
        .map(o => o.metadata.name),
    ).toEqual(['team-a-data-redis']);
    expect(
      c.childrenOf({ kind: 'Workspace', name: 'team-a' }).map(o => o.kind),
    ).toEqual(['Namespace']);
    expect(
      c.isNamespaced('platform.mini-atlas.io/v1alpha1', 'Infrastructure'),
    ).toBe(true);
    expect(c.isNamespaced('v1', 'Namespace')).toBe(false);

    const changes: ClusterChange[] = [];
    c.onChange(change => changes.push(change));
    server.apply(infra('team-a-cache'));
    server.patchStatus(
      {
        apiVersion: 'platform.mini-atlas.io/v1alpha1',
        kind: 'Infrastructure',
        name: 'team-a-data',
        namespace: 'team-a',
      },
      { state: 'ACTIVE' },
    );
    await until(() => changes.length >= 2, 5_000, 'two changes');
    expect(changes.map(ch => `${ch.type} ${ch.object.metadata.name}`)).toEqual([
      'add team-a-cache',
      'update team-a-data',
    ]);
    expect(
      c.get(
        'platform.mini-atlas.io/v1alpha1',
        'Infrastructure',
        'team-a-data',
        'team-a',
      )?.status?.state,
    ).toBe('ACTIVE');
  });

  it('sends no request while idle: watches only', async () => {
    const c = start();
    await c.synced();
    server.resetRequests();
    const before = c.stats().requests;
    await new Promise(r => setTimeout(r, 1_500));
    expect(server.requestCounts().total).toBe(0);
    expect(c.stats().requests).toEqual(before);
    expect(
      server
        .openWatches()
        .map(w => w.resource)
        .sort(),
    ).toEqual(
      [
        'customresourcedefinitions.apiextensions.k8s.io',
        'deployments.apps',
        'infras.platform.mini-atlas.io',
        'namespaces',
      ].sort(),
    );
    expect(server.openWatches().every(w => w.allowWatchBookmarks)).toBe(true);
  });

  it('reports an outage with its reason and catches up within 5 s after it', async () => {
    const c = start();
    await c.synced();
    await server.outage(true);
    await until(() => !c.connection().connected, 5_000, 'disconnected');
    expect(c.connection().reason).toMatch(
      /ECONNREFUSED|socket hang up|ECONNRESET/,
    );
    // reads keep serving the last known state
    expect(
      c.get(
        'platform.mini-atlas.io/v1alpha1',
        'Infrastructure',
        'team-a-data',
        'team-a',
      ),
    ).toBeDefined();
    server.apply(infra('team-a-during-outage'));
    server.delete({
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Infrastructure',
      name: 'team-a-data',
      namespace: 'team-a',
    });
    await new Promise(r => setTimeout(r, 1_000));
    await server.outage(false);
    const back = Date.now();
    await until(
      () =>
        c.connection().connected &&
        c.get(
          'platform.mini-atlas.io/v1alpha1',
          'Infrastructure',
          'team-a-during-outage',
          'team-a',
        ) &&
        !c.get(
          'platform.mini-atlas.io/v1alpha1',
          'Infrastructure',
          'team-a-data',
          'team-a',
        ),
      5_000,
      'caught up after the outage',
    );
    expect(Date.now() - back).toBeLessThan(5_000);
  });

  it('relists after 410 Gone and sees what changed meanwhile', async () => {
    const c = start();
    await c.synced();
    const listsBefore = c.stats().requests.list;
    server.apply(infra('team-a-after-compaction'));
    await until(() =>
      c.get(
        'platform.mini-atlas.io/v1alpha1',
        'Infrastructure',
        'team-a-after-compaction',
        'team-a',
      ),
    );
    // forget the history, then end the watches: every resume gets 410 Expired
    server.compact();
    server.dropWatches({ graceful: true });
    server.delete({
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Infrastructure',
      name: 'team-a-after-compaction',
      namespace: 'team-a',
    });
    await until(
      () =>
        !c.get(
          'platform.mini-atlas.io/v1alpha1',
          'Infrastructure',
          'team-a-after-compaction',
          'team-a',
        ),
      5_000,
      'the deletion seen after a relist',
    );
    expect(c.stats().requests.list).toBeGreaterThan(listsBefore);
    expect(c.connection().connected).toBe(true);
  });

  it('resumes dropped watches (abrupt and graceful) from the last resourceVersion without relisting', async () => {
    const c = start();
    await c.synced();
    const listsBefore = c.stats().requests.list;
    for (const graceful of [false, true]) {
      const name = `team-a-${graceful ? 'graceful' : 'abrupt'}`;
      expect(server.dropWatches({ graceful })).toBeGreaterThan(0);
      server.apply(infra(name));
      await until(
        () =>
          c.get(
            'platform.mini-atlas.io/v1alpha1',
            'Infrastructure',
            name,
            'team-a',
          ),
        5_000,
        name,
      );
    }
    await server.waitForWatches(4, { timeoutMs: 5_000 });
    expect(c.stats().requests.list).toBe(listsBefore);
  });

  it('without a cluster reports why and retries quietly', async () => {
    cache = createClusterCache({
      source: { kubeconfig: path.join(dir, 'missing-config') },
      retry: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    await until(() => cache!.connection().reason !== 'connecting');
    expect(cache.connection()).toEqual({
      connected: false,
      reason: `kubeconfig ${path.join(dir, 'missing-config')} does not exist`,
    });
    // the kubeconfig appears later (yarn atlas up): picked up without a restart
    await fs.writeFile(
      path.join(dir, 'missing-config'),
      server.kubeconfig('kind-mini-atlas'),
    );
    await until(() => cache!.connection().connected, 5_000, 'connected');
    expect(cache.connection().context).toBe('kind-mini-atlas');
  });

  it('waits for a kind the cluster does not serve, and watches it once its CRD appears', async () => {
    cache = createClusterCache({
      source: { kubeconfig },
      retry: { initialDelayMs: 50, maxDelayMs: 400 },
      kinds: [{ apiVersion: 'platform.mini-atlas.io/v1alpha1', kind: 'Topic' }],
    });
    await cache.synced();
    expect(cache.connection().missingKinds).toEqual([
      'Topic.platform.mini-atlas.io/v1alpha1',
    ]);
    server.apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'topics.platform.mini-atlas.io' },
      spec: {
        group: 'platform.mini-atlas.io',
        scope: 'Namespaced',
        names: {
          kind: 'Topic',
          plural: 'topics',
          singular: 'topic',
          listKind: 'TopicList',
        },
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object' } },
          },
        ],
      },
    });
    server.apply({
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Topic',
      metadata: { name: 'team-a-orders', namespace: 'team-a' },
      spec: { partitions: 3 },
    });
    await until(
      () =>
        cache!.get(
          'platform.mini-atlas.io/v1alpha1',
          'Topic',
          'team-a-orders',
          'team-a',
        ),
      5_000,
      'the topic',
    );
    expect(cache.connection().missingKinds).toBeUndefined();
  });
});
