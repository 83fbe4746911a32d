import {
  buildInstance,
  isPlainObject,
  type Abstraction,
  type JsonSchema,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';

const SAMPLE_STRINGS = [
  'sample',
  'sample.example.com',
  'sample:1',
  '1Gi',
  '100m',
  '1',
  'a',
];

function sampleValue(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return undefined;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'string': {
      const pattern = schema.pattern
        ? new RegExp(schema.pattern, 'u')
        : undefined;
      return SAMPLE_STRINGS.find(s => !pattern || pattern.test(s)) ?? 'sample';
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return schema.properties ? requiredValues(schema) : {};
    default:
      return 'sample';
  }
}

function requiredValues(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of schema.required ?? []) {
    const value = sampleValue(schema.properties?.[name] ?? {});
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function booleanPaths(
  schema: JsonSchema,
  prefix: string[] = [],
): Array<{ path: string[]; value: boolean }> {
  const out: Array<{ path: string[]; value: boolean }> = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    if (child.type === 'boolean' && typeof child.default === 'boolean') {
      out.push({ path: [...prefix, name], value: !child.default });
    } else if (child.type === 'object' && child.properties) {
      out.push(...booleanPaths(child, [...prefix, name]));
    }
  }
  return out;
}

function setPath(
  target: Record<string, unknown>,
  path: string[],
  value: unknown,
): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * Sample instances that exercise an abstraction's RGD offline: one with only the required
 * fields (so every default is used), and one per boolean field with its default flipped (so
 * every `includeWhen` branch is rendered).
 *
 * @public
 */
export function sampleInstances(
  abstraction: Abstraction,
): Array<{ label: string; instance: KubeObject }> {
  const workspace = 'sample';
  const base = requiredValues(abstraction.specSchema);
  const make = (spec: Record<string, unknown>) =>
    buildInstance(abstraction, {
      workspace,
      name: 'sample',
      owner: 'sample-team',
      spec,
    });
  const samples = [{ label: 'sample with defaults', instance: make(base) }];
  for (const { path, value } of booleanPaths(abstraction.specSchema)) {
    const spec = structuredClone(base);
    setPath(spec, path, value);
    samples.push({
      label: `sample with ${path.join('.')}=${value}`,
      instance: make(spec),
    });
  }
  return samples;
}
