import { isPlainObject } from '@mini-atlas/plugin-atlas-common';
import { pick, trimConditions, trimMetadata } from '../../cluster/trim';
import { findCondition, generationPending } from './conditions';
import type { Interpretation, KindInterpreter } from './types';

/**
 * Namespace (`v1`): `status.phase` is `Active` or `Terminating`.
 *
 * @public
 */
export const namespaceInterpreter: KindInterpreter = {
  group: '',
  kind: 'Namespace',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    status: pick(o.status, ['phase']),
  }),
  interpret(o): Interpretation {
    const phase: string | undefined = o.status?.phase;
    if (phase === 'Active')
      return { health: 'ready', summary: 'Active', facts: { phase } };
    if (phase === 'Terminating' || o.metadata.deletionTimestamp)
      return {
        health: 'progressing',
        summary: 'Terminating',
        facts: { phase: 'Terminating' },
      };
    return {
      health: 'progressing',
      summary: 'no phase reported yet',
      facts: {},
    };
  },
};

/**
 * Deployment (`apps/v1`): desired `spec.replicas` against `status.availableReplicas` and
 * `updatedReplicas`; `Progressing=False ProgressDeadlineExceeded` and `ReplicaFailure=True` are
 * failures.
 *
 * @public
 */
export const deploymentInterpreter: KindInterpreter = {
  group: 'apps',
  kind: 'Deployment',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: {
      ...pick(o.spec, ['replicas', 'paused']),
      images: (o.spec?.template?.spec?.containers ?? []).map(
        (c: { image?: string }) => c.image ?? '',
      ),
    },
    status: {
      ...pick(o.status, [
        'replicas',
        'readyReplicas',
        'availableReplicas',
        'updatedReplicas',
        'unavailableReplicas',
        'observedGeneration',
      ]),
      conditions: trimConditions(o.status?.conditions) ?? [],
    },
  }),
  interpret(o) {
    const desired: number = o.spec?.replicas ?? 1;
    const available: number = o.status?.availableReplicas ?? 0;
    const ready: number = o.status?.readyReplicas ?? 0;
    const updated: number = o.status?.updatedReplicas ?? 0;
    const images: string[] = o.spec?.images ?? [];
    const facts = { desired, ready, available, updated, images };
    const conditions = o.status?.conditions;
    const progressing = findCondition(o, 'Progressing');
    const replicaFailure = findCondition(o, 'ReplicaFailure');
    if (
      progressing?.status === 'False' &&
      progressing.reason === 'ProgressDeadlineExceeded'
    ) {
      return {
        health: 'failed',
        summary: `rollout stalled: ${
          progressing.message ?? progressing.reason
        }`,
        facts,
        conditions,
      };
    }
    if (replicaFailure?.status === 'True') {
      return {
        health: 'failed',
        summary: `cannot create pods: ${
          replicaFailure.message ?? replicaFailure.reason
        }`,
        facts,
        conditions,
      };
    }
    const counted = `${available}/${desired} replicas available`;
    if (generationPending(o)) {
      return {
        health: 'progressing',
        summary: `${counted}; the new version is not rolled out yet`,
        facts,
        conditions,
      };
    }
    if (available >= desired && updated >= desired) {
      return {
        health: 'ready',
        summary: desired === 0 ? 'scaled to 0' : counted,
        facts,
        conditions,
      };
    }
    return { health: 'progressing', summary: counted, facts, conditions };
  },
};

/**
 * Service (`v1`): ready once it exists; its type, cluster IP and ports are facts.
 *
 * @public
 */
export const serviceInterpreter: KindInterpreter = {
  group: '',
  kind: 'Service',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: {
      ...pick(o.spec, ['type', 'clusterIP']),
      ports: (o.spec?.ports ?? []).map((p: { port?: number }) => p.port),
    },
  }),
  interpret(o) {
    const ports: number[] = (o.spec?.ports ?? []).filter(
      (p: unknown) => typeof p === 'number',
    );
    const host = `${o.metadata.name}.${o.metadata.namespace}.svc`;
    const address = ports.length ? `${host}:${ports[0]}` : host;
    return {
      health: 'ready',
      summary: address,
      facts: {
        type: o.spec?.type ?? 'ClusterIP',
        ...(o.spec?.clusterIP ? { clusterIP: o.spec.clusterIP } : {}),
        ports: ports.map(String),
        address,
      },
    };
  },
};

function quantities(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) out[key] = String(v);
  }
  return out;
}

/**
 * ResourceQuota (`v1`): ready once it exists; used against hard limits as facts
 * (`used.pods: 3`, `hard.pods: 30`).
 *
 * @public
 */
export const resourceQuotaInterpreter: KindInterpreter = {
  group: '',
  kind: 'ResourceQuota',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: { hard: quantities(o.spec?.hard) },
    status: { used: quantities(o.status?.used) },
  }),
  interpret(o) {
    const hard = quantities(o.spec?.hard);
    const used = quantities(o.status?.used);
    const facts: Record<string, string> = {};
    for (const [key, value] of Object.entries(hard)) {
      facts[`hard.${key}`] = value;
      if (used[key] !== undefined) facts[`used.${key}`] = used[key];
    }
    const parts = Object.keys(hard).map(
      key => `${key} ${used[key] ?? '0'}/${hard[key]}`,
    );
    return {
      health: 'ready',
      summary: parts.length ? parts.join(', ') : 'no limits',
      facts,
    };
  },
};

/**
 * LimitRange (`v1`): ready once it exists.
 *
 * @public
 */
export const limitRangeInterpreter: KindInterpreter = {
  group: '',
  kind: 'LimitRange',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
  }),
  interpret: () => ({
    health: 'ready',
    summary: 'default container limits in place',
    facts: {},
  }),
};
