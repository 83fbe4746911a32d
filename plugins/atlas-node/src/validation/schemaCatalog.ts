import fs from 'node:fs/promises';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import {
  createAjv,
  describeAjvErrors,
  isPlainObject,
  splitApiVersion,
  type Abstraction,
  type JsonSchema,
  type KubeObject,
  type SchemaProblem,
} from '@mini-atlas/plugin-atlas-common';
import type { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

/**
 * How one kind is validated, and whether it is namespaced.
 *
 * @public
 */
export interface KindSchema {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  /** Where the schema comes from: a CRD file, `kubernetes`, or an RGD. */
  origin: string;
  validate(object: KubeObject): SchemaProblem[];
}

/**
 * Core Kubernetes kinds that are cluster-scoped (everything else in the core API groups we
 * validate is namespaced).
 */
const CLUSTER_SCOPED_CORE_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
  'CustomResourceDefinition',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'IngressClass',
  'APIService',
]);

/**
 * Converts a CRD's `openAPIV3Schema` into a JSON Schema that validates the way the API server
 * does with strict field validation: objects with declared properties reject unknown fields
 * unless they preserve them, `x-kubernetes-int-or-string` accepts both, `nullable` accepts null.
 *
 * @public
 */
export function strictCrdSchema(
  schema: JsonSchema,
  inBranch = false,
): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (schema.nullable === true && typeof schema.type === 'string')
    out.type = [schema.type, 'null'];
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [
        k,
        strictCrdSchema(v),
      ]),
    );
    // Branches of allOf/anyOf/oneOf only constrain fields their parent declares: closing them
    // would reject the parent's other fields.
    if (
      !inBranch &&
      !schema['x-kubernetes-preserve-unknown-fields'] &&
      schema.additionalProperties === undefined
    ) {
      out.additionalProperties = false;
    }
  }
  if (isPlainObject(schema.additionalProperties)) {
    out.additionalProperties = strictCrdSchema(
      schema.additionalProperties as JsonSchema,
    );
  }
  if (schema.items) out.items = strictCrdSchema(schema.items);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) {
      out[key] = (schema[key] as JsonSchema[]).map(branch =>
        strictCrdSchema(branch, true),
      );
    }
  }
  if (isPlainObject(schema.not))
    out.not = strictCrdSchema(schema.not as JsonSchema, true);
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  return out;
}

type AttributeType = {
  name: string;
  baseName: string;
  type: string;
  format: string;
};
type ModelClass = { getAttributeTypeMap(): AttributeType[] };

function clientModel(type: string): ModelClass | undefined {
  const model = (k8s as unknown as Record<string, unknown>)[type] as
    | ModelClass
    | undefined;
  return model && typeof model.getAttributeTypeMap === 'function'
    ? model
    : undefined;
}

/**
 * Lists fields the Kubernetes API does not know, walking an object with the type maps of
 * `@kubernetes/client-node`'s generated models (the API server rejects those with strict field
 * validation; the JSON Schemas of `kubernetes-models` do not).
 */
function unknownCoreFields(
  value: unknown,
  type: string,
  at: string,
  out: SchemaProblem[],
): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value))
      value.forEach((v, i) =>
        unknownCoreFields(v, array[1], `${at}[${i}]`, out),
      );
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value))
        unknownCoreFields(v, map[1], `${at}.${k}`, out);
    }
    return;
  }
  const model = clientModel(type);
  if (!model || !isPlainObject(value)) return;
  const attributes = new Map(
    model.getAttributeTypeMap().map(a => [a.baseName, a.type]),
  );
  for (const [key, child] of Object.entries(value)) {
    const childType = attributes.get(key);
    if (!childType)
      out.push({
        path: at ? `${at}.${key}` : key,
        message: 'is not a known field',
      });
    else unknownCoreFields(child, childType, at ? `${at}.${key}` : key, out);
  }
}

const CORE_GROUPS = ['', 'apps', 'batch', 'autoscaling', 'policy'];

function isCoreGroup(group: string): boolean {
  return CORE_GROUPS.includes(group) || group.endsWith('.k8s.io');
}

/**
 * Whether a kind of the core Kubernetes API is namespaced (undefined for kinds of other API
 * groups, which only the cluster's discovery or their CRD can tell).
 *
 * @public
 */
export function coreKindNamespaced(
  apiVersion: string,
  kind: string,
): boolean | undefined {
  return isCoreGroup(splitApiVersion(apiVersion).group)
    ? !CLUSTER_SCOPED_CORE_KINDS.has(kind)
    : undefined;
}

function coreModulePath(apiVersion: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return group ? `${group}/${version}` : version;
}

function coreKindSchema(
  apiVersion: string,
  kind: string,
): KindSchema | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  if (!isCoreGroup(group)) return undefined;
  let Model: { new (data: unknown): { validate(): void } } | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = require(`kubernetes-models/${coreModulePath(apiVersion)}/${kind}`)[
      kind
    ];
  } catch {
    return undefined;
  }
  const typeName = `${version.charAt(0).toUpperCase()}${version.slice(
    1,
  )}${kind}`;
  return {
    apiVersion,
    kind,
    namespaced: coreKindNamespaced(apiVersion, kind)!,
    origin: 'kubernetes',
    validate(object) {
      const problems: SchemaProblem[] = [];
      try {
        new Model!(object).validate();
      } catch (e) {
        problems.push(
          ...describeAjvErrors((e as { errors?: any[] }).errors ?? [], ''),
        );
        if (!(e as { errors?: any[] }).errors)
          problems.push({ path: '', message: (e as Error).message });
      }
      unknownCoreFields(object, typeName, '', problems);
      return problems;
    },
  };
}

const metadataSchema: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      maxLength: 253,
      pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
    },
    namespace: {
      type: 'string',
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      maxLength: 63,
    },
    labels: {
      type: 'object',
      additionalProperties: { type: 'string', maxLength: 63 },
    },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

function customKindSchema(
  apiVersion: string,
  kind: string,
  namespaced: boolean,
  origin: string,
  compile: () => ValidateFunction,
): KindSchema {
  let validator: ValidateFunction | undefined;
  return {
    apiVersion,
    kind,
    namespaced,
    origin,
    validate(object) {
      // compiled on first use: most CRD versions loaded are never needed
      validator ??= compile();
      const copy = structuredClone(object);
      const problems = validator(copy)
        ? []
        : describeAjvErrors(validator.errors, '');
      unknownCoreFields(object.metadata, 'V1ObjectMeta', 'metadata', problems);
      return problems;
    },
  };
}

/**
 * The schemas Mini-Atlas validates manifests with: the upstream CRDs (from the shared CRD
 * folder), the core Kubernetes API (`kubernetes-models` plus the field lists of
 * `@kubernetes/client-node`), and the kinds KRO generates from our RGDs.
 *
 * @public
 */
export class SchemaCatalog {
  private readonly kinds = new Map<string, KindSchema>();
  private readonly ajv = createAjv({ useDefaults: true });

  /** Loads every CRD (`*.yaml`, any depth) from a folder. */
  static async load(options: {
    crdsDir: string;
    abstractions?: Abstraction[];
  }): Promise<SchemaCatalog> {
    const catalog = new SchemaCatalog();
    await catalog.addCrdFolder(options.crdsDir);
    for (const abstraction of options.abstractions ?? [])
      catalog.addAbstraction(abstraction);
    return catalog;
  }

  private key(apiVersion: string, kind: string) {
    return `${apiVersion}/${kind}`;
  }

  /** The CRD files loaded, relative to the folder. */
  readonly crdFiles: string[] = [];

  async addCrdFolder(dir: string): Promise<void> {
    const entries = await fs.readdir(dir, {
      withFileTypes: true,
      recursive: true,
    });
    for (const entry of entries) {
      if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
      const file = path.join(
        entry.parentPath ?? (entry as any).path,
        entry.name,
      );
      for (const doc of parseAllDocuments(await fs.readFile(file, 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind === 'CustomResourceDefinition') {
          this.addCrd(crd, path.relative(dir, file));
          this.crdFiles.push(path.relative(dir, file));
        }
      }
    }
  }

  /** Adds every served version of a CustomResourceDefinition. */
  addCrd(crd: KubeObject, origin: string): void {
    const { group, names, scope, versions } = crd.spec;
    for (const version of versions ?? []) {
      if (version.served === false) continue;
      const source = version.schema?.openAPIV3Schema ?? { type: 'object' };
      const apiVersion = `${group}/${version.name}`;
      const compile = () => {
        const root = strictCrdSchema(source);
        root.properties = { ...root.properties, metadata: metadataSchema };
        root.required = [
          ...new Set([
            ...(root.required ?? []),
            'apiVersion',
            'kind',
            'metadata',
          ]),
        ];
        return this.ajv.compile(root);
      };
      this.kinds.set(
        this.key(apiVersion, names.kind),
        customKindSchema(
          apiVersion,
          names.kind,
          scope === 'Namespaced',
          origin,
          compile,
        ),
      );
    }
  }

  /**
   * A catalog with these abstractions' kinds on top of this one's CRDs and core kinds, which it
   * shares (compiled schemas included) without changing this one.
   */
  withAbstractions(abstractions: Abstraction[]): SchemaCatalog {
    const view = new SchemaCatalog();
    this.kinds.forEach((schema, key) => view.kinds.set(key, schema));
    view.crdFiles.push(...this.crdFiles);
    abstractions.forEach(a => view.addAbstraction(a));
    return view;
  }

  /** Adds the kind KRO generates from an abstraction's RGD. */
  addAbstraction(abstraction: Abstraction): void {
    const root: JsonSchema = {
      type: 'object',
      required: ['apiVersion', 'kind', 'metadata'],
      additionalProperties: false,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: metadataSchema,
        spec: abstraction.specSchema,
        status: { type: 'object' },
      },
    };
    this.kinds.set(
      this.key(abstraction.apiVersion, abstraction.kind),
      customKindSchema(
        abstraction.apiVersion,
        abstraction.kind,
        abstraction.scope === 'Namespaced',
        abstraction.source ?? `ResourceGraphDefinition ${abstraction.name}`,
        () => this.ajv.compile(root),
      ),
    );
  }

  /** The schema of a kind, or undefined when neither a CRD, core Kubernetes nor an RGD defines it. */
  get(apiVersion: string, kind: string): KindSchema | undefined {
    const key = this.key(apiVersion, kind);
    if (!this.kinds.has(key)) {
      const core = coreKindSchema(apiVersion, kind);
      if (core) this.kinds.set(key, core);
    }
    return this.kinds.get(key);
  }

  /** Whether a kind is namespaced, when known. */
  isNamespaced = (apiVersion: string, kind: string): boolean | undefined =>
    this.get(apiVersion, kind)?.namespaced;

  /** Validates one object; an unknown apiVersion/kind is itself a problem. */
  validate(object: KubeObject): SchemaProblem[] {
    if (
      !isPlainObject(object) ||
      typeof object.apiVersion !== 'string' ||
      typeof object.kind !== 'string'
    ) {
      return [
        {
          path: '',
          message:
            'is not a Kubernetes object (apiVersion and kind are required)',
        },
      ];
    }
    const schema = this.get(object.apiVersion, object.kind);
    if (!schema) {
      return [
        {
          path: '',
          message: `no schema for ${object.apiVersion} ${object.kind} (not a known CRD version or core kind)`,
        },
      ];
    }
    return schema.validate(object);
  }
}
