import {
  isPlainObject,
  type Condition,
  type KubeObject,
  type KubeObjectMeta,
} from '@mini-atlas/plugin-atlas-common';

/** Label prefixes the views read; every other label is dropped from the cache. */
const KEPT_LABEL_PREFIXES = [
  'kro.run/instance-',
  'kro.run/node-id',
  'mini-atlas.io/',
  'strimzi.io/cluster',
  'kustomize.toolkit.fluxcd.io/',
  'app.kubernetes.io/instance',
];

/** Longest condition message kept; controllers sometimes write whole stack traces. */
const MAX_MESSAGE = 600;

/**
 * The metadata the cache keeps: identity, versions, deletion and the labels the views read
 * (`kro.run/instance-*`, `mini-atlas.io/*`, `strimzi.io/cluster`, Flux's). No annotations, no
 * managedFields, no ownerReferences.
 *
 * @public
 */
export function trimMetadata(metadata: KubeObjectMeta): KubeObjectMeta {
  const kept: KubeObjectMeta = { name: metadata.name };
  if (metadata.namespace) kept.namespace = metadata.namespace;
  if (metadata.resourceVersion) kept.resourceVersion = metadata.resourceVersion;
  if (typeof metadata.generation === 'number')
    kept.generation = metadata.generation;
  if (metadata.creationTimestamp)
    kept.creationTimestamp = metadata.creationTimestamp;
  if (metadata.deletionTimestamp)
    kept.deletionTimestamp = metadata.deletionTimestamp;
  if (metadata.labels) {
    const labels: Record<string, string> = {};
    let any = false;
    for (const [key, value] of Object.entries(metadata.labels)) {
      if (KEPT_LABEL_PREFIXES.some(prefix => key.startsWith(prefix))) {
        labels[key] = value;
        any = true;
      }
    }
    if (any) kept.labels = labels;
  }
  return kept;
}

/**
 * Conditions as the views need them, messages shortened.
 *
 * @public
 */
export function trimConditions(value: unknown): Condition[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isPlainObject).map(c => {
    const condition: Condition = {
      type: String(c.type),
      status: String(c.status),
    };
    if (typeof c.reason === 'string' && c.reason) condition.reason = c.reason;
    if (typeof c.message === 'string' && c.message) {
      condition.message =
        c.message.length > MAX_MESSAGE
          ? `${c.message.slice(0, MAX_MESSAGE)}…`
          : c.message;
    }
    if (typeof c.lastTransitionTime === 'string')
      condition.lastTransitionTime = c.lastTransitionTime;
    if (typeof c.observedGeneration === 'number')
      condition.observedGeneration = c.observedGeneration;
    return condition;
  });
}

/**
 * Picks the listed paths (dotted, e.g. `spec.replicas`) of a value, keeping their nesting.
 *
 * @public
 */
export function pick(
  source: unknown,
  paths: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const parts = path.split('.');
    let value: unknown = source;
    for (const part of parts) {
      value = isPlainObject(value) ? value[part] : undefined;
    }
    if (value === undefined) continue;
    let target = out;
    for (const part of parts.slice(0, -1)) {
      if (!isPlainObject(target[part])) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]] = value;
  }
  return out;
}

/**
 * The default trim for kinds without an interpreter: identity plus `status.phase`,
 * `status.observedGeneration` and `status.conditions`.
 *
 * @public
 */
export function trimGeneric(object: KubeObject): KubeObject {
  const status = isPlainObject(object.status) ? object.status : undefined;
  const kept: KubeObject = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: trimMetadata(object.metadata),
  };
  if (status) {
    const conditions = trimConditions(status.conditions);
    kept.status = {
      ...pick(status, ['phase', 'observedGeneration', 'state']),
      ...(conditions ? { conditions } : {}),
    };
  }
  return kept;
}
