import {
  evaluateExpression,
  expressionReferences,
  findExpressions,
  isStandaloneExpression,
} from '../cel/expressions';
import { KRO_LABELS } from '../constants';
import { isPlainObject, splitApiVersion, type KubeObject } from '../kube';
import type { Abstraction, RgdResource } from '../registry/abstraction';
import { validateSpec, type SchemaProblem } from '../schema/validateSpec';

/**
 * A value KRO fills in only once the cluster has it (for example another resource's status),
 * so the offline render leaves its `${...}` text in place.
 *
 * @public
 */
export interface UnknownValue {
  /** Index of the object among the resource's objects (several for a `forEach` collection). */
  index: number;
  /** Path of the field inside the object. */
  path: Array<string | number>;
  expression: string;
}

/**
 * The objects KRO creates for one resource of an RGD, for one instance.
 *
 * @public
 */
export interface RenderedResource {
  id: string;
  /** False when `includeWhen` is false or the resource depends on one that is left out. */
  included: boolean;
  /** Why the resource is left out. */
  reason?: string;
  objects: KubeObject[];
  unknown: UnknownValue[];
}

/**
 * An instance rendered offline: its defaulted spec and the objects KRO will create, in KRO's
 * creation order.
 *
 * @public
 */
export interface RenderResult {
  instance: KubeObject;
  resources: RenderedResource[];
}

/**
 * Why an instance cannot be rendered: a spec that does not fit the schema, or an expression
 * that fails on it.
 *
 * @public
 */
export class RenderError extends Error {
  constructor(message: string, readonly problems: SchemaProblem[] = []) {
    super(message);
    this.name = 'RenderError';
  }
}

/**
 * Options of {@link renderInstance}.
 *
 * @public
 */
export interface RenderOptions {
  /** Whether a kind is namespaced; KRO puts namespaced children of a namespaced instance in its namespace. */
  isNamespaced?: (apiVersion: string, kind: string) => boolean | undefined;
}

/**
 * Renders what KRO will create for an instance, offline, with the same CEL semantics: the
 * spec is validated and defaulted from the RGD schema, resources are ordered by their
 * dependencies, `includeWhen` and `forEach` are applied, and every `${...}` whose value is
 * known before anything exists (everything from `schema`, and the templated fields of other
 * resources) is evaluated. Values only the cluster knows stay as `${...}` and are listed in
 * `unknown`. Throws {@link RenderError} on an invalid spec or a failing expression.
 *
 * @public
 */
export function renderInstance(
  abstraction: Abstraction,
  instance: KubeObject,
  options: RenderOptions = {},
): RenderResult {
  try {
    return renderChecked(abstraction, instance, options);
  } catch (e) {
    // an RGD expression that does not even parse fails every render
    if (e instanceof RenderError) throw e;
    throw new RenderError(
      `${instance.kind} ${instance.metadata?.name}: ${(e as Error).message}`,
    );
  }
}

function renderChecked(
  abstraction: Abstraction,
  instance: KubeObject,
  options: RenderOptions,
): RenderResult {
  const { spec, problems } = validateSpec(
    abstraction.specSchema,
    instance.spec,
  );
  if (problems.length) {
    throw new RenderError(
      `${instance.kind} ${instance.metadata?.name}: ${problems
        .map(p => `${p.path} ${p.message}`)
        .join('; ')}`,
      problems,
    );
  }
  const defaulted: KubeObject = { ...instance, spec };
  const schema = instanceSchemaVariable(instance, spec);
  const ids = new Set(abstraction.resources.map(r => r.id));
  const order = resourceOrder(abstraction.resources, ids);
  const variables: Record<string, unknown> = { schema };
  const rendered = new Map<string, RenderedResource>();

  for (const resource of order) {
    const excludedBy = dependencies(resource, ids).find(
      dep => !rendered.get(dep)?.included,
    );
    if (excludedBy) {
      rendered.set(resource.id, {
        id: resource.id,
        included: false,
        reason: `depends on ${excludedBy}, which is not included`,
        objects: [],
        unknown: [],
      });
      continue;
    }
    const condition = (resource.includeWhen ?? []).find(
      when => evaluateCondition(resource.id, when, variables) === false,
    );
    if (condition) {
      rendered.set(resource.id, {
        id: resource.id,
        included: false,
        reason: `includeWhen ${condition} is false`,
        objects: [],
        unknown: [],
      });
      continue;
    }
    const result = renderResource(resource, variables, ids);
    for (const object of result.objects) {
      decorate(object, resource.id, abstraction, defaulted, options);
    }
    rendered.set(resource.id, result);
    variables[resource.id] = resource.forEach
      ? result.objects
      : result.objects[0];
  }
  return {
    instance: defaulted,
    resources: abstraction.resources
      .map(r => rendered.get(r.id)!)
      .filter(Boolean),
  };
}

/**
 * The `schema` variable KRO binds in an RGD's expressions for an instance, given its defaulted
 * spec (from {@link validateSpec}). `when` conditions of the catalog overlay see the same one.
 *
 * @public
 */
export function instanceSchemaVariable(
  instance: KubeObject,
  defaultedSpec: Record<string, unknown>,
): Record<string, unknown> {
  return {
    apiVersion: instance.apiVersion,
    kind: instance.kind,
    metadata: {
      name: instance.metadata.name,
      namespace: instance.metadata.namespace ?? '',
      labels: instance.metadata.labels ?? {},
      annotations: instance.metadata.annotations ?? {},
    },
    spec: defaultedSpec,
  };
}

/** Resource ids a resource's template, includeWhen and forEach refer to (not readyWhen). */
function dependencies(resource: RgdResource, ids: Set<string>): string[] {
  const found = new Set<string>();
  const visit = (text: string) => {
    for (const { expression } of findExpressions(text)) {
      for (const [root] of expressionReferences(expression)) {
        if (ids.has(root) && root !== resource.id) found.add(root);
      }
    }
  };
  forEachString(resource.template ?? resource.externalRef ?? {}, visit);
  (resource.includeWhen ?? []).forEach(visit);
  (resource.forEach ?? []).forEach(entry =>
    Object.values(entry).forEach(visit),
  );
  return [...found];
}

/**
 * The order KRO creates resources in: every resource after those it refers to, otherwise in
 * declaration order. Throws on a cycle.
 *
 * @public
 */
export function resourceOrder(
  resources: RgdResource[],
  ids = new Set(resources.map(r => r.id)),
): RgdResource[] {
  const byId = new Map(resources.map(r => [r.id, r]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: RgdResource[] = [];
  const visit = (resource: RgdResource, chain: string[]) => {
    if (done.has(resource.id)) return;
    if (visiting.has(resource.id)) {
      throw new RenderError(
        `resources depend on each other in a cycle: ${[
          ...chain,
          resource.id,
        ].join(' -> ')}`,
      );
    }
    visiting.add(resource.id);
    for (const dep of dependencies(resource, ids))
      visit(byId.get(dep)!, [...chain, resource.id]);
    visiting.delete(resource.id);
    done.add(resource.id);
    order.push(resource);
  };
  resources.forEach(r => visit(r, []));
  return order;
}

function evaluateCondition(
  id: string,
  when: string,
  variables: Record<string, unknown>,
): boolean | undefined {
  if (!isStandaloneExpression(when)) {
    throw new RenderError(
      `resource ${id}: includeWhen "${when}" must be a single \${...} expression`,
    );
  }
  const [{ expression }] = findExpressions(when);
  let value: unknown;
  try {
    value = evaluateExpression(expression, variables);
  } catch (e) {
    throw new RenderError(
      `resource ${id}: includeWhen ${when} failed: ${(e as Error).message}`,
    );
  }
  if (typeof value !== 'boolean')
    throw new RenderError(
      `resource ${id}: includeWhen ${when} is not a boolean`,
    );
  return value;
}

function renderResource(
  resource: RgdResource,
  variables: Record<string, unknown>,
  ids: Set<string>,
): RenderedResource {
  const template =
    resource.template ?? (resource.externalRef as unknown as KubeObject);
  const iterations = forEachBindings(resource, variables);
  const objects: KubeObject[] = [];
  const unknown: UnknownValue[] = [];
  iterations.forEach((binding, index) => {
    const scope = { ...variables, ...binding };
    const object = renderValue(
      template,
      [],
      scope,
      ids,
      resource.id,
      (path, expression) => unknown.push({ index, path, expression }),
    ) as KubeObject;
    objects.push(object);
  });
  return { id: resource.id, included: true, objects, unknown };
}

function forEachBindings(
  resource: RgdResource,
  variables: Record<string, unknown>,
): Array<Record<string, unknown>> {
  let combinations: Array<Record<string, unknown>> = [{}];
  for (const entry of resource.forEach ?? []) {
    const [[name, text]] = Object.entries(entry);
    if (!isStandaloneExpression(text)) {
      throw new RenderError(
        `resource ${resource.id}: forEach ${name} must be a single \${...} expression`,
      );
    }
    let values: unknown;
    try {
      values = evaluateExpression(
        findExpressions(text)[0].expression,
        variables,
      );
    } catch (e) {
      throw new RenderError(
        `resource ${resource.id}: forEach ${name} failed: ${
          (e as Error).message
        }`,
      );
    }
    if (!Array.isArray(values))
      throw new RenderError(
        `resource ${resource.id}: forEach ${name} is not a list`,
      );
    combinations = combinations.flatMap(c =>
      values.map(v => ({ ...c, [name]: v })),
    );
  }
  return combinations;
}

function renderValue(
  value: unknown,
  path: Array<string | number>,
  variables: Record<string, unknown>,
  ids: Set<string>,
  id: string,
  onUnknown: (path: Array<string | number>, expression: string) => void,
): unknown {
  if (typeof value === 'string') {
    const expressions = findExpressions(value);
    if (!expressions.length) return value;
    const evaluate = (
      expression: string,
    ): { value?: unknown; unknown?: boolean } => {
      try {
        return { value: evaluateExpression(expression, variables) };
      } catch (e) {
        // A value read from another resource that only the cluster knows (its status, say).
        if (expressionReferences(expression).some(([root]) => ids.has(root)))
          return { unknown: true };
        throw new RenderError(
          `resource ${id}: ${path.join('.')}: \${${expression}} failed: ${
            (e as Error).message
          }`,
        );
      }
    };
    if (isStandaloneExpression(value)) {
      const result = evaluate(expressions[0].expression);
      if (result.unknown) {
        onUnknown(path, expressions[0].expression);
        return value;
      }
      return result.value;
    }
    let out = '';
    let last = 0;
    for (const { expression, start, end } of expressions) {
      const result = evaluate(expression);
      if (result.unknown) {
        onUnknown(path, expression);
        return value;
      }
      if (typeof result.value !== 'string') {
        throw new RenderError(
          `resource ${id}: ${path.join(
            '.',
          )}: \${${expression}} is ${typeof result.value} inside a string; wrap it in string()`,
        );
      }
      out += value.slice(last, start) + result.value;
      last = end;
    }
    return out + value.slice(last);
  }
  if (Array.isArray(value)) {
    return value.map((v, i) =>
      renderValue(v, [...path, i], variables, ids, id, onUnknown),
    );
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = renderValue(v, [...path, key], variables, ids, id, onUnknown);
    }
    return out;
  }
  return value;
}

/** Adds what KRO adds to every child: its labels, and the instance's namespace when it has none. */
function decorate(
  object: KubeObject,
  id: string,
  abstraction: Abstraction,
  instance: KubeObject,
  options: RenderOptions,
): void {
  if (!isPlainObject(object.metadata)) object.metadata = { name: '' };
  const { group, version } = splitApiVersion(abstraction.apiVersion);
  object.metadata.labels = {
    ...object.metadata.labels,
    [KRO_LABELS.managedBy]: 'kro',
    [KRO_LABELS.owned]: 'true',
    [KRO_LABELS.instanceName]: instance.metadata.name,
    ...(instance.metadata.namespace
      ? { [KRO_LABELS.instanceNamespace]: instance.metadata.namespace }
      : {}),
    [KRO_LABELS.instanceGroup]: group,
    [KRO_LABELS.instanceVersion]: version,
    [KRO_LABELS.instanceKind]: abstraction.kind,
    [KRO_LABELS.nodeId]: id,
    [KRO_LABELS.rgdName]: abstraction.name,
  };
  if (
    !object.metadata.namespace &&
    instance.metadata.namespace &&
    options.isNamespaced?.(object.apiVersion, object.kind)
  ) {
    object.metadata.namespace = instance.metadata.namespace;
  }
}

/**
 * Calls `visit` for every string in a JSON-like value.
 *
 * @public
 */
export function forEachString(
  value: unknown,
  visit: (text: string, path: Array<string | number>) => void,
  path: Array<string | number> = [],
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value))
    value.forEach((v, i) => forEachString(v, visit, [...path, i]));
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value))
      forEachString(v, visit, [...path, k]);
  }
}
