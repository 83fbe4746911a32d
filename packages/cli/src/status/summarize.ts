import {
  overallFromStages,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import {
  instanceStatusFields,
  interpreterFor,
  kroStage,
} from '@mini-atlas/plugin-atlas-node';
import { platform } from '../platform';
import { Layer, StatusItem } from './types';

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

function identity(
  object: KubeObject,
  layer: Layer,
): Pick<
  StatusItem,
  'layer' | 'kind' | 'apiVersion' | 'namespace' | 'name' | 'appliedBy'
> {
  const labels = object.metadata.labels ?? {};
  return {
    layer,
    kind: object.kind,
    apiVersion: object.apiVersion,
    ...(object.metadata.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    name: object.metadata.name,
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
 * An object as a status item of a layer, read by atlas-node's interpreter of its kind: Flux
 * GitRepository, Kustomization and HelmRelease, KRO ResourceGraphDefinition, ... (the generic
 * one for a kind it does not know).
 *
 * @public
 */
export function summarizeObject(object: KubeObject, layer: Layer): StatusItem {
  const { health, summary, facts, conditions } = interpreterFor(
    object.apiVersion,
    object.kind,
  ).interpret(object);
  return {
    ...identity(object, layer),
    health,
    summary,
    facts,
    ...(conditions ? { conditions } : {}),
  };
}

/**
 * A Flux `Kustomization` as a status item of the layer it applies.
 *
 * @public
 */
export function summarizeKustomization(object: KubeObject): StatusItem {
  return summarizeObject(object, layerOfKustomization(object.metadata.name));
}

/**
 * A platform instance (a kind KRO serves from an RGD) as a status item (Delivery layer), read
 * as the portal's KRO stage reads it: `status.state`, the `InstanceManaged`, `GraphResolved`,
 * `ResourcesReady` and `Ready` conditions, the observed generation; the RGD that serves its
 * kind explains an instance KRO has not picked up.
 *
 * @public
 */
export function summarizeInstance(
  object: KubeObject,
  rgd?: KubeObject,
): StatusItem {
  const stage = kroStage({
    connected: true,
    live: object,
    rgd,
    rgdName: rgd?.metadata.name ?? object.kind.toLowerCase(),
    kindServed: true,
  });
  const conditions = object.status?.conditions;
  return {
    ...identity(object, 'delivery'),
    health: overallFromStages([stage]).health,
    summary: stage.message,
    facts: { ...instanceStatusFields(object.status), ...stage.facts },
    ...(Array.isArray(conditions) ? { conditions } : {}),
  };
}
