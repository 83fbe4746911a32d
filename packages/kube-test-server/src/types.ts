/**
 * A resource type served by the test server, as discovery describes it.
 *
 * @public
 */
export interface ResourceType {
  /** API group, `''` for the core group (`/api/v1`). */
  group: string;
  /** API version, e.g. `v1` or `v1alpha1`. */
  version: string;
  /** Kind, e.g. `ConfigMap`. */
  kind: string;
  /** Resource name in URLs, e.g. `configmaps`. Never derived from the kind. */
  plural: string;
  /** Whether objects live in a namespace. */
  namespaced: boolean;
  /** Kind of lists; defaults to `<kind>List`. */
  listKind?: string;
  /** Singular resource name; defaults to the kind in lower case. */
  singularName?: string;
  /** Short names announced by discovery (`kubectl get rgd`). */
  shortNames?: string[];
  /** Categories announced by discovery (`kubectl get all`). */
  categories?: string[];
  /**
   * Verbs the resource supports; requests for other verbs get 405. Defaults to create, delete,
   * deletecollection, get, list, patch, update, watch.
   */
  verbs?: string[];
  /**
   * Whether the type has a `/status` subresource; defaults to true. When it has one, writes to
   * the main resource ignore `status` and writes to `/status` change only `status`.
   */
  statusSubresource?: boolean;
  /**
   * True for kinds compiled into kube-apiserver (not custom resources). Their list items are
   * served without `kind` and `apiVersion`, exactly like the real server does in JSON.
   */
  builtIn?: boolean;
}

/**
 * Object metadata, as far as the server reads or fills it.
 *
 * @public
 */
export interface KubeObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * Any Kubernetes object.
 *
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta;
  [key: string]: unknown;
}

/**
 * Names a type by `apiVersion` and `kind`, as objects do.
 *
 * @public
 */
export interface TypeRef {
  apiVersion: string;
  kind: string;
}

/**
 * Names one object.
 *
 * @public
 */
export interface ObjectRef extends TypeRef {
  name: string;
  /** Required for namespaced kinds, ignored for cluster-scoped ones. */
  namespace?: string;
}

/**
 * The `details` of a `Status`.
 *
 * @public
 */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: Array<{ reason?: string; message?: string; field?: string }>;
  retryAfterSeconds?: number;
}

/**
 * A `meta/v1 Status` object, the body of every error answer.
 *
 * @public
 */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/**
 * One request the server received.
 *
 * @public
 */
export interface RequestRecord {
  /** Epoch milliseconds at arrival. */
  time: number;
  method: string;
  /**
   * Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; `get`
   * for discovery and other non-resource paths.
   */
  verb: string;
  /** URL path without the query. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** `plural` or `plural.group` for resource requests. */
  resource?: string;
  namespace?: string;
  /** HTTP status, set when the answer ends (0 while it is open, e.g. a running watch). */
  status: number;
  /** Milliseconds until the answer ended (for watches: the stream's lifetime); -1 while open. */
  durationMs: number;
}

/**
 * Request counters since start or the last `resetRequests()`.
 *
 * @public
 */
export interface RequestCounts {
  total: number;
  /** By Kubernetes verb, e.g. `{ list: 3, watch: 3 }`. */
  byVerb: Record<string, number>;
  /** By `<verb> <path>`, e.g. `{ 'list /api/v1/configmaps': 1 }`. */
  byVerbAndPath: Record<string, number>;
}

/**
 * An open watch stream.
 *
 * @public
 */
export interface WatchInfo {
  /** `plural` or `plural.group`. */
  resource: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** The resourceVersion the client asked to start from (`''` if none). */
  resourceVersion: string;
  allowWatchBookmarks: boolean;
  /** Epoch milliseconds when the stream opened. */
  openedAt: number;
}

/**
 * Options of {@link startKubeTestServer}.
 *
 * @public
 */
export interface KubeTestServerOptions {
  /** Port to listen on (127.0.0.1); default 0, a random free port. */
  port?: number;
  /** Types to register besides the built-in ones (CRD kinds). */
  types?: ResourceType[];
  /** Objects to load before the server answers (any order; CRDs register their types). */
  objects?: KubeObject[];
  /** Watch events kept per type for resuming watches; default 10,000. Older ones give 410. */
  historySize?: number;
  /** Interval of BOOKMARK events on watches that allow them; default 60,000 ms like kube-apiserver. */
  bookmarkIntervalMs?: number;
  /** Lifetime of a watch whose client gave no `timeoutSeconds`; default 1,800 s. */
  defaultWatchTimeoutSeconds?: number;
  /**
   * Reject HTTP creates of namespaced objects in a namespace that does not exist (404), like the
   * NamespaceLifecycle admission plugin; default true. Programmatic writes are never checked.
   */
  namespaceLifecycle?: boolean;
  /** Create `default`, `kube-system`, `kube-public` and `kube-node-lease`; default true. */
  defaultNamespaces?: boolean;
  /** Request records kept for {@link KubeTestServer.requestLog}; default 10,000. */
  requestLogSize?: number;
  /** `gitVersion` answered by `/version`; default `v1.33.0`. */
  kubernetesVersion?: string;
}

/**
 * Which requests {@link KubeTestServer.failNext} fails.
 *
 * @public
 */
export interface FailNextOptions {
  /** Only requests with this Kubernetes verb (see {@link RequestRecord.verb}). */
  verb?: string;
  /** Only requests whose path contains this string or matches this expression. */
  path?: string | RegExp;
  /** Message of the Status; a default per code otherwise. */
  message?: string;
  /** Sets `Retry-After` and `details.retryAfterSeconds` (useful with 429 and 503). */
  retryAfterSeconds?: number;
}

/**
 * A running test API server.
 *
 * @public
 */
export interface KubeTestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Kubeconfig YAML (one cluster, context and user; http, no auth) for `KubeConfig.loadFromString`. */
  kubeconfig(contextName?: string): string;
  /** The same kubeconfig as a plain object (`KubeConfig.loadFromOptions` accepts it). */
  kubeconfigObject(contextName?: string): Record<string, unknown>;
  /** Ends every stream and connection and stops listening. */
  close(): Promise<void>;

  /** Registers (or redefines) a type; discovery shows it at once. */
  registerType(type: ResourceType): void;
  /** Every registered type. */
  types(): ResourceType[];

  /** Creates or replaces an object, status included, without admission or conflict checks. */
  apply(object: KubeObject): KubeObject;
  /** Applies many objects quickly (CRDs first, then namespaces, then the rest); returns the count. */
  load(objects: Iterable<KubeObject>): number;
  /** Merges `status` into the object's status (JSON merge patch semantics). */
  patchStatus(ref: ObjectRef, status: Record<string, unknown>): KubeObject;
  /**
   * Deletes like the API does: with finalizers the object only gets a deletionTimestamp (unless
   * `force`); returns the last state, or undefined if it did not exist.
   */
  delete(ref: ObjectRef, options?: { force?: boolean }): KubeObject | undefined;
  /** A copy of one object, or undefined. */
  get(ref: ObjectRef): KubeObject | undefined;
  /** Copies of all objects of a type, sorted by namespace and name; one namespace if given. */
  list(type: TypeRef, namespace?: string): KubeObject[];
  /** Number of objects of a type (no copies). */
  count(type: TypeRef, namespace?: string): number;
  /** The current (last written) resourceVersion. */
  readonly resourceVersion: string;
  /** Forgets all watch history: watches and continue tokens from before now get 410 Expired. */
  compact(): void;

  /** The open watch streams. */
  openWatches(): WatchInfo[];
  /** Resolves once at least `count` watches (optionally of one resource) are open. */
  waitForWatches(
    count: number,
    options?: { resource?: string; timeoutMs?: number },
  ): Promise<void>;
  /**
   * Ends every open watch stream. Abruptly by default (the socket is destroyed mid-stream, the
   * client sees an error); `graceful` ends the chunked response cleanly, like a watch timeout.
   * Returns the number of streams ended.
   */
  dropWatches(options?: { graceful?: boolean }): number;

  /**
   * While on, the server stops listening (connections are refused) and every open connection is
   * destroyed; turning it off listens again on the same port.
   */
  outage(on: boolean): Promise<void>;
  /** Delays every answer (and the start of every watch) by `ms`; 0 turns it off. */
  latency(ms: number): void;
  /** Answers the next `count` matching requests with a Status of `code` (default 500). */
  failNext(count: number, code?: number, options?: FailNextOptions): void;

  /** The most recent requests, oldest first. */
  requestLog(): RequestRecord[];
  /** Counters of requests by verb and by verb and path. */
  requestCounts(): RequestCounts;
  /** Clears the request log and counters. */
  resetRequests(): void;
}
