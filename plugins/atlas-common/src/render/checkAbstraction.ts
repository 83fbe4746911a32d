import {
  expressionReferences,
  findExpressions,
  isStandaloneExpression,
  parseExpression,
  type ReferencePath,
} from '../cel/expressions';
import { isPlainObject } from '../kube';
import type { Abstraction } from '../registry/abstraction';
import type { JsonSchema } from '../schema/types';
import { forEachString, resourceOrder } from './render';

/**
 * A defect in an abstraction's RGD found without a cluster.
 *
 * @public
 */
export interface AbstractionProblem {
  /** Where in the RGD: `resources[deployment].template.spec.replicas`, `status.url`, ... */
  location: string;
  message: string;
}

const METADATA_FIELDS = [
  'name',
  'namespace',
  'labels',
  'annotations',
  'uid',
  'generation',
];

/**
 * Checks every KRO expression of an abstraction: each `${...}` parses as CEL, and refers only
 * to declared schema fields (`schema.spec...`, `schema.metadata.name|namespace|...`), declared
 * resource ids and `forEach` variables; `readyWhen` refers only to its own resource;
 * `includeWhen`/`readyWhen`/`forEach` entries are single expressions; the resources do not
 * depend on each other in a cycle; the overlay's `when` conditions refer only to `schema`.
 *
 * @public
 */
export function checkAbstraction(
  abstraction: Abstraction,
): AbstractionProblem[] {
  const problems: AbstractionProblem[] = [];
  const ids = new Set(abstraction.resources.map(r => r.id));
  const spec = abstraction.specSchema;

  const check = (
    text: string,
    location: string,
    allowed: (root: string) => boolean,
    standalone = false,
  ) => {
    let expressions;
    try {
      expressions = findExpressions(text);
    } catch (e) {
      problems.push({ location, message: (e as Error).message });
      return;
    }
    if (standalone && !isStandaloneExpression(text)) {
      problems.push({
        location,
        message: `"${text}" must be a single \${...} expression`,
      });
    }
    for (const { expression } of expressions) {
      let references: ReferencePath[];
      try {
        parseExpression(expression);
        references = expressionReferences(expression);
      } catch (e) {
        problems.push({ location, message: (e as Error).message });
        continue;
      }
      for (const reference of references) {
        const message = referenceProblem(reference, spec, ids, allowed);
        if (message)
          problems.push({ location, message: `\${${expression}}: ${message}` });
      }
    }
  };

  for (const resource of abstraction.resources) {
    const at = `resources[${resource.id}]`;
    const loopVars = new Set(
      (resource.forEach ?? []).flatMap(entry => Object.keys(entry)),
    );
    const inTemplate = (root: string) =>
      root === 'schema' || ids.has(root) || loopVars.has(root);
    forEachString(
      resource.template ?? resource.externalRef ?? {},
      (text, path) =>
        check(
          text,
          `${at}.${resource.template ? 'template' : 'externalRef'}.${path.join(
            '.',
          )}`,
          inTemplate,
        ),
    );
    (resource.includeWhen ?? []).forEach((text, i) =>
      check(
        text,
        `${at}.includeWhen[${i}]`,
        root => root === 'schema' || (ids.has(root) && root !== resource.id),
        true,
      ),
    );
    (resource.readyWhen ?? []).forEach((text, i) =>
      check(
        text,
        `${at}.readyWhen[${i}]`,
        root => root === resource.id || (!!resource.forEach && root === 'each'),
        true,
      ),
    );
    (resource.forEach ?? []).forEach((entry, i) => {
      if (Object.keys(entry).length !== 1) {
        problems.push({
          location: `${at}.forEach[${i}]`,
          message: 'each forEach entry must have exactly one variable',
        });
      }
      Object.values(entry).forEach(text =>
        check(
          text,
          `${at}.forEach[${i}]`,
          root => root === 'schema' || (ids.has(root) && root !== resource.id),
          true,
        ),
      );
    });
  }
  forEachString(abstraction.status, (text, path) =>
    check(
      text,
      `status.${path.join('.')}`,
      root => root === 'schema' || ids.has(root),
    ),
  );
  abstraction.catalog.forEach((mapping, i) => {
    if (mapping.when)
      check(
        mapping.when,
        `overlay catalog[${i}].when`,
        root => root === 'schema',
        true,
      );
  });
  try {
    resourceOrder(abstraction.resources, ids);
  } catch (e) {
    problems.push({ location: 'resources', message: (e as Error).message });
  }
  return problems;
}

function referenceProblem(
  [root, ...fields]: ReferencePath,
  spec: JsonSchema,
  ids: Set<string>,
  allowed: (root: string) => boolean,
): string | undefined {
  if (!allowed(root)) {
    if (root === 'schema' || ids.has(root))
      return `${root} may not be referenced here`;
    return `unknown identifier "${root}" (not schema, a resource id or a forEach variable)`;
  }
  if (root !== 'schema') return undefined;
  const [section, ...rest] = fields;
  if (section === 'metadata') {
    return !rest.length || METADATA_FIELDS.includes(rest[0])
      ? undefined
      : `schema.metadata.${rest[0]} is not available to expressions`;
  }
  if (section !== 'spec')
    return `schema.${
      section ?? ''
    } is not available to expressions (use schema.spec or schema.metadata)`;
  let node: JsonSchema | undefined = spec;
  const walked = ['schema', 'spec'];
  for (const field of rest) {
    if (
      !node ||
      !isPlainObject(node.properties) ||
      node['x-kubernetes-preserve-unknown-fields']
    )
      return undefined;
    walked.push(field);
    node = node.properties[field];
    if (!node)
      return `${walked.join('.')} is not a declared field of the schema`;
  }
  return undefined;
}
