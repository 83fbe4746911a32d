import { pick, trimConditions, trimMetadata } from '../../cluster/trim';
import type { KindInterpreter } from './types';

/** `status.phase` of a CloudNativePG Cluster that is fully up. */
export const CNPG_HEALTHY_PHASE = 'Cluster in healthy state';

/** Phases that need a person: they do not resolve by waiting. */
const FAILED_PHASES = [
  'Unable to create required cluster objects',
  'Invalid cluster definition',
  'Cluster is unrecoverable and needs manual intervention',
  'Waiting for user action',
];

/** Suffix of the Secret CloudNativePG generates for the application owner. */
const APP_SECRET_SUFFIX = '-app';

/**
 * CloudNativePG Cluster (`postgresql.cnpg.io/v1`): `status.phase` (healthy is exactly
 * `Cluster in healthy state`), `readyInstances` against `spec.instances`, the primary, the
 * read-write service and the name of the application credentials Secret (`<cluster>-app` unless
 * `bootstrap.initdb.secret.name` names one). The Secret itself is never read.
 *
 * @public
 */
export const cnpgClusterInterpreter: KindInterpreter = {
  group: 'postgresql.cnpg.io',
  kind: 'Cluster',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: pick(o.spec, [
      'instances',
      'storage.size',
      'bootstrap.initdb.database',
      'bootstrap.initdb.owner',
      'bootstrap.initdb.secret.name',
    ]),
    status: {
      ...pick(o.status, [
        'phase',
        'phaseReason',
        'instances',
        'readyInstances',
        'currentPrimary',
        'writeService',
        'readService',
      ]),
      conditions: trimConditions(o.status?.conditions) ?? [],
    },
  }),
  interpret(o) {
    const phase: string | undefined = o.status?.phase;
    const desired: number = o.spec?.instances ?? 1;
    const readyInstances: number = o.status?.readyInstances ?? 0;
    const credentialsSecret: string =
      o.spec?.bootstrap?.initdb?.secret?.name ??
      `${o.metadata.name}${APP_SECRET_SUFFIX}`;
    const facts: Record<string, string | number> = {
      instances: desired,
      readyInstances,
      credentialsSecret,
      ...(phase ? { phase } : {}),
      ...(o.status?.phaseReason ? { phaseReason: o.status.phaseReason } : {}),
      ...(o.status?.currentPrimary ? { primary: o.status.currentPrimary } : {}),
      writeService: o.status?.writeService ?? `${o.metadata.name}-rw`,
      ...(o.spec?.bootstrap?.initdb?.database
        ? { database: o.spec.bootstrap.initdb.database }
        : {}),
      ...(o.spec?.storage?.size ? { storage: o.spec.storage.size } : {}),
    };
    const conditions = o.status?.conditions;
    const counted = `${readyInstances}/${desired} instances ready`;
    if (!phase) {
      return {
        health: 'progressing',
        summary: 'waiting for CloudNativePG to start the cluster',
        facts,
        conditions,
      };
    }
    if (FAILED_PHASES.some(p => phase.startsWith(p))) {
      return {
        health: 'failed',
        summary: `${phase}${
          o.status?.phaseReason ? `: ${o.status.phaseReason}` : ''
        }`,
        facts,
        conditions,
      };
    }
    if (phase === CNPG_HEALTHY_PHASE && readyInstances >= desired) {
      return {
        health: 'ready',
        summary: `${phase} (${counted})`,
        facts,
        conditions,
      };
    }
    return {
      health: 'progressing',
      summary: `${phase} (${counted})`,
      facts,
      conditions,
    };
  },
};
