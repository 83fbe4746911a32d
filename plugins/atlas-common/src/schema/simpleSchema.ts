import { RE2JS } from '@bufbuild/re2';
import type { JsonSchema } from './types';

/** A parsed `type | marker=value ...` field definition. @public */
export interface SimpleField {
  type: string;
  markers: Record<string, string>;
}

/**
 * Parses one SimpleSchema field string such as
 * `integer | default=3 minimum=1 description="How many"`.
 *
 * @public
 */
export function parseSimpleField(definition: string): SimpleField {
  const bar = definition.indexOf('|');
  const type = (bar === -1 ? definition : definition.slice(0, bar)).trim();
  const markers: Record<string, string> = {};
  if (bar !== -1) {
    const text = definition.slice(bar + 1);
    let i = 0;
    while (i < text.length) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (i >= text.length) break;
      const eq = text.indexOf('=', i);
      if (eq === -1) {
        throw new Error(`marker "${text.slice(i).trim()}" has no value`);
      }
      const key = text.slice(i, eq).trim();
      if (!/^[a-zA-Z]+$/.test(key)) {
        throw new Error(`invalid marker name "${key}"`);
      }
      const [value, next] = readMarkerValue(text, eq + 1);
      markers[key] = value;
      i = next;
    }
  }
  if (!type) {
    throw new Error(`field definition "${definition}" has no type`);
  }
  return { type, markers };
}

/** Reads a marker value: a quoted string, a bracketed JSON value, or a bare word. */
function readMarkerValue(text: string, start: number): [string, number] {
  const first = text[start];
  if (first === '"') {
    let value = '';
    let i = start + 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) {
        value += text[i + 1];
        i += 2;
      } else {
        value += text[i++];
      }
    }
    if (i >= text.length) throw new Error('unterminated quoted marker value');
    return [value, i + 1];
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return [text.slice(start, i + 1), i + 1];
      }
    }
    throw new Error('unbalanced brackets in marker value');
  }
  let end = start;
  while (end < text.length && !/\s/.test(text[end])) end++;
  return [text.slice(start, end), end];
}

const SCALARS: Record<string, JsonSchema> = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  boolean: { type: 'boolean' },
  float: { type: 'number' },
  number: { type: 'number' },
};

const KNOWN_MARKERS = new Set([
  'required',
  'default',
  'description',
  'minimum',
  'maximum',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'immutable',
  'validation',
  'listType',
  'listMapKey',
]);

function asFieldMap(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${path}: expected a map of fields`);
  }
  return value as Record<string, unknown>;
}

class Converter {
  private readonly resolving = new Set<string>();

  constructor(private readonly types: Record<string, unknown>) {}

  fields(map: Record<string, unknown>, path: string): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [name, definition] of Object.entries(map)) {
      const fieldPath = `${path}.${name}`;
      if (typeof definition === 'string') {
        const { schema, isRequired } = this.field(definition, fieldPath);
        properties[name] = schema;
        if (isRequired) required.push(name);
      } else {
        properties[name] = this.fields(
          asFieldMap(definition, fieldPath),
          fieldPath,
        );
      }
    }
    const schema: JsonSchema = {
      type: 'object',
      properties,
      additionalProperties: false,
    };
    if (required.length) schema.required = required;
    // Like KRO, an object whose fields have defaults defaults to {} so those defaults apply.
    if (!required.length && Object.values(properties).some(hasDefaults)) {
      schema.default = {};
    }
    return schema;
  }

  field(
    definition: string,
    path: string,
  ): { schema: JsonSchema; isRequired: boolean } {
    let parsed: SimpleField;
    try {
      parsed = parseSimpleField(definition);
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`);
    }
    const { type, markers } = parsed;
    for (const key of Object.keys(markers)) {
      if (!KNOWN_MARKERS.has(key))
        throw new Error(`${path}: unknown marker "${key}"`);
    }
    const schema = { ...this.type(type, path) };
    const number = (key: string) => {
      const n = Number(markers[key]);
      if (!Number.isFinite(n))
        throw new Error(`${path}: marker ${key} is not a number`);
      return n;
    };
    if (markers.description !== undefined)
      schema.description = markers.description;
    if (markers.minimum !== undefined) schema.minimum = number('minimum');
    if (markers.maximum !== undefined) schema.maximum = number('maximum');
    if (markers.minLength !== undefined) schema.minLength = number('minLength');
    if (markers.maxLength !== undefined) schema.maxLength = number('maxLength');
    if (markers.minItems !== undefined) schema.minItems = number('minItems');
    if (markers.maxItems !== undefined) schema.maxItems = number('maxItems');
    if (markers.uniqueItems === 'true') schema.uniqueItems = true;
    if (markers.pattern !== undefined) {
      try {
        RE2JS.compile(markers.pattern);
      } catch {
        throw new Error(
          `${path}: pattern "${markers.pattern}" is not a valid regular expression`,
        );
      }
      schema.pattern = markers.pattern;
    }
    if (markers.enum !== undefined) {
      schema.enum = markers.enum
        .split(',')
        .map(v => this.literal(v.trim(), schema, path));
    }
    if (markers.default !== undefined) {
      schema.default = this.literal(markers.default, schema, path);
    }
    if (markers.immutable === 'true') schema['x-kubernetes-immutable'] = true;
    if (markers.validation !== undefined) {
      schema['x-kubernetes-validations'] = [{ rule: markers.validation }];
    }
    return { schema, isRequired: markers.required === 'true' };
  }

  type(type: string, path: string): JsonSchema {
    if (SCALARS[type]) return SCALARS[type];
    if (type === 'object') {
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    if (type.startsWith('[]')) {
      return { type: 'array', items: this.type(type.slice(2), path) };
    }
    const map = /^map\[string\](.+)$/.exec(type);
    if (map) {
      return { type: 'object', additionalProperties: this.type(map[1], path) };
    }
    if (Object.prototype.hasOwnProperty.call(this.types, type)) {
      if (this.resolving.has(type))
        throw new Error(`${path}: type ${type} refers to itself`);
      this.resolving.add(type);
      try {
        const custom = this.types[type];
        return typeof custom === 'string'
          ? this.field(custom, path).schema
          : this.fields(asFieldMap(custom, path), path);
      } finally {
        this.resolving.delete(type);
      }
    }
    throw new Error(`${path}: unknown type "${type}"`);
  }

  literal(raw: string, schema: JsonSchema, path: string): unknown {
    const type = schema.type;
    if (type === 'string') return raw;
    if (type === 'integer' || type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) {
        throw new Error(`${path}: "${raw}" is not a valid ${type}`);
      }
      return n;
    }
    if (type === 'boolean') {
      if (raw !== 'true' && raw !== 'false')
        throw new Error(`${path}: "${raw}" is not a boolean`);
      return raw === 'true';
    }
    try {
      return JSON.parse(raw);
    } catch {
      throw new Error(`${path}: default "${raw}" is not valid JSON`);
    }
  }
}

function hasDefaults(schema: JsonSchema): boolean {
  return schema.default !== undefined;
}

/**
 * Converts a KRO SimpleSchema (the `spec.schema.spec` of a ResourceGraphDefinition) into the JSON
 * Schema of an instance's `spec`, the way KRO turns it into the OpenAPI schema of the CRD it
 * generates. Objects are strict (`additionalProperties: false`), as the API server rejects
 * unknown fields.
 *
 * Supported: `string`, `integer`, `boolean`, `float`/`number`, `object` (free-form), `[]T`,
 * `map[string]T`, nested field maps, custom types from `spec.schema.types`, and the markers
 * `required`, `default`, `description`, `minimum`, `maximum`, `enum`, `pattern`, `minLength`,
 * `maxLength`, `minItems`, `maxItems`, `uniqueItems`, `immutable` (kept as
 * `x-kubernetes-immutable`), `validation` (kept as `x-kubernetes-validations`).
 *
 * @public
 */
export function simpleSchemaToJsonSchema(
  spec: unknown,
  types: Record<string, unknown> = {},
): JsonSchema {
  return new Converter(types).fields(asFieldMap(spec, 'spec'), 'spec');
}
