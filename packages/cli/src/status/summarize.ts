import { Condition, KubeObject, findCondition } from '../kube';
import { platform } from '../platform';
import { Layer, Readiness, StatusItem } from './types';

const FLUX_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
const FLUX_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';

/**
 * The layer a Flux Kustomization belongs to, by the names in docs/architecture.md.
 *
 * @public
 */
export function layerOfKustomization(name: string): Layer {
  if (name === 'foundation') return 'foundation';
  if (name.startsWith('core-')) return 'core';
  if (name === 'workspaces' || name.endsWith(platform.requestsSuffix))
    return 'delivery';
  return 'other';
}

function readiness(condition: Condition | undefined): Readiness {
  if (condition?.status === 'True' || condition?.status === 'False')
    return condition.status;
  return 'Unknown';
}

/**
 * Picks what explains an object's readiness: its `Ready` condition, unless that says
 * nothing and a sub-condition (in the given order) is not True.
 */
function explain(
  object: KubeObject,
  subConditions: string[],
): Pick<StatusItem, 'ready' | 'reason' | 'message'> {
  const ready = findCondition(object, 'Ready');
  const state = readiness(ready);
  if (state !== 'True' && !ready?.message) {
    const failing = subConditions
      .map(type => findCondition(object, type))
      .find(c => c && c.status !== 'True');
    if (failing) {
      return { ready: state, reason: failing.reason, message: failing.message };
    }
  }
  if (!ready) {
    return {
      ready: 'Unknown',
      reason: 'NoStatus',
      message: 'no Ready condition yet',
    };
  }
  return { ready: state, reason: ready.reason, message: ready.message };
}

/** Flux objects: Ready=True only counts when the current generation was reconciled. */
function explainFlux(
  object: KubeObject,
): Pick<StatusItem, 'ready' | 'reason' | 'message'> {
  const explained = explain(object, ['Stalled', 'Reconciling']);
  const generation = object.metadata.generation;
  const observed: unknown = object.status?.observedGeneration;
  if (
    explained.ready === 'True' &&
    typeof generation === 'number' &&
    typeof observed === 'number' &&
    observed < generation
  ) {
    const reconciling = findCondition(object, 'Reconciling');
    return {
      ready: 'Unknown',
      reason: reconciling?.reason ?? 'Progressing',
      message:
        reconciling?.message ?? `generation ${generation} not reconciled yet`,
    };
  }
  return explained;
}

function base(object: KubeObject, layer: Layer): StatusItem {
  const labels = object.metadata.labels ?? {};
  return {
    layer,
    kind: object.kind,
    apiVersion: object.apiVersion,
    ...(object.metadata.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    name: object.metadata.name,
    ready: 'Unknown',
    ...(labels[FLUX_NAME_LABEL]
      ? {
          appliedBy: `${
            labels[FLUX_NAMESPACE_LABEL] ?? platform.fluxNamespace
          }/${labels[FLUX_NAME_LABEL]}`,
        }
      : {}),
  };
}

/**
 * A Flux `Kustomization` (kustomize.toolkit.fluxcd.io/v1) as a status item.
 *
 * @public
 */
export function summarizeKustomization(object: KubeObject): StatusItem {
  const item: StatusItem = {
    ...base(object, layerOfKustomization(object.metadata.name)),
    ...explainFlux(object),
  };
  if (object.spec?.suspend) item.state = 'Suspended';
  if (object.status?.lastAppliedRevision)
    item.revision = object.status.lastAppliedRevision;
  return item;
}

/**
 * A Flux `GitRepository` (source.toolkit.fluxcd.io/v1) as a status item (Source).
 *
 * @public
 */
export function summarizeGitRepository(object: KubeObject): StatusItem {
  const item: StatusItem = {
    ...base(object, 'source'),
    ...explainFlux(object),
  };
  if (object.spec?.suspend) item.state = 'Suspended';
  if (object.status?.artifact?.revision)
    item.revision = object.status.artifact.revision;
  if (object.spec?.url) item.url = object.spec.url;
  return item;
}

/**
 * A Flux `HelmRelease` (helm.toolkit.fluxcd.io/v2) as a status item (Core layer).
 *
 * @public
 */
export function summarizeHelmRelease(object: KubeObject): StatusItem {
  const item: StatusItem = { ...base(object, 'core'), ...explainFlux(object) };
  const latest = Array.isArray(object.status?.history)
    ? object.status.history[0]
    : undefined;
  if (object.spec?.suspend) item.state = 'Suspended';
  else if (latest?.status) item.state = latest.status;
  if (latest?.chartName)
    item.revision = `${latest.chartName}@${latest.chartVersion}`;
  return item;
}

/**
 * A KRO `ResourceGraphDefinition` (kro.run/v1alpha1) as a status item (Foundation layer).
 *
 * @public
 */
export function summarizeResourceGraphDefinition(
  object: KubeObject,
): StatusItem {
  const item: StatusItem = {
    ...base(object, 'foundation'),
    ...explain(object, [
      'GraphAccepted',
      'ResourceGraphAccepted',
      'KindReady',
      'ControllerReady',
      'GraphRevisionsResolved',
    ]),
  };
  if (object.status?.state) item.state = object.status.state;
  const schema = object.spec?.schema;
  if (schema?.kind) {
    item.serves = `${schema.kind}.${schema.group ?? 'kro.run'}/${
      schema.apiVersion
    }`;
  }
  return item;
}

/**
 * A platform instance (a kind KRO serves from an RGD) as a status item (Delivery layer).
 *
 * @public
 */
export function summarizeInstance(object: KubeObject): StatusItem {
  const item: StatusItem = {
    ...base(object, 'delivery'),
    ...explain(object, ['InstanceManaged', 'GraphResolved', 'ResourcesReady']),
  };
  if (object.status?.state) item.state = object.status.state;
  return item;
}
