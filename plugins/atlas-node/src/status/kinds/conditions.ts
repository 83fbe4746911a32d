import type { Condition, KubeObject } from '@mini-atlas/plugin-atlas-common';

/**
 * The condition of a type on an object, if any.
 *
 * @public
 */
export function findCondition(
  object: KubeObject | undefined,
  type: string,
): Condition | undefined {
  const conditions = object?.status?.conditions;
  return Array.isArray(conditions)
    ? (conditions as Condition[]).find(c => c.type === type)
    : undefined;
}

/** `reason: message`, or whichever of them exists. */
export function explainCondition(condition: Condition | undefined): string {
  if (!condition) return '';
  if (condition.message && condition.reason)
    return `${condition.message} (${condition.reason})`;
  return condition.message ?? condition.reason ?? '';
}

/** True when the controller has not yet looked at the object's current generation. */
export function generationPending(
  object: KubeObject,
  observed: unknown = object.status?.observedGeneration,
): boolean {
  const generation = object.metadata.generation;
  return (
    typeof generation === 'number' &&
    typeof observed === 'number' &&
    observed < generation
  );
}
