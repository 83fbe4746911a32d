import { parse as parseYaml } from 'yaml';
import { findExpressions, isStandaloneExpression } from '../cel/expressions';
import { OVERLAY_ANNOTATIONS } from '../constants';
import { isPlainObject, type KubeObject } from '../kube';
import { simpleSchemaToJsonSchema } from '../schema/simpleSchema';
import type { JsonSchema } from '../schema/types';

/**
 * One entry of `spec.resources` of a ResourceGraphDefinition.
 *
 * @public
 */
export interface RgdResource {
  id: string;
  template?: KubeObject;
  externalRef?: Record<string, unknown>;
  readyWhen?: string[];
  includeWhen?: string[];
  forEach?: Array<Record<string, string>>;
}

/**
 * What the overlay says about one spec field.
 *
 * @public
 */
export interface FieldOverlay {
  /** The field's value is the name of an instance of this kind in the same workspace. */
  picker?: string;
  /** The field's label in the wizard; default: its name in words (`retentionHours`: Retention hours). */
  title?: string;
}

/**
 * One catalog entity an instance of an abstraction becomes.
 *
 * @public
 */
export interface CatalogMapping {
  /** Backstage kind: Component, Resource, System, ... */
  kind: string;
  /** `spec.type` of the entity. */
  type: string;
  /** Appended to the instance name to name the entity, when one instance yields several. */
  suffix?: string;
  /** A `${...}` CEL expression over `schema`; the entity exists only when it is true. */
  when?: string;
  /**
   * Label selector of the instance's pods and other Kubernetes objects, as a string template
   * over `schema` (`app.kubernetes.io/instance=${schema.metadata.name}`). The entity then gets
   * the annotations the Kubernetes tab finds them by, in the instance's namespace.
   */
  kubernetes?: string;
}

/**
 * A platform abstraction: a KRO ResourceGraphDefinition seen by the portal, that is its schema
 * (the only list of its fields) plus its overlay.
 *
 * @public
 */
export interface Abstraction {
  /** `metadata.name` of the RGD. */
  name: string;
  kind: string;
  group: string;
  version: string;
  /** `<group>/<version>` of instances. */
  apiVersion: string;
  scope: 'Namespaced' | 'Cluster';
  /** True for the abstraction that is a workspace (its instances own namespaces). */
  isWorkspace: boolean;
  title: string;
  description?: string;
  icon: string;
  /** JSON Schema of an instance's `spec`, from the SimpleSchema. */
  specSchema: JsonSchema;
  /** `spec.schema.status`: status fields as CEL expressions (possibly nested). */
  status: Record<string, unknown>;
  resources: RgdResource[];
  fields: Record<string, FieldOverlay>;
  catalog: CatalogMapping[];
  /** Where the RGD was read from, relative to the gitops folder, when it came from a file. */
  source?: string;
  rgd: KubeObject;
}

/**
 * An RGD that cannot be used as an abstraction, with the reason.
 *
 * @public
 */
export class AbstractionError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'AbstractionError';
  }
}

const CATALOG_KINDS = ['Component', 'Resource', 'System', 'API', 'Domain'];

/** Words CEL reserves: an identifier with one of these names cannot be referenced. */
const CEL_RESERVED = [
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
  'in',
  'null',
  'true',
  'false',
];

/**
 * Reads an abstraction from a ResourceGraphDefinition object. Throws {@link AbstractionError}
 * naming the RGD and the problem when the schema or the overlay is malformed.
 *
 * @public
 */
export function abstractionFromRgd(
  rgd: KubeObject,
  options: { source?: string } = {},
): Abstraction {
  const where =
    options.source ?? `ResourceGraphDefinition ${rgd.metadata?.name ?? '?'}`;
  const fail = (message: string): never => {
    throw new AbstractionError(where, message);
  };
  if (
    rgd.apiVersion !== 'kro.run/v1alpha1' ||
    rgd.kind !== 'ResourceGraphDefinition'
  ) {
    fail(
      `expected a kro.run/v1alpha1 ResourceGraphDefinition, got ${rgd.apiVersion} ${rgd.kind}`,
    );
  }
  const schema = rgd.spec?.schema;
  if (!isPlainObject(schema)) return fail('spec.schema is missing');
  const kind = String(schema.kind ?? '');
  const version = String(schema.apiVersion ?? '');
  const group = String(schema.group ?? 'kro.run');
  if (!/^[A-Z][a-zA-Z0-9]{0,62}$/.test(kind))
    fail(`spec.schema.kind "${kind}" is not a valid kind`);
  if (!/^v[0-9]+((alpha|beta)[0-9]+)?$/.test(version)) {
    fail(
      `spec.schema.apiVersion "${version}" must be a version such as v1alpha1`,
    );
  }
  let specSchema: JsonSchema;
  try {
    specSchema = simpleSchemaToJsonSchema(
      schema.spec,
      isPlainObject(schema.types) ? schema.types : {},
    );
  } catch (e) {
    return fail(`spec.schema: ${(e as Error).message}`);
  }
  const annotations = rgd.metadata.annotations ?? {};
  const resources = Array.isArray(rgd.spec.resources)
    ? (rgd.spec.resources as RgdResource[])
    : [];
  const ids = new Set<string>();
  for (const resource of resources) {
    if (!resource?.id || !/^[a-z][a-zA-Z0-9]*$/.test(resource.id)) {
      fail(`resource id "${resource?.id}" must be lowerCamelCase`);
    }
    if (ids.has(resource.id))
      fail(`resource id "${resource.id}" is declared twice`);
    if (resource.id === 'schema' || CEL_RESERVED.includes(resource.id)) {
      fail(
        `resource id "${resource.id}" is reserved in CEL and could not be referenced; choose another id`,
      );
    }
    ids.add(resource.id);
    if (!resource.template === !resource.externalRef) {
      fail(
        `resource "${resource.id}" needs exactly one of template or externalRef`,
      );
    }
  }
  const scope = schema.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
  const isWorkspace = annotations[OVERLAY_ANNOTATIONS.workspace] === 'true';
  if (isWorkspace && scope !== 'Cluster') {
    fail(
      `${OVERLAY_ANNOTATIONS.workspace} needs spec.schema.scope: Cluster (a workspace owns a namespace)`,
    );
  }
  return {
    name: rgd.metadata.name,
    kind,
    group,
    version,
    apiVersion: `${group}/${version}`,
    scope,
    isWorkspace,
    title: annotations[OVERLAY_ANNOTATIONS.title] ?? kind,
    description: annotations[OVERLAY_ANNOTATIONS.description],
    icon: annotations[OVERLAY_ANNOTATIONS.icon] ?? 'extension',
    specSchema,
    status: isPlainObject(schema.status) ? schema.status : {},
    resources,
    fields: readFields(
      annotations[OVERLAY_ANNOTATIONS.fields],
      specSchema,
      fail,
    ),
    catalog: readCatalog(annotations[OVERLAY_ANNOTATIONS.catalog], kind, fail),
    source: options.source,
    rgd,
  };
}

function readYaml(
  text: string,
  annotation: string,
  fail: (m: string) => never,
): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    return fail(
      `annotation ${annotation} is not valid YAML: ${(e as Error).message}`,
    );
  }
}

function readFields(
  text: string | undefined,
  specSchema: JsonSchema,
  fail: (m: string) => never,
): Record<string, FieldOverlay> {
  if (!text) return {};
  const annotation = OVERLAY_ANNOTATIONS.fields;
  const value = readYaml(text, annotation, fail);
  if (!isPlainObject(value))
    return fail(`annotation ${annotation} must be a map of field paths`);
  const fields: Record<string, FieldOverlay> = {};
  for (const [path, options] of Object.entries(value)) {
    if (!fieldSchema(specSchema, path))
      fail(`annotation ${annotation}: spec has no field "${path}"`);
    if (!isPlainObject(options))
      fail(`annotation ${annotation}: options of "${path}" must be a map`);
    const { picker, title, ...rest } = options as Record<string, unknown>;
    if (Object.keys(rest).length) {
      fail(
        `annotation ${annotation}: unknown option "${
          Object.keys(rest)[0]
        }" on "${path}"`,
      );
    }
    if (
      picker !== undefined &&
      (typeof picker !== 'string' || !/^[A-Z]\w*$/.test(picker))
    ) {
      fail(`annotation ${annotation}: picker of "${path}" must be a kind`);
    }
    if (title !== undefined && (typeof title !== 'string' || !title.trim())) {
      fail(`annotation ${annotation}: title of "${path}" must be a text`);
    }
    fields[path] = {
      ...(picker ? { picker: picker as string } : {}),
      ...(title ? { title: title as string } : {}),
    };
  }
  return fields;
}

function readCatalog(
  text: string | undefined,
  kind: string,
  fail: (m: string) => never,
): CatalogMapping[] {
  if (!text) return [{ kind: 'Resource', type: kind.toLowerCase() }];
  const annotation = OVERLAY_ANNOTATIONS.catalog;
  const value = readYaml(text, annotation, fail);
  if (!Array.isArray(value) || value.length === 0) {
    return fail(
      `annotation ${annotation} must be a non-empty list of {kind, type}`,
    );
  }
  return value.map((entry, i) => {
    if (!isPlainObject(entry))
      return fail(`annotation ${annotation}[${i}] must be a map`);
    const { kind: entityKind, type, suffix, when, kubernetes, ...rest } = entry;
    if (Object.keys(rest).length)
      fail(
        `annotation ${annotation}[${i}]: unknown key "${Object.keys(rest)[0]}"`,
      );
    if (typeof entityKind !== 'string' || !CATALOG_KINDS.includes(entityKind)) {
      fail(
        `annotation ${annotation}[${i}]: kind must be one of ${CATALOG_KINDS.join(
          ', ',
        )}`,
      );
    }
    if (typeof type !== 'string' || !/^[a-z][a-z0-9-]*$/.test(type)) {
      fail(`annotation ${annotation}[${i}]: type must be a lower-case word`);
    }
    if (
      suffix !== undefined &&
      (typeof suffix !== 'string' || !/^-[a-z0-9-]+$/.test(suffix))
    ) {
      fail(`annotation ${annotation}[${i}]: suffix must look like "-db"`);
    }
    if (
      when !== undefined &&
      !(typeof when === 'string' && parsesAs(when, isStandaloneExpression))
    ) {
      fail(
        `annotation ${annotation}[${i}]: when must be a single \${...} expression`,
      );
    }
    if (
      kubernetes !== undefined &&
      !(
        typeof kubernetes === 'string' &&
        kubernetes.trim() !== '' &&
        parsesAs(kubernetes, selector => findExpressions(selector) !== undefined)
      )
    ) {
      fail(
        `annotation ${annotation}[${i}]: kubernetes must be a label selector such as "app.kubernetes.io/instance=\${schema.metadata.name}"`,
      );
    }
    return {
      kind: entityKind,
      type,
      suffix,
      when,
      kubernetes,
    } as CatalogMapping;
  });
}

/** Whether a template string's `${...}` expressions are terminated and `check` holds. */
function parsesAs(text: string, check: (text: string) => boolean): boolean {
  try {
    return check(text);
  } catch {
    return false;
  }
}

/**
 * The JSON Schema of a spec field given by a dotted path (`database.instances`), or undefined.
 *
 * @public
 */
export function fieldSchema(
  specSchema: JsonSchema,
  path: string,
): JsonSchema | undefined {
  let current: JsonSchema | undefined = specSchema;
  for (const part of path.split('.')) {
    current = current?.properties?.[part];
    if (!current) return undefined;
  }
  return current;
}
