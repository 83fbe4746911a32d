import { InputError } from '@backstage/errors';
import { evaluateExpression, findExpressions } from '../cel/expressions';
import { ATLAS_LABELS } from '../constants';
import type { KubeObject } from '../kube';
import { MAX_NAME_LENGTH } from '../names/names';
import type { Abstraction, CatalogMapping } from '../registry/abstraction';
import { instanceSchemaVariable } from '../render/render';
import { validateSpec } from '../schema/validateSpec';
import type { InstanceRef } from '../status';

/**
 * Annotations on the catalog entities Mini-Atlas makes from instances. The catalog provider
 * writes them; the status views and the wizards read them to go from an entity back to its
 * instance and its file.
 *
 * @public
 */
export const ATLAS_ENTITY_ANNOTATIONS = {
  /**
   * The instance the entity was made from, as {@link stringifyInstanceRef} writes it:
   * `<group>/<version>/<Kind>/<namespace>/<name>`, or `<group>/<version>/<Kind>/<name>` for a
   * cluster-scoped instance (a workspace).
   */
  instance: 'mini-atlas.io/instance',
  /** The instance's file, relative to the repository root (`gitops/workspaces/team-a/topic-orders.yaml`). */
  sourceFile: 'mini-atlas.io/source-file',
} as const;

/**
 * Labels on the catalog entities Mini-Atlas makes from instances, so that the catalog can be
 * filtered by them (`metadata.labels.mini-atlas.io/workspace=team-a`).
 *
 * @public
 */
export const ATLAS_ENTITY_LABELS = {
  /** The workspace the instance belongs to (for a workspace, its own name). */
  workspace: ATLAS_LABELS.workspace,
  /** The owner Group's name, as on the instance. */
  owner: ATLAS_LABELS.owner,
} as const;

/**
 * Tags the catalog provider puts on entities that need a platform engineer's attention. Tags
 * show in the catalog table and its Tags filter, and filter the API
 * (`filter=metadata.tags=owner-unknown`).
 *
 * @public
 */
export const ATLAS_ENTITY_TAGS = {
  /** The owner Group is not in the catalog: the ownership link points nowhere. */
  ownerUnknown: 'owner-unknown',
} as const;

/**
 * What identifies an instance in Git and in the cluster: the part of the status API's
 * {@link InstanceRef} that the `mini-atlas.io/instance` annotation carries.
 *
 * @public
 */
export type InstanceObjectRef = Pick<
  InstanceRef,
  'apiVersion' | 'kind' | 'namespace' | 'name'
>;

/**
 * Writes an instance reference as the value of the `mini-atlas.io/instance` annotation.
 *
 * @public
 */
export function stringifyInstanceRef(ref: InstanceObjectRef): string {
  return [ref.apiVersion, ref.kind, ref.namespace, ref.name]
    .filter(Boolean)
    .join('/');
}

/**
 * Reads the value of the `mini-atlas.io/instance` annotation. Throws `InputError` when it is
 * not `<group>/<version>/<Kind>/[<namespace>/]<name>`.
 *
 * @public
 */
export function parseInstanceRef(text: string): InstanceObjectRef {
  const parts = text.split('/');
  if ((parts.length === 4 || parts.length === 5) && parts.every(Boolean)) {
    const [group, version, kind, ...rest] = parts;
    return {
      apiVersion: `${group}/${version}`,
      kind,
      ...(rest.length === 2 ? { namespace: rest[0] } : {}),
      name: rest[rest.length - 1],
    };
  }
  throw new InputError(
    `${JSON.stringify(
      text,
    )} is not an instance reference of the form <group>/<version>/<Kind>/[<namespace>/]<name>`,
  );
}

/**
 * The reference of a Mini-Atlas instance object.
 *
 * @public
 */
export function instanceRefOf(object: KubeObject): InstanceObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(object.metadata.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    name: object.metadata.name,
  };
}

/** 32-bit FNV-1a, as 8 hex digits: short, stable and the same in the browser and in Node. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The catalog entity name of an instance's entity: the instance's name plus the mapping's
 * suffix (`team-a-data` + `-db`). A catalog name has at most 63 characters; a longer one is cut
 * and made unique again with a hash of the whole name, keeping the suffix.
 *
 * @public
 */
export function catalogEntityName(objectName: string, suffix = ''): string {
  const full = `${objectName}${suffix}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  const hash = shortHash(full);
  const keep = MAX_NAME_LENGTH - suffix.length - hash.length - 1;
  return `${objectName.slice(0, keep).replace(/[-_.]+$/, '')}-${hash}${suffix}`;
}

/**
 * The entity reference (`component:default/team-a-web`) of a Mini-Atlas entity: every one
 * lives in the `default` namespace, like the Groups that own them.
 *
 * @public
 */
export function catalogEntityRef(kind: string, name: string): string {
  return `${kind.toLocaleLowerCase('en-US')}:default/${name}`;
}

/**
 * One catalog entity an instance becomes, from one entry of its abstraction's catalog overlay.
 *
 * @public
 */
export interface InstanceEntity {
  kind: string;
  type: string;
  name: string;
  /** `kind:default/name`, lower-case kind. */
  ref: string;
  mapping: CatalogMapping;
  /** The rendered label selector of the Kubernetes tab, when the mapping declares one. */
  kubernetesSelector?: string;
}

/**
 * Renders a string template's `${...}` expressions (which must yield strings or numbers).
 */
function renderTemplate(
  text: string,
  variables: Record<string, unknown>,
): string {
  let out = '';
  let last = 0;
  for (const { expression, start, end } of findExpressions(text)) {
    const value = evaluateExpression(expression, variables);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`\${${expression}} is ${typeof value}, not a string`);
    }
    out += text.slice(last, start) + String(value);
    last = end;
  }
  return out + text.slice(last);
}

/**
 * The catalog entities an instance becomes, in the order of its abstraction's catalog overlay
 * (the first one is the instance's main entity, which wizards link to and pickers point at).
 * `when` conditions and Kubernetes selectors are evaluated against the instance with its
 * schema's defaults applied, as KRO sees it. A `when` that fails leaves its entity out, a
 * selector that fails leaves the entity without one; `problems` says why.
 *
 * @public
 */
export function instanceCatalogEntities(
  abstraction: Abstraction,
  instance: KubeObject,
): { entities: InstanceEntity[]; problems: string[] } {
  const entities: InstanceEntity[] = [];
  const problems: string[] = [];
  let variables: Record<string, unknown> | undefined;
  const scope = () => {
    variables ??= {
      schema: instanceSchemaVariable(
        instance,
        validateSpec(abstraction.specSchema, instance.spec).spec,
      ),
    };
    return variables;
  };
  for (const mapping of abstraction.catalog) {
    const name = catalogEntityName(instance.metadata.name, mapping.suffix);
    const problem = (e: unknown) =>
      problems.push(
        `${mapping.kind} ${name}: the catalog overlay of ${
          abstraction.kind
        } cannot be applied: ${(e as Error).message}`,
      );
    if (mapping.when) {
      try {
        const [{ expression }] = findExpressions(mapping.when);
        const value = evaluateExpression(expression, scope());
        if (typeof value !== 'boolean')
          throw new Error(`${mapping.when} is ${typeof value}, not a boolean`);
        if (!value) continue;
      } catch (e) {
        problem(e);
        continue;
      }
    }
    const entity: InstanceEntity = {
      kind: mapping.kind,
      type: mapping.type,
      name,
      ref: catalogEntityRef(mapping.kind, name),
      mapping,
    };
    if (mapping.kubernetes) {
      try {
        entity.kubernetesSelector = renderTemplate(mapping.kubernetes, scope());
      } catch (e) {
        problem(e);
      }
    }
    entities.push(entity);
  }
  return { entities, problems };
}
