import { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import {
  KubeApiError,
  badRequest,
  notFound,
  resourceNotFound,
  tooLargeResourceVersion,
  expired,
} from './errors';
import { applyJsonPatch, applyMergePatch } from './patch';
import { parseSelectors } from './selectors';
import {
  Entry,
  ObjectStore,
  TypeDefinition,
  TypeState,
  entryJson,
} from './store';
import { KubeObject } from './types';
import { WatchStream } from './watch';

/** The parts of a request path. */
export interface ParsedPath {
  kind: 'resource' | 'discovery' | 'other';
  group?: string;
  version?: string;
  plural?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** More segments than any route has. */
  tooLong?: boolean;
}

/** Splits `/api/v1/namespaces/ns/configmaps/name/status` and `/apis/g/v/...` paths. */
export function parsePath(pathname: string): ParsedPath {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group: string;
  let version: string | undefined;
  if (segments[0] === 'api') {
    if (segments.length <= 2)
      return { kind: 'discovery', group: '', version: segments[1] };
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    if (segments.length <= 3)
      return { kind: 'discovery', group: segments[1], version: segments[2] };
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return { kind: 'other' };
  }
  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && rest[2] === 'status')
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  return {
    kind: 'resource',
    group,
    version,
    namespace,
    plural: rest[0],
    name: rest[1],
    subresource: rest[2],
    tooLong: rest.length > 3,
  };
}

/** The Kubernetes verb of a request, as audit logs and RBAC name it. */
export function requestVerb(
  method: string,
  path: ParsedPath,
  query: URLSearchParams,
): string {
  if (path.kind !== 'resource') return 'get';
  const isWatch = query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
      if (path.name !== undefined) return 'get';
      return isWatch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return path.name !== undefined ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** Writes a JSON answer. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: string,
): void {
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
  });
  res.end(body);
}

/** Writes a KubeApiError (or any error, as a 500) as a Status object. */
export function sendError(res: ServerResponse, error: unknown): void {
  const apiError =
    error instanceof KubeApiError
      ? error
      : new KubeApiError(
          500,
          error instanceof Error ? error.message : String(error),
        );
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (apiError.details?.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(apiError.details.retryAfterSeconds));
  }
  sendJson(res, apiError.code, JSON.stringify(apiError.toStatus()));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the body of the request could not be decoded: ${(e as Error).message}`,
    );
  }
}

/** Orders versions like kube-apiserver: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    const stability = { alpha: 0, beta: 1 }[m[2] as 'alpha' | 'beta'] ?? 2;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (!ra && !rb) return a.localeCompare(b);
  if (!ra || !rb) return ra ? -1 : 1;
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
  return 0;
}

/** What the API handler needs from the server around it. */
export interface ApiContext {
  store: ObjectStore;
  /** `host:port` for `serverAddressByClientCIDRs`. */
  address: () => string;
  kubernetesVersion: string;
  namespaceLifecycle: boolean;
  bookmarkIntervalMs: number;
  defaultWatchTimeoutSeconds: number;
  onWatchOpened: (stream: WatchStream) => void;
  onWatchClosed: (stream: WatchStream) => void;
}

/** Answers Kubernetes API requests from the store. */
export class ApiHandler {
  constructor(private readonly ctx: ApiContext) {}

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: ParsedPath,
    query: URLSearchParams,
    pathname: string,
  ): Promise<void> {
    try {
      if (path.kind === 'other') this.other(req, res, pathname);
      else if (path.kind === 'discovery') this.discovery(req, res, path);
      else await this.resource(req, res, path, query);
    } catch (error) {
      sendError(res, error);
    }
  }

  private other(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): void {
    if (req.method !== 'GET') throw resourceNotFound();
    if (['/healthz', '/livez', '/readyz'].includes(pathname)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (pathname === '/version') {
      const m = /^v(\d+)\.(\d+)/.exec(this.ctx.kubernetesVersion);
      sendJson(
        res,
        200,
        JSON.stringify({
          major: m?.[1] ?? '1',
          minor: m?.[2] ?? '33',
          gitVersion: this.ctx.kubernetesVersion,
          gitCommit: '0000000000000000000000000000000000000000',
          gitTreeState: 'clean',
          buildDate: '2025-01-01T00:00:00Z',
          goVersion: 'go1.24.0',
          compiler: 'gc',
          platform: 'linux/amd64',
        }),
      );
      return;
    }
    if (pathname === '/') {
      const paths = [
        '/api',
        '/api/v1',
        '/apis',
        '/healthz',
        '/livez',
        '/readyz',
        '/version',
      ];
      for (const [group, versions] of this.groups()) {
        paths.push(
          `/apis/${group}`,
          ...versions.map(v => `/apis/${group}/${v}`),
        );
      }
      sendJson(res, 200, JSON.stringify({ paths: paths.sort() }));
      return;
    }
    throw resourceNotFound();
  }

  /** Group name to its versions, preferred first (core group excluded). */
  private groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const state of this.ctx.store.allTypes()) {
      const { group, version } = state.def;
      if (!group) continue;
      const versions = groups.get(group) ?? [];
      if (!versions.includes(version)) versions.push(version);
      groups.set(group, versions);
    }
    for (const versions of groups.values()) versions.sort(compareVersions);
    return new Map(
      [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)),
    );
  }

  private discovery(
    req: IncomingMessage,
    res: ServerResponse,
    path: ParsedPath,
  ): void {
    if (req.method !== 'GET') throw resourceNotFound();
    const { group, version } = path;
    if (group === '' && version === undefined) {
      sendJson(
        res,
        200,
        JSON.stringify({
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [
            { clientCIDR: '0.0.0.0/0', serverAddress: this.ctx.address() },
          ],
        }),
      );
      return;
    }
    if (group === undefined) {
      const groups = [...this.groups()].map(([name, versions]) =>
        groupObject(name, versions),
      );
      sendJson(
        res,
        200,
        JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups }),
      );
      return;
    }
    if (version === undefined) {
      const versions = this.groups().get(group);
      if (!versions) throw resourceNotFound();
      sendJson(
        res,
        200,
        JSON.stringify({
          kind: 'APIGroup',
          apiVersion: 'v1',
          ...groupObject(group, versions),
        }),
      );
      return;
    }
    const types = this.ctx.store
      .allTypes()
      .filter(t => t.def.group === group && t.def.version === version)
      .map(t => t.def)
      .sort((a, b) => a.plural.localeCompare(b.plural));
    if (types.length === 0) throw resourceNotFound();
    const resources = types.flatMap(def => {
      const main = {
        name: def.plural,
        singularName: def.singularName,
        namespaced: def.namespaced,
        kind: def.kind,
        verbs: def.verbs,
        ...(def.shortNames.length ? { shortNames: def.shortNames } : {}),
        ...(def.categories.length ? { categories: def.categories } : {}),
      };
      if (!def.statusSubresource) return [main];
      const status = {
        name: `${def.plural}/status`,
        singularName: '',
        namespaced: def.namespaced,
        kind: def.kind,
        verbs: ['get', 'patch', 'update'],
      };
      return [main, status];
    });
    sendJson(
      res,
      200,
      JSON.stringify({
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources,
      }),
    );
  }

  private async resource(
    req: IncomingMessage,
    res: ServerResponse,
    path: ParsedPath,
    query: URLSearchParams,
  ): Promise<void> {
    const { store } = this.ctx;
    const state = store.typeByPath(
      path.group!,
      path.version!,
      path.plural ?? '',
    );
    if (!state || path.tooLong) throw resourceNotFound();
    const def = state.def;
    if (path.namespace !== undefined && !def.namespaced)
      throw resourceNotFound();
    if (
      path.subresource !== undefined &&
      (path.subresource !== 'status' || !def.statusSubresource)
    ) {
      throw resourceNotFound();
    }
    // A named namespaced object is only reachable under /namespaces/<ns>/.
    if (
      def.namespaced &&
      path.name !== undefined &&
      path.namespace === undefined
    ) {
      throw resourceNotFound();
    }
    const verb = requestVerb(req.method ?? 'GET', path, query);
    const allowed =
      path.subresource === 'status' ? ['get', 'update', 'patch'] : def.verbs;
    if (!allowed.includes(verb)) {
      throw new KubeApiError(
        405,
        `the server does not allow this method on the requested resource`,
        {
          details: { kind: def.plural, group: def.group || undefined },
        },
      );
    }
    const dryRun = query.get('dryRun') === 'All';
    const namespace = path.namespace ?? '';

    switch (verb) {
      case 'get': {
        const entry = state.get(namespace, path.name!);
        if (!entry) throw notFound(def, path.name!);
        sendJson(res, 200, entryJson(entry));
        return;
      }
      case 'list':
        this.list(res, state, path, query);
        return;
      case 'watch':
        this.watch(res, state, path, query);
        return;
      case 'create': {
        if (def.namespaced && path.namespace === undefined)
          throw resourceNotFound();
        const object = this.bodyObject(
          def,
          parseJson(await readBody(req)),
          path,
        );
        if (
          def.namespaced &&
          this.ctx.namespaceLifecycle &&
          !store.namespaceExists(namespace)
        ) {
          throw notFound(
            { group: '', plural: 'namespaces', kind: 'Namespace' },
            namespace,
          );
        }
        const entry = store.create(state, object, { dryRun });
        sendJson(res, 201, entryJson(entry));
        return;
      }
      case 'update': {
        const object = this.bodyObject(
          def,
          parseJson(await readBody(req)),
          path,
        );
        if (object.metadata.name !== path.name) {
          throw badRequest(
            `the name of the object (${object.metadata.name}) does not match the name on the URL (${path.name})`,
          );
        }
        const entry = store.update(state, object, {
          dryRun,
          subresource: this.statusOnly(path),
        });
        sendJson(res, 200, entryJson(entry));
        return;
      }
      case 'patch':
        await this.patch(req, res, state, path, dryRun);
        return;
      case 'delete': {
        const body = await readBody(req);
        const options = (body.trim() ? parseJson(body) : {}) as {
          preconditions?: { uid?: string; resourceVersion?: string };
          dryRun?: string[];
        };
        const { entry, deleted } = store.delete(state, namespace, path.name!, {
          dryRun: dryRun || options.dryRun?.includes('All'),
          preconditions: options.preconditions,
        });
        sendJson(res, deleted ? 200 : 202, entryJson(entry));
        return;
      }
      case 'deletecollection': {
        const selectors = parseSelectors(
          query.get('labelSelector'),
          query.get('fieldSelector'),
        );
        const { items } = store.list(state, {
          namespace: path.namespace,
          selectors,
        });
        const deleted = items.map(
          e =>
            store.delete(
              state,
              store.namespaceKey(state, e.object.metadata),
              e.object.metadata.name!,
              { dryRun },
            ).entry,
        );
        sendJson(res, 200, this.listBody(def, deleted, store.rv));
        return;
      }
      default:
        throw resourceNotFound();
    }
  }

  private statusOnly(path: ParsedPath): 'status' | undefined {
    return path.subresource === 'status' ? 'status' : undefined;
  }

  /** Checks the body of a create or update against the URL, filling in what it leaves out. */
  private bodyObject(
    def: TypeDefinition,
    body: unknown,
    path: ParsedPath,
  ): KubeObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('the body of the request must be a JSON object');
    }
    const object = body as KubeObject;
    if (
      object.apiVersion !== undefined &&
      object.apiVersion !== def.apiVersion
    ) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${def.apiVersion})`,
      );
    }
    if (object.kind !== undefined && object.kind !== def.kind) {
      throw badRequest(
        `the kind in the data (${object.kind}) does not match the expected kind (${def.kind})`,
      );
    }
    object.apiVersion = def.apiVersion;
    object.kind = def.kind;
    object.metadata = { ...(object.metadata ?? {}) };
    if (def.namespaced && path.namespace !== undefined) {
      if (
        object.metadata.namespace &&
        object.metadata.namespace !== path.namespace
      ) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = path.namespace;
    }
    return object;
  }

  private listBody(
    def: TypeDefinition,
    items: Entry[],
    rv: number,
    continueToken?: string,
  ): string {
    const metadata = JSON.stringify({
      resourceVersion: String(rv),
      ...(continueToken ? { continue: continueToken } : {}),
    });
    // kube-apiserver leaves kind and apiVersion out of the items of built-in kinds.
    const prefix = `{"apiVersion":${JSON.stringify(
      def.apiVersion,
    )},"kind":${JSON.stringify(def.kind)},`;
    const itemJson = def.builtIn
      ? (e: Entry) => {
          const json = entryJson(e);
          return json.startsWith(prefix)
            ? `{${json.slice(prefix.length)}`
            : json;
        }
      : entryJson;
    return (
      `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(
        def.apiVersion,
      )},` +
      `"metadata":${metadata},"items":[${items.map(itemJson).join(',')}]}`
    );
  }

  private list(
    res: ServerResponse,
    state: TypeState,
    path: ParsedPath,
    query: URLSearchParams,
  ): void {
    const { store } = this.ctx;
    const rvParam = query.get('resourceVersion') ?? '';
    const match = query.get('resourceVersionMatch') ?? '';
    if (match && !rvParam) {
      throw badRequest(
        'resourceVersionMatch is forbidden unless resourceVersion is provided',
      );
    }
    if (rvParam && rvParam !== '0') {
      const rv = Number(rvParam);
      if (!Number.isInteger(rv) || rv < 0)
        throw badRequest(`invalid resource version "${rvParam}"`);
      if (rv > store.rv) throw tooLargeResourceVersion(rv, store.rv);
      // Only the present is kept: an exact older snapshot is served when nothing changed since.
      if (match === 'Exact' && rv < state.lastChangeRV) {
        throw expired(
          `too old resource version: ${rv} (${state.lastChangeRV})`,
        );
      }
    }
    const limit = Number(query.get('limit') ?? 0);
    const result = store.list(state, {
      namespace: path.namespace,
      selectors: parseSelectors(
        query.get('labelSelector'),
        query.get('fieldSelector'),
      ),
      limit: Number.isFinite(limit) && limit > 0 ? limit : undefined,
      continueToken: query.get('continue') ?? undefined,
    });
    const rv = match === 'Exact' ? Number(rvParam) : result.resourceVersion;
    sendJson(
      res,
      200,
      this.listBody(state.def, result.items, rv, result.continueToken),
    );
  }

  private watch(
    res: ServerResponse,
    state: TypeState,
    path: ParsedPath,
    query: URLSearchParams,
  ): void {
    const rvParam = query.get('resourceVersion') ?? '';
    if (rvParam !== '' && !/^\d+$/.test(rvParam)) {
      throw badRequest(`invalid resource version "${rvParam}"`);
    }
    const sendInitialEvents = query.get('sendInitialEvents');
    const timeout = Number(query.get('timeoutSeconds') ?? '');
    const stream = new WatchStream(
      res,
      state,
      {
        namespace: path.namespace,
        selectors: parseSelectors(
          query.get('labelSelector'),
          query.get('fieldSelector'),
        ),
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
        resourceVersion: rvParam,
        allowWatchBookmarks: query.get('allowWatchBookmarks') === 'true',
        sendInitialEvents:
          sendInitialEvents === null ? undefined : sendInitialEvents === 'true',
        timeoutSeconds:
          timeout > 0 ? timeout : this.ctx.defaultWatchTimeoutSeconds,
        bookmarkIntervalMs: this.ctx.bookmarkIntervalMs,
      },
      s => this.ctx.onWatchClosed(s),
    );
    this.ctx.onWatchOpened(stream);
    stream.start(this.ctx.store);
  }

  private async patch(
    req: IncomingMessage,
    res: ServerResponse,
    state: TypeState,
    path: ParsedPath,
    dryRun: boolean,
  ): Promise<void> {
    const { store } = this.ctx;
    const def = state.def;
    const contentType = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const text = await readBody(req);
    const namespace = path.namespace ?? '';
    const current = state.get(namespace, path.name!);
    let patched: unknown;
    switch (contentType) {
      case 'application/merge-patch+json':
        if (!current) throw notFound(def, path.name!);
        patched = applyMergePatch(current.object, parseJson(text));
        break;
      case 'application/strategic-merge-patch+json':
        // Strategic merge is approximated by a merge patch (lists are replaced, not merged by key).
        if (!def.builtIn) throw unsupportedPatch(contentType);
        if (!current) throw notFound(def, path.name!);
        patched = applyMergePatch(current.object, parseJson(text));
        break;
      case 'application/json-patch+json':
        if (!current) throw notFound(def, path.name!);
        patched = applyJsonPatch(current.object, parseJson(text));
        break;
      case 'application/apply-patch+yaml': {
        // Server-side apply without field ownership: create, or merge into the current object.
        let body: unknown;
        try {
          body = parseYaml(text);
        } catch (e) {
          throw badRequest(`error decoding YAML: ${(e as Error).message}`);
        }
        const object = this.bodyObject(def, body, path);
        if (object.metadata.name !== path.name) {
          throw badRequest(
            `the name of the object (${object.metadata.name}) does not match the name on the URL (${path.name})`,
          );
        }
        if (!current) {
          if (path.subresource === 'status') throw notFound(def, path.name!);
          if (
            def.namespaced &&
            this.ctx.namespaceLifecycle &&
            !store.namespaceExists(namespace)
          ) {
            throw notFound(
              { group: '', plural: 'namespaces', kind: 'Namespace' },
              namespace,
            );
          }
          sendJson(
            res,
            201,
            entryJson(store.create(state, object, { dryRun })),
          );
          return;
        }
        patched = applyMergePatch(current.object, object);
        break;
      }
      default:
        throw unsupportedPatch(contentType);
    }
    const object = patched as KubeObject;
    if (
      object?.metadata?.name !== path.name ||
      (def.namespaced && object.metadata.namespace !== namespace)
    ) {
      throw badRequest(
        'the name or namespace of the object does not match the URL',
      );
    }
    const entry = store.update(state, object, {
      dryRun,
      subresource: this.statusOnly(path),
    });
    sendJson(res, 200, entryJson(entry));
  }
}

function unsupportedPatch(contentType: string): KubeApiError {
  return new KubeApiError(
    415,
    `the body of the request was in an unknown format (${
      contentType || 'none'
    }) - accepted media ` +
      'types include: application/json-patch+json, application/merge-patch+json, ' +
      'application/apply-patch+yaml',
  );
}

function groupObject(name: string, versions: string[]) {
  const list = versions.map(version => ({
    groupVersion: `${name}/${version}`,
    version,
  }));
  return { name, versions: list, preferredVersion: list[0] };
}
