import type {
  ClusterConnection,
  InstanceStatus,
  PlatformItem,
  StageStatus,
  StatusEvent,
  WorkspaceStatus,
  WorkspaceSummary,
} from '@mini-atlas/plugin-atlas-common';
import { NotFoundError } from '@backstage/errors';
import type { AtlasStatusApi } from '../api';

/** An in-memory status API whose data a test changes, pushing events like the backend does. */
export class FakeStatusApi implements AtlasStatusApi {
  cluster: ClusterConnection = { connected: true, context: 'kind-mini-atlas' };
  workspaces = new Map<string, WorkspaceStatus>();
  instances = new Map<string, InstanceStatus>();
  platform: PlatformItem[] = [];
  calls: string[] = [];
  private listeners = new Set<(event: StatusEvent) => void>();

  async listWorkspaces() {
    this.calls.push('list');
    return {
      cluster: this.cluster,
      items: [...this.workspaces.values()].map(summary),
      platform: this.platform,
    };
  }

  async getWorkspace(name: string) {
    this.calls.push(`workspace ${name}`);
    const item = this.workspaces.get(name);
    if (!item) throw new NotFoundError(`No workspace named ${name}`);
    return { cluster: this.cluster, item };
  }

  async getInstance(ws: string, kind: string, name: string) {
    this.calls.push(`instance ${ws} ${kind} ${name}`);
    const item = this.instances.get(`${ws}/${kind}/${name}`);
    if (!item) throw new NotFoundError(`No ${kind} ${name}`);
    return { cluster: this.cluster, item };
  }

  subscribe(listener: (event: StatusEvent) => void) {
    this.listeners.add(listener);
    listener({ type: 'hello', cluster: this.cluster });
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: StatusEvent) {
    this.listeners.forEach(l => l(event));
  }

  get subscribers() {
    return this.listeners.size;
  }
}

/** The summary of a workspace status. */
export function summary(status: WorkspaceStatus): WorkspaceSummary {
  const { workspace: _w, instances: _i, ...rest } = status;
  return rest;
}

const STAGES = ['git', 'flux', 'kro', 'resources'] as const;

/** Stages done up to (not including) `holding`, which has the message. */
export function stagesHeldAt(
  holding: StageStatus['stage'] | undefined,
  message = '',
  state: StageStatus['state'] = 'pending',
): StageStatus[] {
  const at = holding ? STAGES.indexOf(holding) : STAGES.length;
  return STAGES.map((stage, i) => {
    if (i < at) return { stage, state: 'done', message: `${stage} done` };
    if (i === at) return { stage, state, message };
    return { stage, state: 'pending', message: `${stage} waits` };
  });
}

/** An instance at a stage. */
export function instance(
  kind: string,
  shortName: string,
  holding?: StageStatus['stage'],
  message = '',
  extra: Partial<InstanceStatus> = {},
): InstanceStatus {
  const titles: Record<string, string> = {
    Workspace: 'Workspace',
    WebApplication: 'Web application',
    Infrastructure: 'Infrastructure',
    Topic: 'Topic',
  };
  const stages = stagesHeldAt(holding, message);
  return {
    kind,
    apiVersion: 'platform.mini-atlas.io/v1alpha1',
    name: kind === 'Workspace' ? shortName : `team-a-${shortName}`,
    ...(kind === 'Workspace' ? {} : { namespace: 'team-a' }),
    workspace: 'team-a',
    shortName,
    title: titles[kind] ?? kind,
    icon: 'extension',
    file: `gitops/workspaces/team-a/${kind.toLowerCase()}-${shortName}.yaml`,
    overall: holding
      ? {
          health: 'progressing',
          stage: holding,
          message: `${
            holding === 'kro'
              ? 'KRO'
              : holding[0].toUpperCase() + holding.slice(1)
          }: ${message}`,
        }
      : { health: 'ready', message: 'Ready' },
    stages,
    fields: {},
    spec: {},
    children: [],
    ...extra,
  };
}

/** A workspace holding the given requests. */
export function workspace(
  name: string,
  requests: InstanceStatus[],
  extra: Partial<WorkspaceStatus> = {},
): WorkspaceStatus {
  const ready = requests.filter(r => r.overall.health === 'ready').length;
  const notReady = requests.find(r => r.overall.health !== 'ready');
  return {
    name,
    owner: name,
    description: `${name}'s services`,
    overall: notReady
      ? {
          health: notReady.overall.health,
          stage: notReady.overall.stage,
          message: `${ready} of ${requests.length} requests ready; ${notReady.title} ${notReady.shortName}: ${notReady.overall.message}`,
        }
      : { health: 'ready', message: `All ${requests.length} requests ready` },
    counts: {
      total: requests.length,
      ready,
      progressing: requests.length - ready,
      failed: 0,
      unknown: 0,
    },
    kinds: requests.reduce<Record<string, number>>((acc, r) => {
      acc[r.kind] = (acc[r.kind] ?? 0) + 1;
      return acc;
    }, {}),
    workspace: instance('Workspace', name),
    instances: requests.map(({ children: _c, spec: _s, ...rest }) => rest),
    ...extra,
  };
}
