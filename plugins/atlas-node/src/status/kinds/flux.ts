import type { KubeObject } from '@mini-atlas/plugin-atlas-common';
import { pick, trimConditions, trimMetadata } from '../../cluster/trim';
import {
  explainCondition,
  findCondition,
  generationPending,
} from './conditions';
import type { Interpretation, KindInterpreter } from './types';

/** Ready=False reasons of Flux objects that mean a failure (not a wait). */
const FLUX_FAILURE_REASONS = new Set([
  'BuildFailed',
  'HealthCheckFailed',
  'ReconciliationFailed',
  'PruneFailed',
  'ArtifactFailed',
  'FetchFailed',
  'GitOperationFailed',
  'AuthenticationFailed',
  'StorageOperationFailed',
  'IncludeUnavailable',
  'InvalidPath',
]);

/**
 * The commit SHA of a Flux revision: `main@sha1:<sha>` (v1 format), `sha1:<sha>` or the legacy
 * `main/<sha>`; undefined for anything else.
 *
 * @public
 */
export function revisionSha(revision: unknown): string | undefined {
  if (typeof revision !== 'string') return undefined;
  const match = /(?:^|@|\/)(?:sha1:)?([0-9a-f]{40})$/.exec(revision);
  return match?.[1];
}

/**
 * How a Flux object (Kustomization, GitRepository) is doing from its kstatus conditions:
 * `Ready=True` for the current generation is ready, `Stalled=True` or a failure reason on
 * `Ready=False` is failed, everything else (`Reconciling`, `DependencyNotReady`, no status yet)
 * is progressing.
 *
 * @public
 */
export function interpretFlux(
  object: KubeObject,
  readyText: string,
): Pick<Interpretation, 'health' | 'summary'> {
  if (object.spec?.suspend)
    return { health: 'progressing', summary: 'suspended' };
  const ready = findCondition(object, 'Ready');
  const stalled = findCondition(object, 'Stalled');
  if (stalled?.status === 'True')
    return {
      health: 'failed',
      summary: `stalled: ${explainCondition(stalled)}`,
    };
  if (ready?.status === 'True' && !generationPending(object))
    return { health: 'ready', summary: readyText };
  if (ready?.status === 'False' && FLUX_FAILURE_REASONS.has(ready.reason ?? ''))
    return { health: 'failed', summary: explainCondition(ready) };
  const reconciling = findCondition(object, 'Reconciling');
  const why = explainCondition(
    ready?.status === 'True' ? reconciling : ready ?? reconciling,
  );
  return {
    health: 'progressing',
    summary: why || 'waiting for Flux to reconcile it',
  };
}

/**
 * Flux Kustomization (`kustomize.toolkit.fluxcd.io/v1`): the revision it last applied
 * (`status.lastAppliedRevision`, `<branch>@sha1:<sha>`), the one it last attempted, and its
 * `Ready` condition (`ReconciliationSucceeded`, or `BuildFailed`, `HealthCheckFailed`,
 * `DependencyNotReady`, ...). The inventory is not kept.
 *
 * @public
 */
export const kustomizationInterpreter: KindInterpreter = {
  group: 'kustomize.toolkit.fluxcd.io',
  kind: 'Kustomization',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: pick(o.spec, [
      'path',
      'suspend',
      'targetNamespace',
      'sourceRef.kind',
      'sourceRef.name',
      'sourceRef.namespace',
    ]),
    status: {
      ...pick(o.status, [
        'lastAppliedRevision',
        'lastAttemptedRevision',
        'observedGeneration',
      ]),
      conditions: trimConditions(o.status?.conditions) ?? [],
    },
  }),
  interpret(o) {
    const applied: string | undefined = o.status?.lastAppliedRevision;
    const attempted: string | undefined = o.status?.lastAttemptedRevision;
    const { health, summary } = interpretFlux(
      o,
      applied ? `applied revision ${applied}` : 'applied',
    );
    return {
      health,
      summary,
      facts: {
        ...(applied ? { lastAppliedRevision: applied } : {}),
        ...(attempted ? { lastAttemptedRevision: attempted } : {}),
        ...(o.spec?.path ? { path: o.spec.path } : {}),
        ...(o.spec?.suspend ? { suspended: true } : {}),
      },
      conditions: o.status?.conditions,
    };
  },
};

/**
 * Flux GitRepository (`source.toolkit.fluxcd.io/v1`): the fetched artifact's revision
 * (`status.artifact.revision`, `<branch>@sha1:<sha>`) and `Ready`.
 *
 * @public
 */
export const gitRepositoryInterpreter: KindInterpreter = {
  group: 'source.toolkit.fluxcd.io',
  kind: 'GitRepository',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: pick(o.spec, [
      'url',
      'suspend',
      'ref.branch',
      'ref.tag',
      'ref.commit',
    ]),
    status: {
      ...pick(o.status, ['artifact.revision', 'observedGeneration']),
      conditions: trimConditions(o.status?.conditions) ?? [],
    },
  }),
  interpret(o) {
    const revision: string | undefined = o.status?.artifact?.revision;
    const { health, summary } = interpretFlux(
      o,
      revision ? `fetched ${revision}` : 'fetched',
    );
    return {
      health,
      summary,
      facts: {
        ...(revision ? { revision } : {}),
        ...(o.spec?.url ? { url: o.spec.url } : {}),
      },
      conditions: o.status?.conditions,
    };
  },
};
