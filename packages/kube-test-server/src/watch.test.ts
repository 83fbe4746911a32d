import {
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  ListWatch,
  V1ConfigMap,
  Watch,
  makeInformer,
} from '@kubernetes/client-node';
import { waitFor } from './__testUtils__/waitFor';
import { startKubeTestServer } from './server';
import { KubeTestServer } from './types';

const cm = (
  name: string,
  namespace = 'team-a',
  labels?: Record<string, string>,
) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data: { name },
});
const ref = (name: string, namespace = 'team-a') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name,
  namespace,
});

/** An informer with the callbacks recorded, restarting after errors like long-running code does. */
function recordingInformer(
  kc: KubeConfig,
  options: { namespace?: string; labelSelector?: string; watch?: Watch } = {},
) {
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = options.namespace ?? 'team-a';
  const listFn = () =>
    core.listNamespacedConfigMap({
      namespace,
      labelSelector: options.labelSelector,
    });
  const path = `/api/v1/namespaces/${namespace}/configmaps`;
  const informer = options.watch
    ? new ListWatch<V1ConfigMap>(
        path,
        options.watch,
        listFn,
        false,
        options.labelSelector,
      )
    : // makeInformer builds a ListWatch; its declared type hides latestResourceVersion().
      (makeInformer<V1ConfigMap>(
        kc,
        path,
        listFn,
        options.labelSelector,
      ) as ListWatch<V1ConfigMap>);
  const events: string[] = [];
  const errors: unknown[] = [];
  let connects = 0;
  let stopped = false;
  informer.on('add', o =>
    events.push(`add ${o.metadata?.name} ${o.metadata?.resourceVersion}`),
  );
  informer.on('update', o =>
    events.push(`update ${o.metadata?.name} ${o.data?.name ?? ''}`),
  );
  informer.on('delete', o => events.push(`delete ${o.metadata?.name}`));
  informer.on('connect', () => connects++);
  informer.on('error', error => {
    errors.push(error);
    if (!stopped) setTimeout(() => !stopped && informer.start(), 20);
  });
  return {
    informer,
    events,
    errors,
    connects: () => connects,
    names: () =>
      informer
        .list()
        .map(o => o.metadata!.name)
        .sort(),
    async start() {
      stopped = false;
      await informer.start();
    },
    async stop() {
      stopped = true;
      await informer.stop();
    },
  };
}

describe('watch and informers with @kubernetes/client-node', () => {
  let server: KubeTestServer;
  let kc: KubeConfig;
  let informers: Array<ReturnType<typeof recordingInformer>>;

  beforeEach(async () => {
    server = await startKubeTestServer({ bookmarkIntervalMs: 50 });
    server.load([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } },
      cm('one'),
      cm('two'),
      cm('other', 'team-b'),
    ]);
    kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    informers = [];
  });

  afterEach(async () => {
    for (const i of informers) await i.stop();
    await server.close();
  });

  function informer(options?: Parameters<typeof recordingInformer>[1]) {
    const created = recordingInformer(kc, options);
    informers.push(created);
    return created;
  }

  it('lists, then receives add, update and delete', async () => {
    const i = informer();
    await i.start();
    expect(i.names()).toEqual(['one', 'two']);
    await server.waitForWatches(1);

    server.apply(cm('three'));
    server.apply({ ...cm('one'), data: { name: 'changed' } });
    server.delete(ref('two'));
    server.apply(cm('elsewhere', 'team-b'));

    await waitFor(() => i.events.length >= 5, {
      describe: () => i.events.join(', '),
    });
    expect(i.events).toEqual([
      expect.stringMatching(/^add one \d+$/),
      expect.stringMatching(/^add two \d+$/),
      expect.stringMatching(/^add three \d+$/),
      'update one changed',
      'delete two',
    ]);
    expect(i.names()).toEqual(['one', 'three']);
    expect(i.informer.latestResourceVersion()).toBe(
      String(Number(server.resourceVersion) - 1), // the team-b write is not this informer's
    );
    expect(server.requestCounts().byVerb).toEqual({ list: 1, watch: 1 });
  });

  it('follows a label selector, turning objects that leave it into deletes', async () => {
    server.apply(cm('web', 'team-a', { app: 'web' }));
    const i = informer({ labelSelector: 'app in (web,api)' });
    await i.start();
    expect(i.names()).toEqual(['web']);
    await server.waitForWatches(1);

    server.apply(cm('api', 'team-a', { app: 'api' }));
    server.apply(cm('web', 'team-a', { app: 'batch' })); // leaves the selection
    server.apply(cm('one', 'team-a', { app: 'web' })); // enters it

    await waitFor(() => i.events.length >= 4, {
      describe: () => i.events.join(', '),
    });
    expect(i.events.map(e => e.replace(/ \d+$/, ''))).toEqual([
      'add web',
      'add api',
      'delete web',
      'add one',
    ]);
    expect(i.names()).toEqual(['api', 'one']);
  });

  it('relists after 410 Expired when its resourceVersion was compacted away', async () => {
    const i = informer();
    await i.start();
    await server.waitForWatches(1);
    await i.stop();

    server.apply(cm('three'));
    server.delete(ref('one'));
    server.compact();
    server.resetRequests();

    await i.start();
    await waitFor(() => i.names().join() === 'three,two', {
      describe: () => i.names().join(),
    });
    expect(i.events.slice(2)).toEqual([
      expect.stringMatching(/^delete one$/),
      expect.stringMatching(/^add three/),
    ]);
    await server.waitForWatches(1);
    // Watch from the old version got 410, then list and a new watch.
    const log = server
      .requestLog()
      .map(r =>
        `${r.verb} ${r.query.includes('resourceVersion') ? 'rv' : ''}`.trim(),
      );
    expect(log).toEqual(['watch rv', 'list', 'watch rv']);
    expect(i.informer.latestResourceVersion()).toBe(server.resourceVersion);
  });

  it('relists when a forced reconnect resumes from a version compacted away', async () => {
    const i = informer();
    await i.start();
    await server.waitForWatches(1);
    const listed = i.informer.latestResourceVersion();
    // Changes this informer does not see move the cluster's version past the informer's.
    server.apply(cm('unseen', 'team-b'));
    server.compact();
    server.resetRequests();

    server.dropWatches({ graceful: true });
    await waitFor(() => server.requestCounts().byVerb.list === 1);
    await server.waitForWatches(1);
    expect(server.requestLog().map(r => r.verb)).toEqual([
      'watch',
      'list',
      'watch',
    ]);
    expect(server.requestLog()[0].query).toBe(
      `watch=true&resourceVersion=${listed}`,
    );
    expect(i.informer.latestResourceVersion()).toBe(server.resourceVersion);
    expect(i.names()).toEqual(['one', 'two']);
    expect(i.errors).toEqual([]);
  });

  it('sends the 410 as an ERROR event with an Expired Status, then ends the stream', async () => {
    server.apply(cm('three'));
    server.compact();
    const events: Array<[string, any]> = [];
    const done = new Promise<unknown>(resolve => {
      new Watch(kc).watch(
        '/api/v1/namespaces/team-a/configmaps',
        { resourceVersion: '1' },
        (type, object) => events.push([type, object]),
        resolve,
      );
    });
    expect(await done).toBeNull();
    expect(events).toEqual([
      [
        'ERROR',
        expect.objectContaining({
          kind: 'Status',
          status: 'Failure',
          code: 410,
          reason: 'Expired',
          message: `too old resource version: 1 (${server.resourceVersion})`,
        }),
      ],
    ]);
  });

  it('resumes without relisting after watches end gracefully', async () => {
    const i = informer();
    await i.start();
    await server.waitForWatches(1);
    expect(server.dropWatches({ graceful: true })).toBe(1);
    server.apply(cm('three'));
    await waitFor(() => i.names().includes('three'));
    expect(i.errors).toEqual([]);
    expect(server.requestCounts().byVerb).toEqual({ list: 1, watch: 2 });
  });

  it('reconnects after watches are dropped abruptly', async () => {
    const i = informer();
    await i.start();
    await server.waitForWatches(1);
    expect(server.dropWatches()).toBe(1);
    server.apply(cm('three'));
    await waitFor(() => i.names().includes('three'), {
      describe: () => i.names().join(),
    });
    await server.waitForWatches(1);
    // client-node reports the cut stream as an error; the informer restarts from its version.
    expect(i.errors).toEqual([
      expect.objectContaining({ code: 'ERR_STREAM_PREMATURE_CLOSE' }),
    ]);
    expect(server.requestCounts().byVerb.list).toBe(1);
    expect(server.requestCounts().byVerb.watch).toBe(2);
  });

  it('reconnects after an outage and catches up with what changed meanwhile', async () => {
    const i = informer();
    await i.start();
    await server.waitForWatches(1);

    await server.outage(true);
    await waitFor(() => i.errors.length > 0);
    server.apply({ ...cm('two'), data: { name: 'during outage' } });
    await new Promise(resolve => setTimeout(resolve, 60)); // let a retry fail against the refusing port
    expect(i.errors.length).toBeGreaterThan(1);
    expect(String((i.errors[1] as Error).message)).toMatch(/ECONNREFUSED/);

    await server.outage(false);
    await waitFor(() => i.events.includes('update two during outage'), {
      describe: () => i.events.join(', '),
    });
    await server.waitForWatches(1);
  });

  it('moves the resourceVersion forward with bookmarks, so a resume after compaction needs no relist', async () => {
    class BookmarkWatch extends Watch {
      watch(
        path: string,
        query: Record<string, any>,
        cb: any,
        done: (err: any) => void,
      ) {
        return super.watch(
          path,
          { ...query, allowWatchBookmarks: true },
          cb,
          done,
        );
      }
    }
    const i = informer({ watch: new BookmarkWatch(kc) });
    await i.start();
    await server.waitForWatches(1);
    const listed = i.informer.latestResourceVersion();

    server.apply(cm('unrelated', 'team-b'));
    server.apply(cm('unrelated-2', 'team-b'));
    const current = server.resourceVersion;
    expect(Number(current)).toBeGreaterThan(Number(listed));
    await waitFor(() => i.informer.latestResourceVersion() === current);

    server.compact();
    server.dropWatches({ graceful: true });
    server.apply(cm('three'));
    await waitFor(() => i.names().includes('three'));
    expect(server.requestCounts().byVerb).toEqual({ list: 1, watch: 2 });
    expect(server.openWatches()[0]).toMatchObject({
      resource: 'configmaps',
      namespace: 'team-a',
      resourceVersion: current,
      allowWatchBookmarks: true,
    });
  });

  it('sends BOOKMARK events that carry only kind, apiVersion and resourceVersion', async () => {
    const events: Array<[string, any]> = [];
    const controller = await new Watch(kc).watch(
      '/apis/apps/v1/deployments',
      { allowWatchBookmarks: true, resourceVersion: server.resourceVersion },
      (type, object) => events.push([type, object]),
      () => undefined,
    );
    await waitFor(() => events.length > 0);
    controller.abort();
    expect(events[0]).toEqual([
      'BOOKMARK',
      {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: { resourceVersion: server.resourceVersion },
      },
    ]);
  });

  it('ends a watch after timeoutSeconds', async () => {
    const started = Date.now();
    const events: string[] = [];
    const done = new Promise<unknown>(resolve => {
      new Watch(kc).watch(
        '/api/v1/namespaces/team-a/configmaps',
        { timeoutSeconds: 1 },
        type => events.push(type),
        resolve,
      );
    });
    expect(await done).toBeNull();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2000);
    expect(events).toEqual(['ADDED', 'ADDED']);
    expect(server.requestLog()[0]).toMatchObject({
      verb: 'watch',
      status: 200,
    });
    expect(server.requestLog()[0].durationMs).toBeGreaterThanOrEqual(950);
  });

  it('replays only the events after the requested resourceVersion', async () => {
    const from = server.resourceVersion;
    server.apply(cm('three'));
    server.delete(ref('one'));
    const seen: string[] = [];
    const controller = await new Watch(kc).watch(
      '/api/v1/configmaps',
      { resourceVersion: from },
      (type, object: KubernetesObject) =>
        seen.push(
          `${type} ${object.metadata?.name} ${object.metadata?.resourceVersion}`,
        ),
      () => undefined,
    );
    await waitFor(() => seen.length >= 2);
    controller.abort();
    expect(seen).toEqual([
      `ADDED three ${Number(from) + 1}`,
      `DELETED one ${Number(from) + 2}`,
    ]);
  });

  it('starts with a synthetic ADDED per object and an initial-events-end bookmark for streaming lists', async () => {
    const seen: Array<[string, any]> = [];
    const controller = await new Watch(kc).watch(
      '/api/v1/namespaces/team-a/configmaps',
      {
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      },
      (type, object) => seen.push([type, object]),
      () => undefined,
    );
    await waitFor(() => seen.length >= 3);
    controller.abort();
    expect(seen.map(([type, o]) => `${type} ${o.metadata.name ?? ''}`)).toEqual(
      ['ADDED one', 'ADDED two', 'BOOKMARK '],
    );
    expect(seen[2][1].metadata).toEqual({
      resourceVersion: server.resourceVersion,
      annotations: { 'k8s.io/initial-events-end': 'true' },
    });
  });
});
