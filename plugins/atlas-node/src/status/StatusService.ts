import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  countHealths,
  GITOPS_LAYOUT,
  instanceIdentity,
  KRO_LABELS,
  overallFromStages,
  renderInstance,
  worstHealth,
  type Abstraction,
  type ClusterConnection,
  type InstanceResponse,
  type InstanceStatus,
  type InstanceSummary,
  type KubeObject,
  type Overall,
  type PlatformItem,
  type StatusEvent,
  type WorkspaceListResponse,
  type WorkspaceResponse,
  type WorkspaceStatus,
  type WorkspaceSummary,
} from '@mini-atlas/plugin-atlas-common';
import type {
  ClusterCache,
  ClusterChange,
  WatchedKind,
} from '../cluster/types';
import type {
  GitopsInstance,
  GitopsService,
  GitopsSnapshot,
} from '../gitops/GitopsService';
import { createGitHistory, type GitHistory } from './gitHistory';
import {
  instanceStatusFields,
  interpreterFor,
  revisionSha,
  trimKroInstance,
} from './kinds';
import {
  childStatuses,
  fluxStage,
  gitStage,
  kroStage,
  resourcesStage,
  type ExpectedChild,
} from './stages';

/** API versions of the platform kinds the status model reads besides the abstractions. */
export const PLATFORM_KINDS = {
  kustomization: {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
  },
  gitRepository: {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
  },
  rgd: { apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition' },
  validatingPolicy: {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
  },
} as const;

/**
 * The kinds the status model needs watched: Flux's GitRepository and Kustomizations, KRO's
 * RGDs, Kyverno's ValidatingPolicies (optional), every abstraction kind, and every kind an RGD
 * template creates, the latter only where KRO labelled them (`kro.run/instance-name`).
 *
 * @public
 */
export function kindsToWatch(
  abstractions: readonly Abstraction[],
): WatchedKind[] {
  const kinds = new Map<string, WatchedKind>();
  const add = (kind: WatchedKind) => {
    const key = `${kind.apiVersion}/${kind.kind}`;
    if (!kinds.has(key)) kinds.set(key, kind);
  };
  const interpreted = (apiVersion: string, kind: string) =>
    interpreterFor(apiVersion, kind).trim;
  for (const platform of [
    PLATFORM_KINDS.gitRepository,
    PLATFORM_KINDS.kustomization,
    PLATFORM_KINDS.rgd,
  ]) {
    add({ ...platform, trim: interpreted(platform.apiVersion, platform.kind) });
  }
  add({
    ...PLATFORM_KINDS.validatingPolicy,
    trim: interpreted(
      PLATFORM_KINDS.validatingPolicy.apiVersion,
      PLATFORM_KINDS.validatingPolicy.kind,
    ),
    optional: true,
  });
  for (const abstraction of abstractions) {
    add({
      apiVersion: abstraction.apiVersion,
      kind: abstraction.kind,
      trim: trimKroInstance,
    });
  }
  for (const abstraction of abstractions) {
    for (const resource of abstraction.resources) {
      const template = resource.template;
      if (!template?.apiVersion || !template.kind) continue;
      if (String(template.apiVersion).includes('${')) continue;
      add({
        apiVersion: template.apiVersion,
        kind: template.kind,
        labelSelector: KRO_LABELS.instanceName,
        trim: interpreted(template.apiVersion, template.kind),
      });
    }
  }
  return [...kinds.values()];
}

/**
 * The portal's status model: joins Git (the declared instance and the commit that declared
 * it), Flux (the Kustomization that applies it), KRO (the instance) and the children KRO
 * created into stages, per request and per workspace. Everything is read from the
 * {@link GitopsService} and the {@link ClusterCache}; nothing asks the API server.
 *
 * @public
 */
export interface StatusService {
  /** All workspaces with their health and counts. */
  listWorkspaces(): Promise<WorkspaceListResponse>;
  /** One workspace with every request's stages. Throws NotFoundError. */
  getWorkspace(name: string): Promise<WorkspaceResponse>;
  /**
   * One request (or the workspace itself) with its children. `name` is the object name
   * (`team-a-web`) or the short name (`web`). Throws NotFoundError.
   */
  getInstance(
    workspace: string,
    kind: string,
    name: string,
  ): Promise<InstanceResponse>;
  /** The cluster connection. */
  connection(): ClusterConnection;
  /** Calls the listener with every push event; returns an unsubscribe function. */
  onEvent(listener: (event: StatusEvent) => void): () => void;
  /** Stops listening to Git and the cluster. */
  close(): void;
}

/**
 * What {@link createStatusService} logs through.
 *
 * @public
 */
export type StatusServiceLogger = Pick<LoggerService, 'info' | 'warn'>;

/**
 * Options of {@link createStatusService}.
 *
 * @public
 */
export interface StatusServiceOptions {
  gitops: GitopsService;
  cluster: ClusterCache;
  /** Default: the history of the repository the GitopsService reads. */
  history?: GitHistory;
  logger?: StatusServiceLogger;
  /** Changes are collected this long before one push event goes out; default 50 ms. */
  debounceMs?: number;
  /** Above this many changed workspaces, an event says `all` instead of listing them; default 50. */
  maxListedChanges?: number;
}

interface RenderedChildren {
  children: ExpectedChild[];
  error?: string;
}

interface InstanceInput {
  abstraction: Abstraction;
  workspace: string;
  git?: GitopsInstance;
  live?: KubeObject;
}

class DefaultStatusService implements StatusService {
  private readonly gitops: GitopsService;
  private readonly cluster: ClusterCache;
  private readonly history: GitHistory;
  private readonly gitopsRel: string;
  /** Requests whose details were asked for (entity cards), per workspace; dropped with it. */
  private readonly instanceMemo = new Map<
    string,
    Map<string, Promise<InstanceStatus>>
  >();
  private readonly memo = new Map<
    string,
    Promise<WorkspaceStatus | undefined>
  >();
  private readonly dirty = new Set<string>();
  private allDirty = false;
  private flushTimer?: NodeJS.Timeout;
  private readonly listeners = new Set<(event: StatusEvent) => void>();
  private readonly renders = new WeakMap<KubeObject, RenderedChildren>();
  private readonly byWorkspace = new WeakMap<
    GitopsSnapshot,
    Map<string, GitopsInstance[]>
  >();
  private workspacesKustomization?: { namespace: string; name: string };
  private historyReady: Promise<unknown>;
  private historyTimer?: NodeJS.Timeout;
  private readonly unsubscribe: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: StatusServiceOptions) {
    this.gitops = options.gitops;
    this.cluster = options.cluster;
    this.gitopsRel = path
      .relative(this.gitops.repoRoot, this.gitops.gitopsDir)
      .split(path.sep)
      .join('/');
    this.history =
      options.history ??
      createGitHistory({
        repoRoot: this.gitops.repoRoot,
        gitopsPath: this.gitopsRel,
      });
    this.historyReady = this.history.refresh().catch(e =>
      this.options.logger?.warn('Cannot read the git history of gitops/', {
        error: String(e),
      }),
    );
    void this.watchKinds();
    this.unsubscribe.push(
      this.gitops.onChange(files => this.gitChanged(files)),
      this.cluster.onChange(change => this.clusterChanged(change)),
      this.cluster.onConnection(connection => {
        this.markDirty('all');
        this.emit({ type: 'cluster', cluster: connection });
      }),
    );
    void this.history
      .watchHead(() => this.scheduleHistoryRefresh([]))
      .then(stop => {
        if (this.closed) stop();
        else this.unsubscribe.push(stop);
      });
  }

  connection(): ClusterConnection {
    return this.cluster.connection();
  }

  async listWorkspaces(): Promise<WorkspaceListResponse> {
    const snap = await this.gitops.snapshot();
    const names = this.workspaceNames(snap);
    const statuses = await Promise.all(
      names.map(name => this.workspaceStatus(name, snap)),
    );
    return {
      cluster: this.cluster.connection(),
      items: statuses
        .filter((s): s is WorkspaceStatus => Boolean(s))
        .map(toSummary),
      platform: this.platformItems(),
    };
  }

  /** Flux's sources and layers, the RGDs and the policies, each with its health. */
  private platformItems(): PlatformItem[] {
    if (!this.cluster.connection().connected) return [];
    const items: PlatformItem[] = [];
    const add = (
      kind: { apiVersion: string; kind: string },
      keep: (o: KubeObject) => boolean = () => true,
    ) => {
      for (const object of this.cluster.list(kind.apiVersion, kind.kind)) {
        if (!keep(object)) continue;
        const { health, summary } = interpreterFor(
          kind.apiVersion,
          kind.kind,
        ).interpret(object);
        items.push({
          kind: kind.kind,
          name: object.metadata.name,
          ...(object.metadata.namespace
            ? { namespace: object.metadata.namespace }
            : {}),
          health,
          summary,
        });
      }
    };
    add(PLATFORM_KINDS.gitRepository);
    // the layers; the Kustomizations KRO creates per workspace belong to the workspaces
    add(
      PLATFORM_KINDS.kustomization,
      o => !o.metadata.labels?.[KRO_LABELS.instanceName],
    );
    add(PLATFORM_KINDS.rgd);
    add(PLATFORM_KINDS.validatingPolicy);
    return items;
  }

  async getWorkspace(name: string): Promise<WorkspaceResponse> {
    const snap = await this.gitops.snapshot();
    const item = await this.workspaceStatus(name, snap);
    if (!item) throw new NotFoundError(`No workspace named ${name}`);
    return { cluster: this.cluster.connection(), item };
  }

  async getInstance(
    workspace: string,
    kind: string,
    name: string,
  ): Promise<InstanceResponse> {
    const snap = await this.gitops.snapshot();
    const abstraction = snap.registry.get(kind);
    if (!abstraction) throw new NotFoundError(`No abstraction of kind ${kind}`);
    const key = `${abstraction.kind}/${name}`;
    const known = this.instanceMemo.get(workspace)?.get(key);
    if (known) return { cluster: this.cluster.connection(), item: await known };
    let input: InstanceInput | undefined;
    if (abstraction.isWorkspace) {
      if (name === workspace) input = this.workspaceInput(snap, workspace);
    } else {
      const objectName = name.startsWith(`${workspace}-`)
        ? name
        : `${workspace}-${name}`;
      const git = this.gitInstances(snap, workspace).find(
        i =>
          i.abstraction === abstraction &&
          i.object.metadata.name === objectName,
      );
      const live = this.live(abstraction, objectName, workspace);
      if (git || live) input = { abstraction, workspace, git, live };
    }
    if (!input) {
      throw new NotFoundError(
        `No ${abstraction.kind} ${name} in workspace ${workspace}`,
      );
    }
    await this.historyReady;
    const pending = this.instanceStatus(snap, input);
    let memo = this.instanceMemo.get(workspace);
    if (!memo) {
      memo = new Map();
      this.instanceMemo.set(workspace, memo);
    }
    memo.set(key, pending);
    pending.catch(() => memo!.delete(key));
    return { cluster: this.cluster.connection(), item: await pending };
  }

  onEvent(listener: (event: StatusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.historyTimer);
    this.unsubscribe.forEach(stop => stop());
    this.listeners.clear();
  }

  // --- change tracking --------------------------------------------------------------------

  private async watchKinds() {
    try {
      const snap = await this.gitops.snapshot();
      this.cluster.watch(kindsToWatch(snap.registry.list()));
    } catch (e) {
      this.options.logger?.warn('Cannot read the abstractions to watch', {
        error: String(e),
      });
    }
  }

  private gitChanged(files: string[]) {
    const workspaces = new Set<string>();
    let all = files.length === 0;
    for (const file of files) {
      const parts = file.split('/');
      if (parts[0] !== GITOPS_LAYOUT.workspaces) all = true;
      else if (parts.length >= 3) workspaces.add(parts[1]);
    }
    if (all) {
      this.markDirty('all');
      void this.watchKinds();
    } else workspaces.forEach(ws => this.markDirty(ws));
    this.scheduleHistoryRefresh(files);
  }

  private scheduleHistoryRefresh(_files: string[]) {
    clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => {
      const refreshed = this.history.refresh().then(changed => {
        for (const file of changed) {
          const parts = file.split('/');
          if (parts[0] === GITOPS_LAYOUT.workspaces && parts.length >= 3)
            this.markDirty(parts[1]);
        }
      });
      this.historyReady = refreshed.catch(e =>
        this.options.logger?.warn('Cannot read the git history of gitops/', {
          error: String(e),
        }),
      );
    }, 20);
  }

  private clusterChanged(change: ClusterChange) {
    const object = change.object;
    const labels = object.metadata.labels ?? {};
    if (
      change.apiVersion === PLATFORM_KINDS.kustomization.apiVersion &&
      change.kind === PLATFORM_KINDS.kustomization.kind &&
      !labels[KRO_LABELS.instanceName]
    ) {
      this.workspacesKustomization = undefined;
      this.markDirty('all');
      return;
    }
    const instanceName = labels[KRO_LABELS.instanceName];
    if (instanceName) {
      const namespace = labels[KRO_LABELS.instanceNamespace];
      this.markDirty(namespace || instanceName);
      return;
    }
    const platform = Object.values(PLATFORM_KINDS).some(
      k => k.apiVersion === change.apiVersion && k.kind === change.kind,
    );
    if (platform || change.kind === 'CustomResourceDefinition') {
      this.markDirty('all');
      return;
    }
    // an instance of an abstraction: cluster-scoped ones are workspaces
    this.markDirty(object.metadata.namespace ?? object.metadata.name);
  }

  private markDirty(workspace: string | 'all') {
    if (workspace === 'all') {
      this.allDirty = true;
      this.memo.clear();
      this.instanceMemo.clear();
    } else {
      this.memo.delete(workspace);
      this.instanceMemo.delete(workspace);
      this.dirty.add(workspace);
    }
    if (!this.flushTimer && !this.closed) {
      this.flushTimer = setTimeout(
        () => void this.flush(),
        this.options.debounceMs ?? 50,
      );
    }
  }

  private async flush() {
    this.flushTimer = undefined;
    const all = this.allDirty;
    const names = [...this.dirty].sort();
    this.allDirty = false;
    this.dirty.clear();
    if (this.listeners.size === 0) return;
    if (all || names.length > (this.options.maxListedChanges ?? 50)) {
      this.emit({ type: 'changed', workspaces: [], all: true });
      return;
    }
    try {
      const snap = await this.gitops.snapshot();
      const statuses = await Promise.all(
        names.map(name => this.workspaceStatus(name, snap)),
      );
      this.emit({
        type: 'changed',
        workspaces: names,
        summaries: statuses
          .filter((s): s is WorkspaceStatus => Boolean(s))
          .map(toSummary),
      });
    } catch (e) {
      this.emit({ type: 'changed', workspaces: names });
      this.options.logger?.warn('Cannot compute changed workspaces', {
        error: String(e),
      });
    }
  }

  private emit(event: StatusEvent) {
    for (const listener of this.listeners) listener(event);
  }

  // --- lookups ----------------------------------------------------------------------------

  private workspaceNames(snap: GitopsSnapshot): string[] {
    const names = new Set(snap.workspaces.keys());
    const abstraction = snap.registry.workspace();
    for (const live of this.cluster.list(
      abstraction.apiVersion,
      abstraction.kind,
    )) {
      names.add(live.metadata.name);
    }
    return [...names].sort();
  }

  private gitInstances(
    snap: GitopsSnapshot,
    workspace: string,
  ): GitopsInstance[] {
    let index = this.byWorkspace.get(snap);
    if (!index) {
      index = new Map();
      for (const instance of snap.instances) {
        const list = index.get(instance.workspace) ?? [];
        list.push(instance);
        index.set(instance.workspace, list);
      }
      this.byWorkspace.set(snap, index);
    }
    return index.get(workspace) ?? [];
  }

  private live(
    abstraction: Abstraction,
    name: string,
    workspace: string,
  ): KubeObject | undefined {
    return this.cluster.get(
      abstraction.apiVersion,
      abstraction.kind,
      name,
      abstraction.isWorkspace ? undefined : workspace,
    );
  }

  private workspaceInput(
    snap: GitopsSnapshot,
    name: string,
  ): InstanceInput | undefined {
    const abstraction = snap.registry.workspace();
    const git = snap.workspaces.get(name);
    const live = this.live(abstraction, name, name);
    return git || live
      ? { abstraction, workspace: name, git, live }
      : undefined;
  }

  private rendered(
    abstraction: Abstraction,
    object: KubeObject,
  ): RenderedChildren {
    let found = this.renders.get(object);
    if (!found) {
      try {
        const result = renderInstance(abstraction, object, {
          isNamespaced: (apiVersion, kind) =>
            this.cluster.isNamespaced(apiVersion, kind),
        });
        found = {
          children: result.resources.flatMap(resource =>
            resource.objects.map(o => ({
              id: resource.id,
              apiVersion: o.apiVersion,
              kind: o.kind,
              name: o.metadata.name,
              ...(o.metadata.namespace
                ? { namespace: o.metadata.namespace }
                : {}),
            })),
          ),
        };
      } catch (e) {
        found = { children: [], error: (e as Error).message };
      }
      this.renders.set(object, found);
    }
    return found;
  }

  /** The Flux Kustomization applying the Workspace instances (`./gitops/workspaces`). */
  private workspacesKustomizationRef(): { namespace: string; name: string } {
    if (!this.workspacesKustomization) {
      const wanted = `${this.gitopsRel}/${GITOPS_LAYOUT.workspaces}`;
      const found = this.cluster
        .list(
          PLATFORM_KINDS.kustomization.apiVersion,
          PLATFORM_KINDS.kustomization.kind,
        )
        .find(
          k =>
            !k.metadata.labels?.[KRO_LABELS.instanceName] &&
            normalizePath(k.spec?.path) === wanted,
        );
      this.workspacesKustomization = found
        ? {
            namespace: found.metadata.namespace ?? 'flux-system',
            name: found.metadata.name,
          }
        : { namespace: 'flux-system', name: GITOPS_LAYOUT.workspaces };
    }
    return this.workspacesKustomization;
  }

  /** The Kustomization a Workspace creates for its requests, from the Workspace's render. */
  private requestsKustomizationRef(
    snap: GitopsSnapshot,
    workspace: string,
  ): { namespace: string; name: string } {
    const input = this.workspaceInput(snap, workspace);
    const object = input?.git?.object ?? input?.live;
    const child =
      input && object
        ? this.rendered(input.abstraction, object).children.find(
            c => c.kind === PLATFORM_KINDS.kustomization.kind,
          )
        : undefined;
    return child
      ? { namespace: child.namespace ?? workspace, name: child.name }
      : { namespace: workspace, name: `${workspace}-requests` };
  }

  // --- computing --------------------------------------------------------------------------

  private workspaceStatus(
    name: string,
    snap: GitopsSnapshot,
  ): Promise<WorkspaceStatus | undefined> {
    let pending = this.memo.get(name);
    if (!pending) {
      pending = this.computeWorkspace(name, snap);
      this.memo.set(name, pending);
      pending.catch(() => this.memo.delete(name));
    }
    return pending;
  }

  private async computeWorkspace(
    name: string,
    snap: GitopsSnapshot,
  ): Promise<WorkspaceStatus | undefined> {
    await this.historyReady;
    const wsInput = this.workspaceInput(snap, name);
    if (!wsInput) return undefined;
    const inputs: InstanceInput[] = [];
    const seen = new Set<string>();
    for (const git of this.gitInstances(snap, name)) {
      const live = this.live(git.abstraction, git.object.metadata.name, name);
      seen.add(`${git.abstraction.kind}/${git.object.metadata.name}`);
      inputs.push({ abstraction: git.abstraction, workspace: name, git, live });
    }
    for (const abstraction of snap.registry.requestKinds()) {
      for (const live of this.cluster.list(
        abstraction.apiVersion,
        abstraction.kind,
        name,
      )) {
        if (!seen.has(`${abstraction.kind}/${live.metadata.name}`))
          inputs.push({ abstraction, workspace: name, live });
      }
    }
    const [workspace, ...instances] = await Promise.all(
      [wsInput, ...inputs].map(input => this.instanceStatus(snap, input)),
    );
    const order = new Map(snap.registry.list().map((a, i) => [a.kind, i]));
    const summaries: InstanceSummary[] = instances
      .map(({ children: _c, spec: _s, ...summary }) => summary)
      .sort(
        (a, b) =>
          (order.get(a.kind) ?? 99) - (order.get(b.kind) ?? 99) ||
          a.shortName.localeCompare(b.shortName),
      );
    const counts = countHealths(summaries.map(i => i.overall.health));
    const kinds: Record<string, number> = {};
    for (const i of summaries) kinds[i.kind] = (kinds[i.kind] ?? 0) + 1;
    const spec = (wsInput.git?.object ?? wsInput.live)?.spec ?? {};
    return {
      name,
      ...(workspace.owner ?? spec.owner
        ? { owner: workspace.owner ?? String(spec.owner) }
        : {}),
      ...(spec.description ? { description: String(spec.description) } : {}),
      overall: workspaceOverall(workspace, summaries),
      counts,
      kinds,
      workspace,
      instances: summaries,
    };
  }

  private async instanceStatus(
    snap: GitopsSnapshot,
    input: InstanceInput,
  ): Promise<InstanceStatus> {
    const { abstraction, workspace, git, live } = input;
    const object = (git?.object ?? live)!;
    const identity = instanceIdentity(abstraction, object) ?? {
      workspace,
      name: object.metadata.name,
    };
    const connection = this.cluster.connection();
    const connected = connection.connected;
    const rendered = this.rendered(abstraction, object);
    const file = git ? `${this.gitopsRel}/${git.file}` : undefined;
    const commit = git ? this.history.commitOf(git.file) : undefined;
    const uncommitted = git ? this.history.isUncommitted(git.file) : false;

    const git_ = gitStage({
      path: file,
      commit,
      uncommitted,
      invalid: git ? rendered.error : undefined,
    });

    const kRef = abstraction.isWorkspace
      ? this.workspacesKustomizationRef()
      : this.requestsKustomizationRef(snap, workspace);
    const kustomization = this.cluster.get(
      PLATFORM_KINDS.kustomization.apiVersion,
      PLATFORM_KINDS.kustomization.kind,
      kRef.name,
      kRef.namespace,
    );
    const sourceRef = kustomization?.spec?.sourceRef;
    const source =
      kustomization && sourceRef?.name
        ? this.cluster.get(
            PLATFORM_KINDS.gitRepository.apiVersion,
            PLATFORM_KINDS.gitRepository.kind,
            sourceRef.name,
            sourceRef.namespace ?? kustomization.metadata.namespace,
          )
        : undefined;
    const committed = commit && !uncommitted ? commit.sha : undefined;
    const contains = async (revision: unknown) => {
      const sha = revisionSha(revision);
      if (!committed || !sha) return false;
      return this.history.contains(sha, committed);
    };
    const [appliedContains, attemptedContains, sourceContains] =
      connected && committed
        ? await Promise.all([
            contains(kustomization?.status?.lastAppliedRevision),
            contains(kustomization?.status?.lastAttemptedRevision),
            contains(source?.status?.artifact?.revision),
          ])
        : [undefined, undefined, undefined];

    const flux = fluxStage({
      connected,
      connectionReason: connection.reason,
      commit: committed,
      inGit: Boolean(git),
      kustomizationRef: kRef,
      kustomization,
      source,
      appliedContains,
      attemptedContains,
      sourceContains,
      workspace,
      isWorkspace: abstraction.isWorkspace,
    });

    const kro = kroStage({
      connected,
      connectionReason: connection.reason,
      live,
      rgd: this.cluster.get(
        PLATFORM_KINDS.rgd.apiVersion,
        PLATFORM_KINDS.rgd.kind,
        abstraction.name,
      ),
      rgdName: abstraction.name,
      kindServed:
        this.cluster.isNamespaced(abstraction.apiVersion, abstraction.kind) !==
        undefined,
    });

    const actual = connected
      ? this.cluster.childrenOf({
          kind: abstraction.kind,
          name: object.metadata.name,
          namespace: abstraction.isWorkspace ? undefined : workspace,
        })
      : [];
    const children = childStatuses(rendered.children, actual, connected);
    const resources = resourcesStage(children, connected, connection.reason);
    const stages = [git_, flux, kro, resources];
    const owner = git?.owner ?? object.metadata.labels?.['mini-atlas.io/owner'];
    return {
      kind: abstraction.kind,
      apiVersion: abstraction.apiVersion,
      name: object.metadata.name,
      ...(abstraction.isWorkspace ? {} : { namespace: workspace }),
      workspace: identity.workspace,
      shortName: identity.name,
      title: abstraction.title,
      icon: abstraction.icon,
      ...(owner ? { owner } : {}),
      ...(file ? { file } : {}),
      overall: overallFromStages(stages),
      stages,
      fields: live ? instanceStatusFields(live.status) : {},
      spec: (object.spec as Record<string, unknown>) ?? {},
      children,
    };
  }
}

function normalizePath(value: unknown): string {
  return typeof value === 'string'
    ? value.replace(/^\.\//, '').replace(/\/+$/, '')
    : '';
}

function toSummary(status: WorkspaceStatus): WorkspaceSummary {
  const { workspace: _w, instances: _i, ...summary } = status;
  return summary;
}

/**
 * A workspace's overall state: the Workspace request itself first (nothing in it can be ready
 * before its namespace and Kustomization are), then the worst of its requests.
 */
function workspaceOverall(
  workspace: InstanceStatus,
  requests: readonly InstanceSummary[],
): Overall {
  const health = worstHealth([
    workspace.overall.health,
    ...requests.map(r => r.overall.health),
  ]);
  if (workspace.overall.health !== 'ready') {
    return {
      health,
      ...(workspace.overall.stage ? { stage: workspace.overall.stage } : {}),
      message: `${workspace.title} ${workspace.name}: ${workspace.overall.message}`,
    };
  }
  const notReady = requests.filter(r => r.overall.health !== 'ready');
  if (notReady.length === 0) {
    return {
      health: 'ready',
      message:
        requests.length === 0
          ? 'Ready, no requests yet'
          : `All ${requests.length} requests ready`,
    };
  }
  const first =
    notReady.find(r => r.overall.health === 'failed') ?? notReady[0];
  return {
    health,
    ...(first.overall.stage ? { stage: first.overall.stage } : {}),
    message: `${requests.length - notReady.length} of ${
      requests.length
    } requests ready; ${first.title} ${first.shortName}: ${
      first.overall.message
    }`,
  };
}

/**
 * Creates the {@link StatusService}; it starts watching the kinds the RGDs need and follows Git
 * and the cluster for changes at once.
 *
 * @public
 */
export function createStatusService(
  options: StatusServiceOptions,
): StatusService {
  return new DefaultStatusService(options);
}
