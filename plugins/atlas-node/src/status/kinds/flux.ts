import {
  isPlainObject,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import { pick, trimConditions, trimMetadata } from '../../cluster/trim';
import {
  explainCondition,
  findCondition,
  generationPending,
} from './conditions';
import type { Interpretation, KindInterpreter } from './types';

/** Ready=False reasons of Flux objects that mean a failure (not a wait). */
const FLUX_FAILURE_REASONS = new Set([
  // kustomize-controller
  'BuildFailed',
  'HealthCheckFailed',
  'ReconciliationFailed',
  'PruneFailed',
  'ArtifactFailed',
  // source-controller
  'FetchFailed',
  'GitOperationFailed',
  'AuthenticationFailed',
  'StorageOperationFailed',
  'IncludeUnavailable',
  'InvalidPath',
  // helm-controller
  'InstallFailed',
  'UpgradeFailed',
  'TestFailed',
  'RollbackFailed',
  'UninstallFailed',
  'InitFailed',
  'GetLastReleaseFailed',
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
 * How a Flux object (Kustomization, GitRepository, HelmRelease) is doing from its kstatus
 * conditions: `Ready=True` for the current generation is ready, `Stalled=True` or a failure
 * reason on `Ready=False` is failed, everything else (`Reconciling`, `DependencyNotReady`, a
 * generation not reconciled yet, no status yet) is progressing.
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
  if (stalled?.status === 'True') {
    // helm-controller keeps the cause on Ready and only says on Stalled that it gave up.
    const cause =
      ready?.status === 'False' && ready.message !== stalled.message
        ? explainCondition(ready)
        : '';
    return {
      health: 'failed',
      summary: `${cause ? `${cause}; ` : ''}stalled: ${explainCondition(
        stalled,
      )}`,
    };
  }
  const pending = generationPending(object);
  if (ready?.status === 'True' && !pending)
    return { health: 'ready', summary: readyText };
  if (ready?.status === 'False' && FLUX_FAILURE_REASONS.has(ready.reason ?? ''))
    return { health: 'failed', summary: explainCondition(ready) };
  const reconciling = findCondition(object, 'Reconciling');
  if (ready?.status === 'True') {
    return {
      health: 'progressing',
      summary:
        explainCondition(reconciling) ||
        `generation ${object.metadata.generation} not reconciled yet (Ready is for generation ${object.status?.observedGeneration})`,
    };
  }
  return {
    health: 'progressing',
    summary:
      explainCondition(ready ?? reconciling) ||
      'waiting for Flux to reconcile it',
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

/** The newest entry of a HelmRelease's `status.history` (helm-controller keeps it first). */
function latestRelease(o: KubeObject): Record<string, any> | undefined {
  const history = o.status?.history;
  return Array.isArray(history) && isPlainObject(history[0])
    ? history[0]
    : undefined;
}

/**
 * Flux HelmRelease (`helm.toolkit.fluxcd.io/v2`): `Ready` (`InstallSucceeded`,
 * `UpgradeSucceeded`, `TestSucceeded`; `InstallFailed`, `UpgradeFailed`, ...) as helm-controller
 * summarizes it from `Released`, `TestSuccess` and `Remediated`, `Stalled` once it ran out of
 * retries, and the newest release of `status.history` (chart, version, Helm status). After a
 * failed release was rolled back or uninstalled, `Ready` carries the remediation
 * (`RollbackSucceeded`) and `Released` the failure: that is failed, explained by both.
 *
 * @public
 */
export const helmReleaseInterpreter: KindInterpreter = {
  group: 'helm.toolkit.fluxcd.io',
  kind: 'HelmRelease',
  trim: o => {
    const latest = latestRelease(o);
    return {
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: trimMetadata(o.metadata),
      spec: pick(o.spec, [
        'releaseName',
        'targetNamespace',
        'suspend',
        'chart.spec.chart',
        'chart.spec.version',
        'chartRef.kind',
        'chartRef.name',
      ]),
      status: {
        ...pick(o.status, [
          'observedGeneration',
          'lastAttemptedRevision',
          'lastAttemptedReleaseAction',
          'failures',
        ]),
        ...(latest
          ? {
              history: [
                pick(latest, [
                  'name',
                  'namespace',
                  'version',
                  'status',
                  'chartName',
                  'chartVersion',
                  'appVersion',
                ]),
              ],
            }
          : {}),
        conditions: trimConditions(o.status?.conditions) ?? [],
      },
    };
  },
  interpret(o) {
    const latest = latestRelease(o);
    const chart: string | undefined = latest?.chartName
      ? `${latest.chartName}@${latest.chartVersion}`
      : undefined;
    const released = findCondition(o, 'Released');
    const remediated = findCondition(o, 'Remediated');
    const stalled = findCondition(o, 'Stalled');
    let verdict = interpretFlux(
      o,
      chart && latest?.status
        ? `${chart} ${latest.status}${
            latest.namespace ? ` in ${latest.namespace}` : ''
          }`
        : explainCondition(released) || 'released',
    );
    if (
      verdict.health !== 'ready' &&
      !o.spec?.suspend &&
      !generationPending(o) &&
      remediated?.status === 'True' &&
      released?.status === 'False'
    ) {
      verdict = {
        health: 'failed',
        summary: [
          explainCondition(released),
          explainCondition(remediated),
          stalled?.status === 'True'
            ? `stalled: ${explainCondition(stalled)}`
            : '',
        ]
          .filter(Boolean)
          .join('; '),
      };
    }
    const failures = o.status?.failures;
    return {
      ...verdict,
      facts: {
        ...(chart ? { chart } : {}),
        ...(latest?.appVersion
          ? { appVersion: String(latest.appVersion) }
          : {}),
        ...(latest?.status ? { releaseStatus: String(latest.status) } : {}),
        ...(latest?.name
          ? {
              release: `${latest.namespace ? `${latest.namespace}/` : ''}${
                latest.name
              }.v${latest.version}`,
            }
          : {}),
        ...(o.status?.lastAttemptedRevision
          ? { lastAttemptedRevision: String(o.status.lastAttemptedRevision) }
          : {}),
        ...(typeof failures === 'number' && failures > 0 ? { failures } : {}),
        ...(o.spec?.suspend ? { suspended: true } : {}),
      },
      conditions: o.status?.conditions,
    };
  },
};
