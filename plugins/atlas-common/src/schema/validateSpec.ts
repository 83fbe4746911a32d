import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { RE2JS } from '@bufbuild/re2';
import { evaluateExpression } from '../cel/expressions';
import { isPlainObject } from '../kube';
import type { JsonSchema } from './types';

/**
 * One reason a value does not fit a schema, with the dotted path of the field.
 *
 * @public
 */
export interface SchemaProblem {
  /** Dotted path, such as `spec.database.instances`. */
  path: string;
  message: string;
}

/**
 * Compiles `pattern` keywords with RE2, the regular expression syntax of Go, which the
 * Kubernetes API server (and so KRO and every CRD) uses; JavaScript's own RegExp rejects some of
 * it, such as `\PC`.
 */
const re2Engine = Object.assign((pattern: string) => RE2JS.compile(pattern), {
  code: 'require("@bufbuild/re2").RE2JS.compile',
});

/**
 * Creates the Ajv instance Mini-Atlas validates with: all errors, no type coercion, RE2
 * patterns, and the Kubernetes OpenAPI extensions accepted as annotations.
 *
 * @public
 */
export function createAjv(options: { useDefaults?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    useDefaults: options.useDefaults ?? false,
    validateFormats: true,
    code: { regExp: re2Engine },
  });
  addFormats(ajv);
  for (const format of [
    'int32',
    'int64',
    'byte',
    'cidr',
    'quantity',
    'idn-hostname',
    'date-time',
  ]) {
    if (!ajv.formats[format]) ajv.addFormat(format, true);
  }
  return ajv;
}

let defaultingAjv: Ajv | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    defaultingAjv ??= createAjv({ useDefaults: true });
    validate = defaultingAjv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * Turns Ajv errors into problems with dotted paths and plain sentences.
 *
 * @public
 */
export function describeAjvErrors(
  errors: ErrorObject[] | null | undefined,
  root: string,
): SchemaProblem[] {
  return (errors ?? []).map(error => {
    const parts = error.instancePath
      .split('/')
      .slice(1)
      .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const path = [root, ...parts].filter(Boolean).join('.');
    const p = error.params as Record<string, any>;
    switch (error.keyword) {
      case 'required':
        return { path: `${path}.${p.missingProperty}`, message: 'is required' };
      case 'additionalProperties':
        return {
          path: `${path}.${p.additionalProperty}`,
          message: 'is not a known field',
        };
      case 'enum':
        return {
          path,
          message: `must be one of ${p.allowedValues
            .map((v: unknown) => JSON.stringify(v))
            .join(', ')}`,
        };
      case 'type':
        return {
          path,
          message: `must be ${
            p.type === 'integer' ? 'a whole number' : `of type ${p.type}`
          }`,
        };
      default:
        return { path, message: error.message ?? error.keyword };
    }
  });
}

const YAML_INDICATOR = /^[!&*{}[\]|>%@`#]|^---|^\.\.\./;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Problems with string values that are valid by the schema but have no place in a request:
 * control characters (newlines), KRO/CEL template syntax `${`, and leading YAML syntax.
 *
 * @public
 */
export function unsafeStringProblems(
  value: unknown,
  path: string,
): SchemaProblem[] {
  if (typeof value === 'string') {
    if (CONTROL.test(value))
      return [
        { path, message: 'must be a single line without control characters' },
      ];
    if (value.includes('${'))
      return [
        {
          path,
          message:
            'must not contain "${": template expressions are not allowed in values',
        },
      ];
    if (YAML_INDICATOR.test(value.trimStart())) {
      return [
        {
          path,
          message: `must not start with YAML syntax ("${value
            .trimStart()
            .slice(0, 3)}")`,
        },
      ];
    }
    return [];
  }
  if (Array.isArray(value))
    return value.flatMap((v, i) => unsafeStringProblems(v, `${path}[${i}]`));
  if (isPlainObject(value)) {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(/^[A-Za-z0-9_.-]+$/.test(k)
        ? []
        : [{ path: `${path}.${k}`, message: 'is not a valid field name' }]),
      ...unsafeStringProblems(v, `${path}.${k}`),
    ]);
  }
  return [];
}

function celRuleProblems(
  schema: JsonSchema,
  value: unknown,
  path: string,
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const rules = schema['x-kubernetes-validations'];
  if (Array.isArray(rules) && value !== undefined) {
    for (const rule of rules as Array<{ rule: string; message?: string }>) {
      let ok: unknown;
      try {
        ok = evaluateExpression(rule.rule, { self: value });
      } catch (e) {
        ok = false;
      }
      if (ok !== true)
        problems.push({
          path,
          message: rule.message ?? `must satisfy ${rule.rule}`,
        });
    }
  }
  if (isPlainObject(value) && schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) {
      problems.push(...celRuleProblems(child, value[key], `${path}.${key}`));
    }
  }
  return problems;
}

/**
 * Validates an instance's `spec` against its abstraction's schema, applying the schema's
 * defaults. Returns the defaulted spec (a copy) and every problem found; nothing is valid unless
 * `problems` is empty.
 *
 * @public
 */
export function validateSpec(
  specSchema: JsonSchema,
  spec: unknown,
): { spec: Record<string, unknown>; problems: SchemaProblem[] } {
  const copy = spec === undefined ? {} : structuredClone(spec);
  const validate = validatorFor(specSchema);
  const problems = validate(copy)
    ? []
    : describeAjvErrors(validate.errors, 'spec');
  if (!problems.length)
    problems.push(...celRuleProblems(specSchema, copy, 'spec'));
  problems.push(...unsafeStringProblems(copy, 'spec'));
  return { spec: isPlainObject(copy) ? copy : {}, problems };
}
