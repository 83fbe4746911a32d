import {
  IncomingMessage,
  Server,
  ServerResponse,
  createServer,
} from 'node:http';
import { Socket } from 'node:net';
import { builtInTypes } from './builtinTypes';
import { KubeApiError, injectedFailure, notFound } from './errors';
import { ApiHandler, parsePath, requestVerb, sendError } from './http';
import { kubeconfigObject, kubeconfigYaml } from './kubeconfig';
import { applyMergePatch, cloneJson } from './patch';
import { ObjectStore, TypeState, publicType } from './store';
import {
  FailNextOptions,
  KubeObject,
  KubeTestServer,
  KubeTestServerOptions,
  ObjectRef,
  RequestCounts,
  RequestRecord,
  TypeRef,
  WatchInfo,
} from './types';
import { WatchStream } from './watch';

const defaultNamespaceNames = [
  'default',
  'kube-node-lease',
  'kube-public',
  'kube-system',
];

interface PendingFailure extends FailNextOptions {
  remaining: number;
  code: number;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Order of bulk loads: types first, then namespaces, then the rest. */
function loadRank(object: KubeObject): number {
  if (object.kind === 'CustomResourceDefinition') return 0;
  if (object.kind === 'Namespace' && object.apiVersion === 'v1') return 1;
  return 2;
}

/** Copies returned to callers, so they cannot change what the store holds. */
function copy(object: KubeObject): KubeObject {
  return cloneJson(object);
}

/**
 * Starts a protocol-level Kubernetes API server on 127.0.0.1 (a random port unless given):
 * discovery, list, watch and writes over HTTP the way kube-apiserver answers them, plus
 * programmatic hooks and fault injection for tests.
 *
 * @public
 */
export async function startKubeTestServer(
  options: KubeTestServerOptions = {},
): Promise<KubeTestServer> {
  const store = new ObjectStore(options.historySize ?? 10_000);
  for (const type of builtInTypes) store.registerType(type);
  for (const type of options.types ?? []) store.registerType(type);

  const watches = new Set<WatchStream>();
  const sockets = new Set<Socket>();
  const failures: PendingFailure[] = [];
  const requestLogSize = options.requestLogSize ?? 10_000;
  let log: RequestRecord[] = [];
  let counts: RequestCounts = { total: 0, byVerb: {}, byVerbAndPath: {} };
  let latencyMs = 0;
  let down = false;
  let port = options.port ?? 0;

  const handler = new ApiHandler({
    store,
    address: () => `127.0.0.1:${port}`,
    kubernetesVersion: options.kubernetesVersion ?? 'v1.33.0',
    namespaceLifecycle: options.namespaceLifecycle ?? true,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    defaultWatchTimeoutSeconds: options.defaultWatchTimeoutSeconds ?? 1800,
    onWatchOpened: stream => watches.add(stream),
    onWatchClosed: stream => watches.delete(stream),
  });

  function record(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    verb: string,
  ): void {
    const path = parsePath(url.pathname);
    let resource: string | undefined;
    if (path.kind === 'resource' && path.plural) {
      resource = path.group ? `${path.plural}.${path.group}` : path.plural;
    }
    const entry: RequestRecord = {
      time: Date.now(),
      method: req.method ?? 'GET',
      verb,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      resource,
      namespace: path.namespace,
      status: 0,
      durationMs: -1,
    };
    log.push(entry);
    if (log.length > requestLogSize * 2) log = log.slice(-requestLogSize);
    counts.total++;
    counts.byVerb[verb] = (counts.byVerb[verb] ?? 0) + 1;
    const key = `${verb} ${url.pathname}`;
    counts.byVerbAndPath[key] = (counts.byVerbAndPath[key] ?? 0) + 1;
    res.on('close', () => {
      entry.status = res.headersSent ? res.statusCode : 0;
      entry.durationMs = Date.now() - entry.time;
    });
  }

  function takeFailure(
    verb: string,
    pathname: string,
  ): PendingFailure | undefined {
    const index = failures.findIndex(
      f =>
        (f.verb === undefined || f.verb === verb) &&
        (f.path === undefined ||
          (typeof f.path === 'string'
            ? pathname.includes(f.path)
            : f.path.test(pathname))),
    );
    if (index < 0) return undefined;
    const failure = failures[index];
    if (--failure.remaining <= 0) failures.splice(index, 1);
    return failure;
  }

  async function onRequest(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = parsePath(url.pathname);
    const verb = requestVerb(req.method ?? 'GET', path, url.searchParams);
    record(req, res, url, verb);
    if (latencyMs > 0) await delay(latencyMs);
    if (down) {
      req.socket.destroy();
      return;
    }
    const failure = takeFailure(verb, url.pathname);
    if (failure) {
      req.resume();
      sendError(
        res,
        injectedFailure(
          failure.code,
          failure.message,
          failure.retryAfterSeconds,
        ),
      );
      return;
    }
    await handler.handle(req, res, path, url.searchParams, url.pathname);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(error => sendError(res, error));
  });
  server.on('connection', socket => {
    if (down) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await listen(server, port);
  port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;

  function typeOf(ref: TypeRef): TypeState {
    return store.requireType(ref.apiVersion, ref.kind);
  }

  function namespaceOf(state: TypeState, ref: { namespace?: string }): string {
    if (!state.def.namespaced) return '';
    if (!ref.namespace) {
      throw new KubeApiError(
        400,
        `${state.def.kind} is namespaced: a namespace is required`,
      );
    }
    return ref.namespace;
  }

  function applyOne(object: KubeObject): KubeObject {
    const state = typeOf(object);
    const input = copy(object);
    const namespace = namespaceOf(state, input.metadata ?? {});
    const exists =
      state.get(namespace, input.metadata?.name ?? '') !== undefined;
    const entry = exists
      ? store.update(state, input, {
          ignoreResourceVersion: true,
          keepStatus: true,
        })
      : store.create(state, input, { keepStatus: true });
    return entry.object;
  }

  function destroyConnections(): void {
    for (const stream of [...watches]) stream.destroy();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  }

  const handle: KubeTestServer = {
    url,
    port,
    kubeconfig: (contextName = 'kind-mini-atlas') =>
      kubeconfigYaml(url, contextName),
    kubeconfigObject: (contextName = 'kind-mini-atlas') =>
      kubeconfigObject(url, contextName),

    async close() {
      down = true;
      destroyConnections();
      server.closeAllConnections();
      if (server.listening) {
        await new Promise<void>(resolve => server.close(() => resolve()));
      }
    },

    registerType: type => {
      store.registerType(type);
    },
    types: () => store.allTypes().map(state => publicType(state.def)),

    apply: object => copy(applyOne(object)),
    load(objects) {
      const sorted = [...objects].sort((a, b) => loadRank(a) - loadRank(b));
      for (const object of sorted) applyOne(object);
      return sorted.length;
    },
    patchStatus(ref, status) {
      const state = typeOf(ref);
      const current = state.get(namespaceOf(state, ref), ref.name);
      if (!current) throw notFound(state.def, ref.name);
      const next = {
        ...current.object,
        status: applyMergePatch(current.object.status, status),
      } as KubeObject;
      return copy(store.update(state, next, { subresource: 'status' }).object);
    },
    delete(ref, deleteOptions = {}) {
      const state = typeOf(ref);
      const namespace = namespaceOf(state, ref);
      if (!state.get(namespace, ref.name)) return undefined;
      return copy(
        store.delete(state, namespace, ref.name, { force: deleteOptions.force })
          .entry.object,
      );
    },
    get(ref: ObjectRef) {
      const state = typeOf(ref);
      const entry = state.get(namespaceOf(state, ref), ref.name);
      return entry ? copy(entry.object) : undefined;
    },
    list(type, namespace) {
      const state = typeOf(type);
      return store
        .list(state, {
          namespace: state.def.namespaced ? namespace : undefined,
        })
        .items.map(e => copy(e.object));
    },
    count(type, namespace) {
      const state = typeOf(type);
      if (namespace === undefined || !state.def.namespaced) return state.size;
      return state.sizeOf(namespace);
    },
    get resourceVersion() {
      return String(store.rv);
    },
    compact: () => store.compact(),

    openWatches: (): WatchInfo[] =>
      [...watches].map(stream => ({ ...stream.info })),
    async waitForWatches(count, waitOptions = {}) {
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 5000);
      const matching = () =>
        [...watches].filter(
          s =>
            !waitOptions.resource || s.info.resource === waitOptions.resource,
        ).length;
      while (matching() < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `expected ${count} open watches${
              waitOptions.resource ? ` of ${waitOptions.resource}` : ''
            }, ` + `found ${matching()}`,
          );
        }
        await delay(5);
      }
    },
    dropWatches(dropOptions = {}) {
      const open = [...watches];
      for (const stream of open) {
        if (dropOptions.graceful) stream.end();
        else stream.destroy();
      }
      return open.length;
    },

    async outage(on) {
      if (on === down) return;
      down = on;
      if (on) {
        destroyConnections();
        await new Promise<void>(resolve => server.close(() => resolve()));
      } else {
        await listen(server, port);
      }
    },
    latency(ms) {
      latencyMs = Math.max(0, ms);
    },
    failNext(count, code = 500, failOptions = {}) {
      if (count > 0) failures.push({ ...failOptions, remaining: count, code });
    },

    requestLog: () => log.slice(-requestLogSize).map(entry => ({ ...entry })),
    requestCounts: () => cloneJson(counts),
    resetRequests() {
      log = [];
      counts = { total: 0, byVerb: {}, byVerbAndPath: {} };
    },
  };

  if (options.defaultNamespaces ?? true) {
    handle.load(
      defaultNamespaceNames.map(name => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      })),
    );
  }
  if (options.objects) handle.load(options.objects);
  return handle;
}
