import type { Entity } from '@backstage/catalog-model';
import {
  ATLAS_ENTITY_ANNOTATIONS,
  parseInstanceRef,
  type InstanceObjectRef,
} from '@mini-atlas/plugin-atlas-common';

/**
 * The request a catalog entity was made from, from its `mini-atlas.io/instance` annotation, with
 * its workspace; undefined for other entities.
 *
 * @public
 */
export function entityInstance(
  entity: Entity,
): (InstanceObjectRef & { workspace: string }) | undefined {
  const text = entity.metadata.annotations?.[ATLAS_ENTITY_ANNOTATIONS.instance];
  if (!text) return undefined;
  try {
    const ref = parseInstanceRef(text);
    return { ...ref, workspace: ref.namespace ?? ref.name };
  } catch {
    return undefined;
  }
}

/**
 * A filter for entity cards: entities made from an instance of one of these kinds.
 *
 * @public
 */
export function isInstanceOf(...kinds: string[]) {
  return (entity: Entity) => {
    const ref = entityInstance(entity);
    return Boolean(ref && kinds.includes(ref.kind));
  };
}

/**
 * A filter for entity cards: entities made from a request of any kind (an instance in a
 * workspace's namespace), so a new abstraction gets the generic cards without code.
 *
 * @public
 */
export function isRequestInstance(entity: Entity): boolean {
  return Boolean(entityInstance(entity)?.namespace);
}

/**
 * A filter for entity content: entities made from a workspace (the one cluster-scoped
 * abstraction), whatever its kind is called.
 *
 * @public
 */
export function isWorkspaceInstance(entity: Entity): boolean {
  const ref = entityInstance(entity);
  return Boolean(ref && !ref.namespace);
}
