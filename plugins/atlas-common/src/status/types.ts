/**
 * The status model the portal's API returns and its views read: every request (a KRO instance
 * declared in `gitops/`) goes through four stages, Git -> Flux -> KRO -> Resources, and its
 * overall state is the first stage that is not done, with that stage's reason in words.
 */

/**
 * Health of a request, a child object or a workspace.
 *
 * - `ready`: everything the platform promised exists and is healthy;
 * - `progressing`: on its way, nothing has failed (waiting for Flux, KRO or a rollout);
 * - `failed`: a controller reported an error that will not fix itself;
 * - `unknown`: the cluster is not reachable, so only Git's side is known.
 *
 * @public
 */
export type Health = 'ready' | 'progressing' | 'failed' | 'unknown';

/**
 * The four stages a request goes through, in order.
 *
 * @public
 */
export type StageName = 'git' | 'flux' | 'kro' | 'resources';

/**
 * The stages in the order a request passes them.
 *
 * @public
 */
export const STAGES: readonly StageName[] = ['git', 'flux', 'kro', 'resources'];

/**
 * State of one stage: `done`, `pending` (waiting for it), `failed`, or `unknown` (not
 * observable: no cluster).
 *
 * @public
 */
export type StageState = 'done' | 'pending' | 'failed' | 'unknown';

/**
 * One stage of a request, with what it is waiting for or what went wrong, in words.
 *
 * @public
 */
export interface StageStatus {
  stage: StageName;
  state: StageState;
  /** One sentence for people: what the stage did, or why it is not done. */
  message: string;
  /** The machine reason behind it (a Kubernetes condition reason, or one of ours). */
  reason?: string;
  /** When the stage last changed state, as the controller reported it (RFC 3339). */
  since?: string;
  /**
   * Facts of the stage: `commit` (git), `revision` and `kustomization` (flux), `state` and
   * `observedGeneration` (kro), ...
   */
  facts?: Record<string, string | number | boolean>;
}

/**
 * A Kubernetes condition as controllers write it.
 *
 * @public
 */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * One object KRO creates for a request (or will create: `exists: false`), with its own health.
 *
 * @public
 */
export interface ChildStatus {
  /** The RGD resource id it comes from (`deployment`, `database`, ...). */
  id: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** False while KRO has not created it yet. */
  exists: boolean;
  health: Health;
  /** One line for people: `2/2 replicas available`, `Cluster in healthy state (1/1 ready)`. */
  summary: string;
  /** Kind-specific facts the cards show (replicas, phase, partitions, address...). */
  facts: Record<string, string | number | boolean | string[]>;
  conditions?: Condition[];
}

/**
 * Where a request stands: its overall health, the stage that holds it, and why.
 *
 * @public
 */
export interface Overall {
  health: Health;
  /** The first stage that is not done; absent when the request is ready. */
  stage?: StageName;
  /** Why, in words (the holding stage's message, or `Ready`). */
  message: string;
}

/**
 * Identity of a request (or a workspace: it is the request that creates the workspace).
 *
 * @public
 */
export interface InstanceRef {
  kind: string;
  apiVersion: string;
  /** Name of the object in the cluster (`team-a-web`; a workspace: `team-a`). */
  name: string;
  /** Namespace of the object (the workspace); absent for cluster-scoped kinds. */
  namespace?: string;
  /** The workspace it belongs to. */
  workspace: string;
  /** The name without the workspace prefix (`web`). */
  shortName: string;
}

/**
 * One request with its stages, as the Workspace view lists it.
 *
 * @public
 */
export interface InstanceSummary extends InstanceRef {
  /** Display name of its abstraction (`Web application`). */
  title: string;
  /** Icon name of its abstraction. */
  icon: string;
  owner?: string;
  /** File in `gitops/` declaring it; absent when only the cluster has it. */
  file?: string;
  overall: Overall;
  stages: StageStatus[];
  /** Status fields KRO computed from the RGD's status expressions (scalars only). */
  fields: Record<string, string | number | boolean>;
}

/**
 * One request with its children, as the entity cards show it.
 *
 * @public
 */
export interface InstanceStatus extends InstanceSummary {
  /** The desired spec from Git (or from the cluster when Git does not have it). */
  spec: Record<string, unknown>;
  children: ChildStatus[];
}

/**
 * How many requests are in each health.
 *
 * @public
 */
export type HealthCounts = Record<Health, number> & { total: number };

/**
 * A workspace in the Platform page's list.
 *
 * @public
 */
export interface WorkspaceSummary {
  name: string;
  owner?: string;
  description?: string;
  /** The workspace's own health (its Workspace request) combined with its requests'. */
  overall: Overall;
  /** Health of the requests in the workspace (the workspace itself not included). */
  counts: HealthCounts;
  /** Number of requests per kind. */
  kinds: Record<string, number>;
}

/**
 * One workspace with every request in it, as the Workspace view shows it.
 *
 * @public
 */
export interface WorkspaceStatus extends WorkspaceSummary {
  /** The Workspace request itself (namespace, quota, isolation, its Flux Kustomization). */
  workspace: InstanceStatus;
  instances: InstanceSummary[];
}

/**
 * Whether the backend currently sees the cluster.
 *
 * @public
 */
export interface ClusterConnection {
  connected: boolean;
  /** The kubeconfig context (or `in-cluster`). */
  context?: string;
  /** Why it is not connected (or which kinds could not be watched). */
  reason?: string;
  /** When the cache last completed a list of every watched kind (RFC 3339). */
  syncedAt?: string;
  /** Kinds the cluster does not serve (their CRD is not installed), as `Kind.group/version`. */
  missingKinds?: string[];
}

/**
 * One object of the platform itself: the Flux source, a layer's Kustomization, an RGD, a policy.
 *
 * @public
 */
export interface PlatformItem {
  kind: string;
  name: string;
  namespace?: string;
  health: Health;
  /** One line for people (`applied revision main@sha1:...`, `Active`). */
  summary: string;
}

/**
 * `GET /api/atlas/status/workspaces`.
 *
 * @public
 */
export interface WorkspaceListResponse {
  cluster: ClusterConnection;
  items: WorkspaceSummary[];
  /**
   * The platform the workspaces stand on, as the cluster reports it: Flux's GitRepositories and
   * layer Kustomizations, KRO's RGDs and Kyverno's policies (empty without a cluster).
   */
  platform: PlatformItem[];
}

/**
 * `GET /api/atlas/status/workspaces/:name`.
 *
 * @public
 */
export interface WorkspaceResponse {
  cluster: ClusterConnection;
  item: WorkspaceStatus;
}

/**
 * `GET /api/atlas/status/workspaces/:workspace/instances/:kind/:name`.
 *
 * @public
 */
export interface InstanceResponse {
  cluster: ClusterConnection;
  item: InstanceStatus;
}

/**
 * An event of the push channel (`GET /api/atlas/status/events`, server-sent events):
 *
 * - `hello`: sent first, with the connection state;
 * - `changed`: these workspaces changed (`all: true` when too many to list), with their new
 *   summaries so the list needs no round trip;
 * - `cluster`: the connection to the cluster changed.
 *
 * @public
 */
export type StatusEvent =
  | { type: 'hello'; cluster: ClusterConnection }
  | {
      type: 'changed';
      workspaces: string[];
      all?: boolean;
      summaries?: WorkspaceSummary[];
    }
  | { type: 'cluster'; cluster: ClusterConnection };
