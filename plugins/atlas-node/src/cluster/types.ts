import type {
  ClusterConnection,
  KubeObject,
} from '@mini-atlas/plugin-atlas-common';

/**
 * A kind the cluster cache lists and watches.
 *
 * @public
 */
export interface WatchedKind {
  /** `<group>/<version>`, or `v1` for the core group. */
  apiVersion: string;
  kind: string;
  /** Only objects matching this label selector (e.g. `kro.run/instance-name` for KRO's children). */
  labelSelector?: string;
  /**
   * Keeps only the fields the views need (bounded memory); gets the object as the server sent
   * it, with `apiVersion` and `kind` set, and must keep `metadata.name`, `namespace` and
   * `resourceVersion`.
   */
  trim?: (object: KubeObject) => KubeObject;
  /** A kind some clusters do not serve; its absence is listed, not treated as a failure. */
  optional?: boolean;
}

/**
 * How one watched kind is doing.
 *
 * @public
 */
export interface WatchedKindState {
  apiVersion: string;
  kind: string;
  /**
   * `resolving` (asking discovery), `missing` (not served by the cluster), `listing`,
   * `watching` (listed and watching), `retrying` (after an error).
   */
  state: 'resolving' | 'missing' | 'listing' | 'watching' | 'retrying';
  /** Resource name from discovery. */
  plural?: string;
  namespaced?: boolean;
  objects: number;
  error?: string;
}

/**
 * One change seen by a watch (or by a relist after a reconnect).
 *
 * @public
 */
export interface ClusterChange {
  type: 'add' | 'update' | 'delete';
  apiVersion: string;
  kind: string;
  /** The trimmed object (its last state for a delete). */
  object: KubeObject;
}

/**
 * Identifies a KRO instance, as the `kro.run/instance-*` labels on its children do.
 *
 * @public
 */
export interface InstanceKey {
  kind: string;
  name: string;
  /** Absent for cluster-scoped instances. */
  namespace?: string;
}

/**
 * Counters of the cache, for the benchmark and for logs.
 *
 * @public
 */
export interface ClusterCacheStats {
  /** Objects held, all kinds together. */
  objects: number;
  /** Requests sent to the API server since start: discovery, lists and watches. */
  requests: { discovery: number; list: number; watch: number };
  kinds: WatchedKindState[];
}

/**
 * A read-only, watch-fed copy of the cluster objects the portal shows: lists each kind once,
 * then follows a watch. Reconnects with backoff after errors and outages, resumes watches from
 * the last resourceVersion, relists on 410 Gone. Reads never reach the API server.
 *
 * @public
 */
export interface ClusterCache {
  /** Whether the cluster is reachable, which context, and why not. */
  connection(): ClusterConnection;
  /** Adds kinds to watch (already watched kinds are left alone). */
  watch(kinds: WatchedKind[]): void;
  /** One object, or undefined. */
  get(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): KubeObject | undefined;
  /** The objects of a kind, in one namespace if given. */
  list(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): readonly KubeObject[];
  /** The objects KRO created for an instance (found by its `kro.run/instance-*` labels). */
  childrenOf(instance: InstanceKey): KubeObject[];
  /** Whether discovery says a kind is namespaced; undefined when not known. */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined;
  /** Calls the listener with every change; returns an unsubscribe function. */
  onChange(listener: (change: ClusterChange) => void): () => void;
  /** Calls the listener when the connection state changes. */
  onConnection(listener: (connection: ClusterConnection) => void): () => void;
  /**
   * Resolves the next time every watched kind is listed (or known not to be served); does not
   * resolve while the cluster is unreachable.
   */
  synced(): Promise<void>;
  stats(): ClusterCacheStats;
  /** Stops every watch and retry. */
  stop(): Promise<void>;
}
