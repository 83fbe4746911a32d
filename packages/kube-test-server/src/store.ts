import { randomBytes, randomUUID } from 'node:crypto';
import {
  KubeApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  invalid,
  notFound,
  qualifiedName,
} from './errors';
import { deepEqual } from './patch';
import { Selectors, matchesSelectors, pinnedField } from './selectors';
import { KubeObject, KubeObjectMeta, ResourceType } from './types';

const defaultVerbs = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** A registered type with every optional field filled in. */
export interface TypeDefinition extends Required<ResourceType> {
  apiVersion: string;
  /** `plural` or `plural.group`. */
  resource: string;
}

function normalizeType(t: ResourceType): TypeDefinition {
  for (const field of ['version', 'kind', 'plural'] as const) {
    if (!t[field])
      throw new Error(
        `resource type is missing "${field}": ${JSON.stringify(t)}`,
      );
  }
  return {
    group: t.group ?? '',
    version: t.version,
    kind: t.kind,
    plural: t.plural,
    namespaced: t.namespaced,
    listKind: t.listKind ?? `${t.kind}List`,
    singularName: t.singularName ?? t.kind.toLowerCase(),
    shortNames: t.shortNames ?? [],
    categories: t.categories ?? [],
    verbs: t.verbs ?? defaultVerbs,
    statusSubresource: t.statusSubresource ?? true,
    builtIn: t.builtIn ?? false,
    apiVersion: t.group ? `${t.group}/${t.version}` : t.version,
    resource: qualifiedName({ group: t.group ?? '', plural: t.plural }),
  };
}

/** The public view of a registered type. */
export function publicType(def: TypeDefinition): ResourceType {
  return {
    group: def.group,
    version: def.version,
    kind: def.kind,
    plural: def.plural,
    namespaced: def.namespaced,
    listKind: def.listKind,
    singularName: def.singularName,
    shortNames: [...def.shortNames],
    categories: [...def.categories],
    verbs: [...def.verbs],
    statusSubresource: def.statusSubresource,
    builtIn: def.builtIn,
  };
}

/** A stored object. The object is never modified once stored; its JSON is cached on demand. */
export interface Entry {
  readonly object: KubeObject;
  json?: string;
}

/** The object's JSON, serialized once. */
export function entryJson(entry: Entry): string {
  if (entry.json === undefined) entry.json = JSON.stringify(entry.object);
  return entry.json;
}

/** A change of one object, as watches see it. */
export interface StoreEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly rv: number;
  /** The new state; for DELETED the last state, with the deletion's resourceVersion. */
  readonly entry: Entry;
  /** The state before a MODIFIED event (watches with selectors need it). */
  readonly previous?: Entry;
  /** Namespace key (`''` for cluster-scoped objects). */
  readonly namespace: string;
  line?: string;
}

/** The watch event line (`{"type":..,"object":..}\n`), serialized once for every watcher. */
export function eventLine(event: StoreEvent): string {
  if (event.line === undefined) {
    event.line = `{"type":"${event.type}","object":${entryJson(
      event.entry,
    )}}\n`;
  }
  return event.line;
}

/** Something that receives the changes of one type. */
export interface StoreWatcher {
  /** Only changes in this namespace; all namespaces when undefined. */
  readonly namespace?: string;
  onEvent(event: StoreEvent): void;
  /** The type was removed (its CRD was deleted). */
  onTypeRemoved(): void;
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Objects, history and watchers of one type, indexed by namespace. */
export class TypeState {
  def: TypeDefinition;
  /** Namespace key (`''` for cluster-scoped) to name to entry. */
  private readonly objects = new Map<string, Map<string, Entry>>();
  private namespaceOrder: string[] | undefined;
  private readonly nameOrder = new Map<string, string[]>();
  private count = 0;

  private history: StoreEvent[] = [];
  private historyStart = 0;
  /** Every event of this type with a resourceVersion above this one is in the history. */
  oldestRV: number;
  /** resourceVersion of the last change of this type. */
  lastChangeRV = 0;

  private readonly allWatchers = new Set<StoreWatcher>();
  private readonly namespaceWatchers = new Map<string, Set<StoreWatcher>>();

  constructor(
    def: TypeDefinition,
    oldestRV: number,
    private readonly historySize: number,
  ) {
    this.def = def;
    this.oldestRV = oldestRV;
  }

  get size(): number {
    return this.count;
  }

  sizeOf(namespace: string): number {
    return this.objects.get(namespace)?.size ?? 0;
  }

  get(namespace: string, name: string): Entry | undefined {
    return this.objects.get(namespace)?.get(name);
  }

  set(namespace: string, name: string, entry: Entry): void {
    let names = this.objects.get(namespace);
    if (!names) {
      names = new Map();
      this.objects.set(namespace, names);
      this.namespaceOrder = undefined;
    }
    if (!names.has(name)) {
      this.count++;
      this.nameOrder.delete(namespace);
    }
    names.set(name, entry);
  }

  remove(namespace: string, name: string): void {
    const names = this.objects.get(namespace);
    if (!names?.delete(name)) return;
    this.count--;
    this.nameOrder.delete(namespace);
    if (names.size === 0) {
      this.objects.delete(namespace);
      this.namespaceOrder = undefined;
    }
  }

  private sortedNamespaces(): string[] {
    if (!this.namespaceOrder)
      this.namespaceOrder = [...this.objects.keys()].sort();
    return this.namespaceOrder;
  }

  private sortedNames(namespace: string): string[] {
    let names = this.nameOrder.get(namespace);
    if (!names) {
      names = [...(this.objects.get(namespace)?.keys() ?? [])].sort();
      this.nameOrder.set(namespace, names);
    }
    return names;
  }

  /**
   * Entries sorted by namespace and name, optionally in one namespace, optionally only those
   * after a `[namespace, name]` position (for continue tokens), optionally of one name.
   */
  *entries(
    namespace?: string,
    after?: [string, string],
    name?: string,
  ): Generator<Entry> {
    let namespaces: string[];
    if (namespace === undefined) namespaces = this.sortedNamespaces();
    else namespaces = this.objects.has(namespace) ? [namespace] : [];
    const first = after ? lowerBound(namespaces, after[0]) : 0;
    for (let i = first; i < namespaces.length; i++) {
      const ns = namespaces[i];
      const names = this.objects.get(ns);
      if (!names) continue;
      const resumeHere = after !== undefined && ns === after[0];
      if (name !== undefined) {
        const entry = names.get(name);
        if (entry && !(resumeHere && name <= after![1])) yield entry;
        continue;
      }
      const order = this.sortedNames(ns);
      const start = resumeHere ? upperBound(order, after![1]) : 0;
      for (let j = start; j < order.length; j++) {
        const entry = names.get(order[j]);
        if (entry) yield entry;
      }
    }
  }

  /** Appends an event to the bounded history. */
  record(event: StoreEvent): void {
    this.history.push(event);
    this.lastChangeRV = event.rv;
    if (this.history.length - this.historyStart > this.historySize) {
      this.oldestRV = this.history[this.historyStart].rv;
      this.historyStart++;
      if (this.historyStart >= this.historySize) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
  }

  /** Events with a resourceVersion above `rv`, oldest first; `rv` must be >= oldestRV. */
  eventsAfter(rv: number): StoreEvent[] {
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.history[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  /** Forgets the history: resuming from before `rv` gives 410. */
  compact(rv: number): void {
    this.history = [];
    this.historyStart = 0;
    this.oldestRV = Math.max(this.oldestRV, rv);
  }

  subscribe(watcher: StoreWatcher): () => void {
    const set =
      watcher.namespace === undefined
        ? this.allWatchers
        : this.namespaceWatchers.get(watcher.namespace) ??
          this.namespaceWatchers
            .set(watcher.namespace, new Set())
            .get(watcher.namespace)!;
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (watcher.namespace !== undefined && set.size === 0) {
        this.namespaceWatchers.delete(watcher.namespace);
      }
    };
  }

  /** Hands an event to the watchers of all namespaces and of the event's namespace only. */
  fanOut(event: StoreEvent): void {
    for (const watcher of this.allWatchers) watcher.onEvent(event);
    const scoped = this.namespaceWatchers.get(event.namespace);
    if (scoped) for (const watcher of scoped) watcher.onEvent(event);
  }

  watchers(): StoreWatcher[] {
    return [
      ...this.allWatchers,
      ...[...this.namespaceWatchers.values()].flatMap(set => [...set]),
    ];
  }
}

/** Options of one list request. */
export interface ListOptions {
  namespace?: string;
  selectors?: Selectors;
  limit?: number;
  continueToken?: string;
}

/** Result of a list: entries plus list metadata. */
export interface ListResult {
  items: Entry[];
  resourceVersion: number;
  continueToken?: string;
}

/** Options of writes. */
export interface WriteOptions {
  /** Validate and compute, store nothing (`dryRun=All`). */
  dryRun?: boolean;
  /** Keep `status` as given even when the type has a status subresource (programmatic writes). */
  keepStatus?: boolean;
}

const dns1123Subdomain =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

let lastSecond = 0;
let lastTimestamp = '';

/** RFC 3339 time in whole seconds, as object timestamps are; formatted once per second. */
function timestamp(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastTimestamp = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastTimestamp;
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map(b => alphabet[b % alphabet.length]).join('');
}

/**
 * Builds an object whose first keys are `apiVersion`, `kind` and `metadata` (list answers rely
 * on that order to drop the type fields cheaply), then the other fields of `body`.
 */
function buildObject(
  apiVersion: string,
  kind: string,
  metadata: KubeObjectMeta,
  body: Record<string, unknown>,
): KubeObject {
  const object: KubeObject = { apiVersion, kind, metadata };
  for (const [key, value] of Object.entries(body)) {
    if (
      key !== 'apiVersion' &&
      key !== 'kind' &&
      key !== 'metadata' &&
      value !== undefined
    ) {
      object[key] = value;
    }
  }
  return object;
}

/** Whether anything but metadata (and status, when it is a subresource) differs. */
function specChanged(
  def: TypeDefinition,
  before: KubeObject,
  after: KubeObject,
): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
    if (key === 'status' && def.statusSubresource) continue;
    if (!deepEqual(before[key], after[key])) return true;
  }
  return false;
}

function isKind(def: TypeDefinition, group: string, kind: string): boolean {
  return def.group === group && def.kind === kind;
}

interface ContinueToken {
  rv: number;
  start: [string, string];
}

function encodeContinue(rv: number, entry: Entry): string {
  const meta = entry.object.metadata;
  const start = `${meta.namespace ?? ''}/${meta.name}\u0000`;
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv, start }),
  ).toString('base64');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const raw = String(parsed.start);
    const start = raw.endsWith('\u0000') ? raw.slice(0, -1) : raw;
    const slash = start.indexOf('/');
    if (
      parsed.v !== 'meta.k8s.io/v1' ||
      typeof parsed.rv !== 'number' ||
      slash < 0
    ) {
      throw new Error('bad token');
    }
    return {
      rv: parsed.rv,
      start: [start.slice(0, slash), start.slice(slash + 1)],
    };
  } catch {
    throw badRequest('continue key is not valid: invalid continue token');
  }
}

/**
 * Registers a type from a CustomResourceDefinition object: its storage version (or first
 * served one), names, scope and status subresource.
 */
export function typeFromCrd(crd: KubeObject): ResourceType {
  const spec = (crd.spec ?? {}) as {
    group?: string;
    names?: {
      kind?: string;
      plural?: string;
      singular?: string;
      listKind?: string;
      shortNames?: string[];
      categories?: string[];
    };
    scope?: string;
    versions?: Array<{
      name: string;
      served?: boolean;
      storage?: boolean;
      subresources?: { status?: unknown };
    }>;
  };
  const versions = spec.versions ?? [];
  const version =
    versions.find(v => v.storage) ??
    versions.find(v => v.served) ??
    versions[0];
  return {
    group: spec.group ?? '',
    version: version?.name ?? '',
    kind: spec.names?.kind ?? '',
    plural: spec.names?.plural ?? '',
    namespaced: spec.scope !== 'Cluster',
    listKind: spec.names?.listKind,
    singularName: spec.names?.singular,
    shortNames: spec.names?.shortNames,
    categories: spec.names?.categories,
    statusSubresource: version?.subresources?.status !== undefined,
  };
}

/**
 * The objects of a cluster: one global, monotonically increasing resourceVersion like etcd,
 * types indexed by path and by kind, objects by namespace and name, a bounded history per type
 * and the watchers of each type.
 */
export class ObjectStore {
  /** The last resourceVersion written. */
  rv = 0;
  private compactedRV = 0;
  private readonly byPath = new Map<string, TypeState>();
  private readonly byKind = new Map<string, TypeState>();

  constructor(private readonly historySize: number) {}

  registerType(type: ResourceType): TypeState {
    const def = normalizeType(type);
    const pathKey = `${def.group}/${def.version}/${def.plural}`;
    const kindKey = `${def.apiVersion}/${def.kind}`;
    const existing = this.byPath.get(pathKey) ?? this.byKind.get(kindKey);
    if (existing) {
      this.byPath.delete(
        `${existing.def.group}/${existing.def.version}/${existing.def.plural}`,
      );
      this.byKind.delete(`${existing.def.apiVersion}/${existing.def.kind}`);
      existing.def = def;
    }
    const state =
      existing ?? new TypeState(def, this.compactedRV, this.historySize);
    this.byPath.set(pathKey, state);
    this.byKind.set(kindKey, state);
    return state;
  }

  /** Removes a type with all its objects (DELETED events), ending its watches. */
  unregisterType(state: TypeState): void {
    for (const entry of [...state.entries()]) {
      const meta = entry.object.metadata;
      this.commitDelete(state, meta.namespace ?? '', meta.name!, entry.object);
    }
    for (const watcher of state.watchers()) watcher.onTypeRemoved();
    this.byPath.delete(
      `${state.def.group}/${state.def.version}/${state.def.plural}`,
    );
    this.byKind.delete(`${state.def.apiVersion}/${state.def.kind}`);
  }

  typeByPath(
    group: string,
    version: string,
    plural: string,
  ): TypeState | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  typeByKind(apiVersion: string, kind: string): TypeState | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** The type of `apiVersion`/`kind`, or a 404 like kubectl's "no matches for kind". */
  requireType(apiVersion: string, kind: string): TypeState {
    const state = this.typeByKind(apiVersion, kind);
    if (!state) {
      throw new KubeApiError(
        404,
        `no matches for kind "${kind}" in version "${apiVersion}"`,
      );
    }
    return state;
  }

  allTypes(): TypeState[] {
    return [...this.byPath.values()];
  }

  /** Forgets all history at the current resourceVersion. */
  compact(): void {
    this.compactedRV = this.rv;
    for (const state of this.byPath.values()) state.compact(this.rv);
  }

  namespaceExists(name: string): boolean {
    return this.typeByKind('v1', 'Namespace')?.get('', name) !== undefined;
  }

  /** The namespace key of an object of a type (`''` when cluster-scoped). */
  namespaceKey(state: TypeState, meta: KubeObjectMeta | undefined): string {
    return state.def.namespaced ? meta?.namespace ?? '' : '';
  }

  list(state: TypeState, options: ListOptions = {}): ListResult {
    let after: [string, string] | undefined;
    let resourceVersion = this.rv;
    if (options.continueToken) {
      const token = decodeContinue(options.continueToken);
      if (token.rv < this.compactedRV) {
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. ' +
            'You can start a new list without the continue parameter.',
        );
      }
      after = token.start;
      resourceVersion = token.rv;
    }
    const selectors = options.selectors ?? { labels: [], fields: [] };
    let namespace = options.namespace;
    const pinnedNamespace = pinnedField(selectors, 'metadata.namespace');
    if (namespace === undefined && pinnedNamespace !== undefined) {
      namespace = state.def.namespaced ? pinnedNamespace : '';
    }
    const pinnedName = pinnedField(selectors, 'metadata.name');
    const filter = selectors.labels.length > 0 || selectors.fields.length > 0;
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const items: Entry[] = [];
    let continueToken: string | undefined;
    for (const entry of state.entries(namespace, after, pinnedName)) {
      if (filter && !matchesSelectors(selectors, entry.object)) continue;
      if (items.length === limit) {
        continueToken = encodeContinue(
          resourceVersion,
          items[items.length - 1],
        );
        break;
      }
      items.push(entry);
    }
    return { items, resourceVersion, continueToken };
  }

  /** Creates an object (POST semantics). */
  create(
    state: TypeState,
    input: KubeObject,
    options: WriteOptions = {},
  ): Entry {
    const def = state.def;
    const meta: KubeObjectMeta = { ...(input.metadata ?? {}) };
    const name =
      meta.name ||
      (meta.generateName ? `${meta.generateName}${randomSuffix()}` : '');
    if (!name) {
      throw invalid(
        def,
        '',
        'metadata.name',
        'Required value: name or generateName is required',
      );
    }
    this.validateName(state, name);
    if (def.namespaced && !meta.namespace) {
      throw invalid(def, name, 'metadata.namespace', 'Required value');
    }
    const namespace = this.namespaceKey(state, meta);
    if (state.get(namespace, name)) throw alreadyExists(def, name);

    const metadata: KubeObjectMeta = {
      ...meta,
      name,
      uid: randomUUID(),
      generation: 1,
      creationTimestamp: timestamp(),
    };
    if (!def.namespaced) delete metadata.namespace;
    delete metadata.resourceVersion;
    delete metadata.deletionTimestamp;
    const object = buildObject(def.apiVersion, def.kind, metadata, input);
    if (def.statusSubresource && !options.keepStatus) delete object.status;

    if (isKind(def, '', 'Namespace')) {
      metadata.labels = {
        ...metadata.labels,
        'kubernetes.io/metadata.name': name,
      };
      object.spec = object.spec ?? { finalizers: ['kubernetes'] };
      object.status = {
        phase: 'Active',
        ...(object.status as object | undefined),
      };
    }
    if (isKind(def, 'apiextensions.k8s.io', 'CustomResourceDefinition')) {
      const type = this.validateCrd(state, object);
      object.status = {
        conditions: ['NamesAccepted', 'Established'].map(type_ => ({
          type: type_,
          status: 'True',
          reason:
            type_ === 'Established' ? 'InitialNamesAccepted' : 'NoConflicts',
          message:
            type_ === 'Established'
              ? 'the initial names have been accepted'
              : 'no conflicts found',
          lastTransitionTime: metadata.creationTimestamp,
        })),
        acceptedNames: (object.spec as { names?: unknown }).names,
        storedVersions: [type.version],
      };
      if (!options.dryRun) this.registerType(type);
    }
    if (options.dryRun) return { object };
    return this.commit(state, 'ADDED', namespace, name, object);
  }

  /**
   * Replaces an object (PUT semantics), or only its status when `subresource` is `status`.
   * A set `metadata.resourceVersion` must match the stored one (409 otherwise) unless
   * `ignoreResourceVersion`. An update that changes nothing stores nothing, like the real server.
   */
  update(
    state: TypeState,
    input: KubeObject,
    options: WriteOptions & {
      subresource?: 'status';
      ignoreResourceVersion?: boolean;
    } = {},
  ): Entry {
    const def = state.def;
    const name = input.metadata?.name ?? '';
    const namespace = this.namespaceKey(state, input.metadata);
    const current = state.get(namespace, name);
    if (!current) throw notFound(def, name);
    const before = current.object;
    const requestedRV = input.metadata?.resourceVersion;
    if (
      !options.ignoreResourceVersion &&
      requestedRV !== undefined &&
      requestedRV !== '' &&
      requestedRV !== before.metadata.resourceVersion
    ) {
      throw conflict(def, name);
    }

    let after: KubeObject;
    if (options.subresource === 'status') {
      after = buildObject(
        def.apiVersion,
        def.kind,
        { ...before.metadata },
        {
          ...before,
          status: input.status,
        },
      );
    } else {
      const metadata: KubeObjectMeta = {
        ...input.metadata,
        name,
        namespace: before.metadata.namespace,
        uid: before.metadata.uid,
        resourceVersion: before.metadata.resourceVersion,
        generation: before.metadata.generation,
        creationTimestamp: before.metadata.creationTimestamp,
        deletionTimestamp: before.metadata.deletionTimestamp,
      };
      for (const key of ['namespace', 'deletionTimestamp'] as const) {
        if (metadata[key] === undefined) delete metadata[key];
      }
      after = buildObject(def.apiVersion, def.kind, metadata, input);
      if (def.statusSubresource && !options.keepStatus) {
        if (before.status === undefined) delete after.status;
        else after.status = before.status;
      }
      if (isKind(def, 'apiextensions.k8s.io', 'CustomResourceDefinition')) {
        const type = this.validateCrd(state, after);
        if (!options.dryRun) this.registerType(type);
      }
    }
    if (specChanged(def, before, after)) {
      after.metadata.generation = (before.metadata.generation ?? 0) + 1;
    }
    if (deepEqual(before, after)) return current;
    if (options.dryRun) return { object: after };
    if (
      after.metadata.deletionTimestamp &&
      !after.metadata.finalizers?.length
    ) {
      return this.removeNow(state, namespace, name, after);
    }
    return this.commit(state, 'MODIFIED', namespace, name, after, current);
  }

  /**
   * Deletes an object (DELETE semantics). With finalizers (and without `force`) it only gets a
   * deletionTimestamp and stays until an update removes the last finalizer.
   */
  delete(
    state: TypeState,
    namespace: string,
    name: string,
    options: WriteOptions & {
      force?: boolean;
      preconditions?: { uid?: string; resourceVersion?: string };
    } = {},
  ): { entry: Entry; deleted: boolean } {
    const def = state.def;
    const current = state.get(namespace, name);
    if (!current) throw notFound(def, name);
    const before = current.object;
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid && uid !== before.metadata.uid) {
      throw new KubeApiError(
        409,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${before.metadata.uid}`,
        { details: { name, group: def.group || undefined, kind: def.plural } },
      );
    }
    if (
      resourceVersion &&
      resourceVersion !== before.metadata.resourceVersion
    ) {
      throw conflict(def, name);
    }
    if (!options.force && before.metadata.finalizers?.length) {
      if (before.metadata.deletionTimestamp)
        return { entry: current, deleted: false };
      const after = buildObject(
        def.apiVersion,
        def.kind,
        {
          ...before.metadata,
          deletionTimestamp: timestamp(),
          deletionGracePeriodSeconds: 0,
          generation: (before.metadata.generation ?? 0) + 1,
        },
        before,
      );
      if (options.dryRun) return { entry: { object: after }, deleted: false };
      return {
        entry: this.commit(state, 'MODIFIED', namespace, name, after, current),
        deleted: false,
      };
    }
    if (options.dryRun) return { entry: current, deleted: true };
    return {
      entry: this.removeNow(state, namespace, name, before),
      deleted: true,
    };
  }

  /** Removes an object at once, with what the cluster's controllers would do around it. */
  private removeNow(
    state: TypeState,
    namespace: string,
    name: string,
    last: KubeObject,
  ): Entry {
    const def = state.def;
    if (isKind(def, '', 'Namespace')) {
      // The namespace controller empties a deleted namespace; here that happens at once.
      for (const other of this.allTypes()) {
        if (!other.def.namespaced) continue;
        for (const entry of [...other.entries(name)]) {
          this.commitDelete(
            other,
            name,
            entry.object.metadata.name!,
            entry.object,
          );
        }
      }
    }
    const entry = this.commitDelete(state, namespace, name, last);
    if (isKind(def, 'apiextensions.k8s.io', 'CustomResourceDefinition')) {
      const type = typeFromCrd(last);
      const served = this.typeByPath(type.group, type.version, type.plural);
      if (served) this.unregisterType(served);
    }
    return entry;
  }

  private validateName(state: TypeState, name: string): void {
    const label = isKind(state.def, '', 'Namespace');
    const valid = label
      ? name.length <= 63 && dns1123Label.test(name)
      : name.length <= 253 && dns1123Subdomain.test(name);
    if (!valid) {
      const rule = label
        ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
          'and must start and end with an alphanumeric character'
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' " +
          "or '.', and must start and end with an alphanumeric character";
      throw invalid(
        state.def,
        name,
        'metadata.name',
        `Invalid value: "${name}": ${rule}`,
      );
    }
  }

  private validateCrd(state: TypeState, crd: KubeObject): ResourceType {
    const type = typeFromCrd(crd);
    const name = crd.metadata.name ?? '';
    if (!type.group || !type.plural || !type.kind || !type.version) {
      throw invalid(
        state.def,
        name,
        'spec',
        'Required value: group, names.plural, names.kind and versions',
      );
    }
    if (name !== `${type.plural}.${type.group}`) {
      throw invalid(
        state.def,
        name,
        'metadata.name',
        `Invalid value: "${name}": must be spec.names.plural+"."+spec.group`,
      );
    }
    return type;
  }

  private commit(
    state: TypeState,
    type: 'ADDED' | 'MODIFIED',
    namespace: string,
    name: string,
    object: KubeObject,
    previous?: Entry,
  ): Entry {
    const rv = ++this.rv;
    // `object` was built by this store for this write, so setting its version is safe.
    object.metadata.resourceVersion = String(rv);
    const entry: Entry = { object };
    state.set(namespace, name, entry);
    this.publish(state, { type, rv, entry, previous, namespace });
    return entry;
  }

  private commitDelete(
    state: TypeState,
    namespace: string,
    name: string,
    last: KubeObject,
  ): Entry {
    const rv = ++this.rv;
    const object = buildObject(
      last.apiVersion,
      last.kind,
      {
        ...last.metadata,
        resourceVersion: String(rv),
      },
      last,
    );
    const entry: Entry = { object };
    state.remove(namespace, name);
    this.publish(state, { type: 'DELETED', rv, entry, namespace });
    return entry;
  }

  private publish(state: TypeState, event: StoreEvent): void {
    state.record(event);
    state.fanOut(event);
  }
}
