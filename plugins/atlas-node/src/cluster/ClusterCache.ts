import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterConnection,
  KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import { KRO_LABELS } from '@mini-atlas/plugin-atlas-common';
import { ApiDiscovery, type DiscoveredResource } from './discovery';
import {
  loadClusterConfig,
  type ClusterSource,
  type LoadedKubeConfig,
} from './kubeconfig';
import { getKubeJson, isConnectionError } from './kubeHttp';
import { trimGeneric } from './trim';
import type {
  ClusterCache,
  ClusterCacheStats,
  ClusterChange,
  InstanceKey,
  WatchedKind,
  WatchedKindState,
} from './types';

/**
 * What the cache logs through (the backend's logger fits).
 *
 * @public
 */
export type ClusterCacheLogger = Pick<LoggerService, 'info' | 'warn' | 'debug'>;

/**
 * Options of {@link createClusterCache}.
 *
 * @public
 */
export interface ClusterCacheOptions {
  /** Where the kubeconfig is (re-read on every connection attempt), or a function loading it. */
  source?: ClusterSource | (() => LoadedKubeConfig);
  kinds?: WatchedKind[];
  logger?: ClusterCacheLogger;
  /** Reconnection delays. */
  retry?: {
    /** First delay after an error; default 250 ms. */
    initialDelayMs?: number;
    /** Longest delay while the cluster was reachable recently; default 4 s (catch up in under 5 s). */
    maxDelayMs?: number;
    /** Longest delay once the cluster has been unreachable for two minutes; default 30 s. */
    idleMaxDelayMs?: number;
  };
  /** Objects per page when listing; default 500. */
  pageSize?: number;
  /** When set, the cache never connects and reports this reason (watching turned off by config). */
  disabled?: string;
}

const CRD_KIND: WatchedKind = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  optional: true,
  trim: crd => ({
    apiVersion: crd.apiVersion,
    kind: crd.kind,
    metadata: {
      name: crd.metadata.name,
      resourceVersion: crd.metadata.resourceVersion,
    },
    spec: {
      group: crd.spec?.group,
      names: { kind: crd.spec?.names?.kind },
      versions: (crd.spec?.versions ?? []).map((v: { name: string }) => ({
        name: v.name,
      })),
    },
  }),
};

interface KindEntry {
  spec: WatchedKind;
  key: string;
  state: WatchedKindState['state'];
  resource?: DiscoveredResource;
  informer?: ListWatch<KubernetesObject>;
  /** Bumped whenever the informer is replaced, so callbacks of an old one are ignored. */
  generation: number;
  error?: string;
  failures: number;
  retryTimer?: NodeJS.Timeout;
  listed: boolean;
  /** True while startKind runs, so two starts never race on one informer. */
  starting: boolean;
}

const kindKey = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;

function objectKey(
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
) {
  return `${apiVersion}/${kind}/${namespace ?? ''}/${name}`;
}

function instanceKeyString(key: InstanceKey): string {
  return `${key.kind}/${key.namespace ?? ''}/${key.name}`;
}

function instanceKeyOf(object: KubeObject): string | undefined {
  const labels = object.metadata.labels;
  const name = labels?.[KRO_LABELS.instanceName];
  const kind = labels?.[KRO_LABELS.instanceKind];
  if (!name || !kind) return undefined;
  return `${kind}/${labels?.[KRO_LABELS.instanceNamespace] ?? ''}/${name}`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object') {
    const e = error as { message?: string; statusCode?: number };
    if (e.message) return e.message;
    if (e.statusCode) return `HTTP ${e.statusCode}`;
  }
  return String(error);
}

const noopLogger: ClusterCacheLogger = {
  info() {},
  warn() {},
  debug() {},
};

/**
 * A `Watch` that trims every object before the informer stores it, asks for bookmarks and
 * reports when a watch request was accepted.
 */
class TrimmingWatch extends Watch {
  constructor(
    kubeConfig: KubeConfig,
    private readonly hooks: {
      prepare: (object: KubeObject) => KubeObject;
      onRequest: () => void;
      onEstablished: () => void;
    },
  ) {
    super(kubeConfig);
  }

  async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    this.hooks.onRequest();
    let failed = false;
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      (phase, object, raw) => {
        const kept =
          phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED'
            ? this.hooks.prepare(object)
            : object;
        callback(phase, kept, raw);
      },
      err => {
        if (err) failed = true;
        done(err);
      },
    );
    if (!failed) this.hooks.onEstablished();
    return controller;
  }
}

class KubeClusterCache implements ClusterCache {
  private readonly logger: ClusterCacheLogger;
  private readonly kinds = new Map<string, KindEntry>();
  private readonly changeListeners = new Set<(c: ClusterChange) => void>();
  private readonly connectionListeners = new Set<
    (c: ClusterConnection) => void
  >();
  private readonly children = new Map<string, Map<string, KubeObject>>();
  private readonly childOwner = new Map<string, string>();
  private readonly requests = { discovery: 0, list: 0, watch: 0 };
  private syncWaiters: Array<() => void> = [];
  private conn: ClusterConnection = {
    connected: false,
    reason: 'connecting',
  };
  private loaded?: LoadedKubeConfig;
  private discovery?: ApiDiscovery;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectAttempts = 0;
  private connecting = false;
  private unreachableSince = Date.now();
  private everConnected = false;
  private stopped = false;
  private readonly initialDelay: number;
  private readonly maxDelay: number;
  private readonly idleMaxDelay: number;

  constructor(private readonly options: ClusterCacheOptions) {
    this.logger = options.logger ?? noopLogger;
    this.initialDelay = options.retry?.initialDelayMs ?? 250;
    this.maxDelay = options.retry?.maxDelayMs ?? 4_000;
    this.idleMaxDelay = options.retry?.idleMaxDelayMs ?? 30_000;
    this.addKinds([CRD_KIND, ...(options.kinds ?? [])]);
    if (options.disabled)
      this.conn = { connected: false, reason: options.disabled };
    else void this.connect();
  }

  connection(): ClusterConnection {
    return this.conn;
  }

  watch(kinds: WatchedKind[]): void {
    const added = this.addKinds(kinds);
    if (this.conn.connected) added.forEach(entry => void this.startKind(entry));
  }

  get(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): KubeObject | undefined {
    return this.kinds
      .get(kindKey(apiVersion, kind))
      ?.informer?.get(name, namespace) as KubeObject | undefined;
  }

  list(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): readonly KubeObject[] {
    return (this.kinds
      .get(kindKey(apiVersion, kind))
      ?.informer?.list(namespace) ?? []) as readonly KubeObject[];
  }

  childrenOf(instance: InstanceKey): KubeObject[] {
    const found = this.children.get(instanceKeyString(instance));
    return found ? [...found.values()] : [];
  }

  isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    return (
      this.kinds.get(kindKey(apiVersion, kind))?.resource?.namespaced ??
      this.discovery?.peek(apiVersion, kind)?.namespaced
    );
  }

  onChange(listener: (change: ClusterChange) => void) {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  onConnection(listener: (connection: ClusterConnection) => void) {
    this.connectionListeners.add(listener);
    return () => {
      this.connectionListeners.delete(listener);
    };
  }

  synced(): Promise<void> {
    if (this.isSynced()) return Promise.resolve();
    return new Promise(resolve => this.syncWaiters.push(resolve));
  }

  stats(): ClusterCacheStats {
    const kinds = [...this.kinds.values()].map(entry => this.kindState(entry));
    return {
      objects: kinds.reduce((sum, k) => sum + k.objects, 0),
      requests: { ...this.requests },
      kinds,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    for (const entry of this.kinds.values()) {
      clearTimeout(entry.retryTimer);
      entry.generation += 1;
      await entry.informer?.stop();
    }
    this.changeListeners.clear();
    this.connectionListeners.clear();
  }

  // --- connection -------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting) return;
    this.connecting = true;
    try {
      const loaded =
        typeof this.options.source === 'function'
          ? this.options.source()
          : loadClusterConfig(this.options.source);
      const changedCluster =
        !this.loaded ||
        this.loaded.server !== loaded.server ||
        this.loaded.context !== loaded.context;
      const discovery = new ApiDiscovery(loaded.kubeConfig, () => {
        this.requests.discovery += 1;
      });
      // the core group answers on every API server: reaching it is being connected
      await discovery.resolve('v1', 'Namespace');
      if (this.stopped) return;
      if (changedCluster) this.dropInformers();
      this.loaded = loaded;
      this.discovery = discovery;
      this.reconnectAttempts = 0;
      this.everConnected = true;
      this.setConnection({ connected: true, context: loaded.context });
      this.logger.info('Watching the cluster', {
        context: loaded.context,
        server: loaded.server,
      });
      for (const entry of this.kinds.values()) {
        if (entry.state !== 'watching' && entry.state !== 'listing') {
          clearTimeout(entry.retryTimer);
          void this.startKind(entry);
        }
      }
      this.checkSynced();
    } catch (e) {
      this.unreachable(describeError(e));
    } finally {
      this.connecting = false;
    }
  }

  private unreachable(reason: string) {
    if (this.stopped) return;
    if (this.conn.connected || this.conn.reason !== reason) {
      if (this.conn.connected) this.unreachableSince = Date.now();
      this.logger[this.everConnected ? 'warn' : 'info'](
        'The cluster is not reachable; retrying in the background',
        { reason },
      );
    }
    this.setConnection({
      connected: false,
      context: this.loaded?.context ?? this.conn.context,
      reason,
    });
    for (const entry of this.kinds.values()) clearTimeout(entry.retryTimer);
    clearTimeout(this.reconnectTimer);
    const cap =
      Date.now() - this.unreachableSince > 120_000
        ? this.idleMaxDelay
        : this.maxDelay;
    const delay = this.delay(this.reconnectAttempts, cap);
    this.reconnectAttempts += 1;
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private delay(attempt: number, cap: number): number {
    const base = Math.min(cap, this.initialDelay * 2 ** attempt);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private setConnection(next: ClusterConnection) {
    const missingKinds = [...this.kinds.values()]
      .filter(e => e.state === 'missing' && !e.spec.optional)
      .map(e => `${e.spec.kind}.${e.spec.apiVersion}`);
    const { missingKinds: _old, ...rest } = next;
    const syncedAt =
      next.syncedAt ?? (next.connected ? this.conn.syncedAt : undefined);
    const connection: ClusterConnection = {
      ...rest,
      ...(syncedAt ? { syncedAt } : {}),
      ...(missingKinds.length ? { missingKinds } : {}),
    };
    const changed = JSON.stringify(connection) !== JSON.stringify(this.conn);
    this.conn = connection;
    if (changed) {
      for (const listener of this.connectionListeners) listener(connection);
    }
  }

  // --- kinds ------------------------------------------------------------------------------

  private addKinds(kinds: WatchedKind[]): KindEntry[] {
    const added: KindEntry[] = [];
    for (const spec of kinds) {
      const key = kindKey(spec.apiVersion, spec.kind);
      if (this.kinds.has(key)) continue;
      const entry: KindEntry = {
        spec,
        key,
        state: 'resolving',
        generation: 0,
        failures: 0,
        listed: false,
        starting: false,
      };
      this.kinds.set(key, entry);
      added.push(entry);
    }
    return added;
  }

  private dropInformers() {
    for (const entry of this.kinds.values()) {
      entry.generation += 1;
      void entry.informer?.stop();
      entry.informer = undefined;
      entry.resource = undefined;
      entry.listed = false;
      entry.state = 'resolving';
    }
    this.children.clear();
    this.childOwner.clear();
  }

  private async startKind(entry: KindEntry): Promise<void> {
    const discovery = this.discovery;
    const loaded = this.loaded;
    if (this.stopped || !discovery || !loaded || entry.starting) return;
    clearTimeout(entry.retryTimer);
    entry.starting = true;
    try {
      await this.resolveAndStart(entry, discovery, loaded);
    } finally {
      entry.starting = false;
    }
  }

  private async resolveAndStart(
    entry: KindEntry,
    discovery: ApiDiscovery,
    loaded: LoadedKubeConfig,
  ): Promise<void> {
    entry.state = 'resolving';
    let resource: DiscoveredResource | undefined;
    try {
      resource = await discovery.resolve(
        entry.spec.apiVersion,
        entry.spec.kind,
      );
    } catch (e) {
      this.kindFailed(entry, entry.generation, e);
      return;
    }
    if (this.stopped || discovery !== this.discovery) return;
    if (
      !resource ||
      !resource.verbs.includes('list') ||
      !resource.verbs.includes('watch')
    ) {
      entry.state = 'missing';
      entry.error = `${entry.spec.kind}.${entry.spec.apiVersion} is not served by the cluster`;
      this.setConnection(this.conn);
      this.checkSynced();
      return;
    }
    if (!entry.informer || entry.resource?.path !== resource.path) {
      entry.generation += 1;
      void entry.informer?.stop();
      entry.informer = this.makeInformer(entry, resource, loaded.kubeConfig);
      entry.listed = false;
    }
    entry.resource = resource;
    entry.state = entry.listed ? 'watching' : 'listing';
    this.setConnection(this.conn);
    await entry.informer.start();
  }

  private makeInformer(
    entry: KindEntry,
    resource: DiscoveredResource,
    kubeConfig: KubeConfig,
  ): ListWatch<KubernetesObject> {
    const generation = entry.generation;
    const current = () => generation === entry.generation && !this.stopped;
    const pageSize = this.options.pageSize ?? 500;

    const list = async () => {
      const items: KubeObject[] = [];
      let resourceVersion = '';
      let token: string | undefined;
      do {
        const query = new URLSearchParams({ limit: String(pageSize) });
        if (entry.spec.labelSelector)
          query.set('labelSelector', entry.spec.labelSelector);
        if (token) query.set('continue', token);
        this.requests.list += 1;
        const page = await getKubeJson<{
          items?: KubeObject[];
          metadata?: { resourceVersion?: string; continue?: string };
        }>(kubeConfig, `${resource.path}?${query}`, { timeoutMs: 60_000 });
        for (const item of page.items ?? [])
          items.push(this.prepare(entry, item));
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        token = page.metadata?.continue || undefined;
      } while (token);
      if (current()) entry.listed = true;
      return { metadata: { resourceVersion }, items } as any;
    };

    const informer = new ListWatch<KubernetesObject>(
      resource.path,
      new TrimmingWatch(kubeConfig, {
        prepare: object => this.prepare(entry, object),
        onRequest: () => {
          this.requests.watch += 1;
        },
        onEstablished: () => {
          if (current()) this.watchEstablished(entry);
        },
      }),
      list,
      false,
      entry.spec.labelSelector,
    );
    informer.on('add', object => {
      if (current()) this.changed(entry, 'add', object as KubeObject);
    });
    informer.on('update', object => {
      if (current()) this.changed(entry, 'update', object as KubeObject);
    });
    informer.on('delete', object => {
      if (current()) this.changed(entry, 'delete', object as KubeObject);
    });
    informer.on('error', error => {
      if (current()) this.kindFailed(entry, generation, error);
    });
    return informer;
  }

  /** Sets apiVersion and kind (lists of built-in kinds omit them) and trims. */
  private prepare(entry: KindEntry, raw: KubeObject): KubeObject {
    const object = {
      ...raw,
      apiVersion: entry.spec.apiVersion,
      kind: entry.spec.kind,
    };
    return (entry.spec.trim ?? trimGeneric)(object);
  }

  private watchEstablished(entry: KindEntry) {
    entry.failures = 0;
    entry.error = undefined;
    entry.state = 'watching';
    this.checkSynced();
  }

  private kindFailed(entry: KindEntry, generation: number, error: unknown) {
    if (this.stopped || generation !== entry.generation) return;
    const message = describeError(error);
    entry.failures += 1;
    entry.error = message;
    entry.state = 'retrying';
    const statusCode = (error as { statusCode?: number })?.statusCode;
    if (statusCode === 404) this.discovery?.forget(entry.spec.apiVersion);
    this.logger.debug('Watch failed; retrying', {
      kind: entry.spec.kind,
      error: message,
      failures: entry.failures,
    });
    if (isConnectionError(error) && entry.failures >= 2) {
      // the whole server is gone: one probe with backoff instead of a retry per kind
      this.unreachable(message);
      return;
    }
    clearTimeout(entry.retryTimer);
    entry.retryTimer = setTimeout(
      () => void this.startKind(entry),
      this.delay(entry.failures - 1, this.maxDelay),
    );
  }

  private changed(
    entry: KindEntry,
    type: ClusterChange['type'],
    object: KubeObject,
  ) {
    const key = objectKey(
      entry.spec.apiVersion,
      entry.spec.kind,
      object.metadata.name,
      object.metadata.namespace,
    );
    this.indexChild(key, type === 'delete' ? undefined : object);
    if (entry.spec === CRD_KIND) this.crdChanged(object);
    const change: ClusterChange = {
      type,
      apiVersion: entry.spec.apiVersion,
      kind: entry.spec.kind,
      object,
    };
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch (e) {
        this.logger.warn('A cluster change listener failed', {
          error: describeError(e),
        });
      }
    }
  }

  private indexChild(key: string, object: KubeObject | undefined) {
    const previous = this.childOwner.get(key);
    const owner = object ? instanceKeyOf(object) : undefined;
    if (previous && previous !== owner) {
      const set = this.children.get(previous);
      set?.delete(key);
      if (set && set.size === 0) this.children.delete(previous);
      this.childOwner.delete(key);
    }
    if (owner && object) {
      let set = this.children.get(owner);
      if (!set) {
        set = new Map();
        this.children.set(owner, set);
      }
      set.set(key, object);
      this.childOwner.set(key, owner);
    }
  }

  /** A CRD appeared or changed: kinds it serves that were missing are resolved again. */
  private crdChanged(crd: KubeObject) {
    const group = crd.spec?.group;
    const kind = crd.spec?.names?.kind;
    for (const entry of this.kinds.values()) {
      if (
        entry.state === 'missing' &&
        entry.spec.kind === kind &&
        entry.spec.apiVersion.startsWith(`${group}/`)
      ) {
        this.discovery?.forget(entry.spec.apiVersion);
        void this.startKind(entry);
      }
    }
  }

  private isSynced(): boolean {
    if (!this.conn.connected) return false;
    for (const entry of this.kinds.values()) {
      if (
        entry.state !== 'missing' &&
        !(entry.listed && entry.state === 'watching')
      )
        return false;
    }
    return true;
  }

  private checkSynced() {
    if (!this.isSynced()) return;
    if (!this.conn.syncedAt || this.syncWaiters.length) {
      this.setConnection({ ...this.conn, syncedAt: new Date().toISOString() });
    }
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    waiters.forEach(resolve => resolve());
  }

  private kindState(entry: KindEntry): WatchedKindState {
    return {
      apiVersion: entry.spec.apiVersion,
      kind: entry.spec.kind,
      state: entry.state,
      ...(entry.resource
        ? {
            plural: entry.resource.plural,
            namespaced: entry.resource.namespaced,
          }
        : {}),
      objects: entry.informer ? entry.informer.list().length : 0,
      ...(entry.error ? { error: entry.error } : {}),
    };
  }
}

/**
 * Creates the {@link ClusterCache} and starts connecting at once. With no cluster reachable it
 * reports `connected: false` with the reason and keeps retrying quietly with backoff.
 *
 * Built on `@kubernetes/client-node`'s `ListWatch` informers; the watch stream is wrapped so
 * every object is trimmed before the informer stores it, and `allowWatchBookmarks` is asked for.
 *
 * @public
 */
export function createClusterCache(
  options: ClusterCacheOptions = {},
): ClusterCache {
  return new KubeClusterCache(options);
}
