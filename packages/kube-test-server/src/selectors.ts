import { badRequest } from './errors';
import { KubeObject } from './types';

/** One requirement of a label selector. */
export interface LabelRequirement {
  key: string;
  operator: 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
  values: string[];
}

/** One requirement of a field selector. */
export interface FieldRequirement {
  field: 'metadata.name' | 'metadata.namespace';
  operator: '=' | '!=';
  value: string;
}

const name = '[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?';
const prefix = '[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?';
const key = `(?:${prefix}/)?${name}`;
const value = `(?:${name})?`;

const existsTerm = new RegExp(`^(${key})$`);
const notExistsTerm = new RegExp(`^!\\s*(${key})$`);
const equalityTerm = new RegExp(`^(${key})\\s*(==|=|!=)\\s*(${value})$`);
const setTerm = new RegExp(`^(${key})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const numericTerm = new RegExp(`^(${key})\\s*([<>])\\s*(-?\\d+)$`);
const valueOnly = new RegExp(`^${value}$`);

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map(t => t.trim());
}

/**
 * Parses a label selector (`a=b,c!=d,e in (f,g),h notin (i),j,!k,l>3`) like
 * `labels.Parse` in apimachinery; throws a 400 KubeApiError when it is not valid.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === '') return [];
  return splitTerms(selector).map(term => {
    let m = notExistsTerm.exec(term);
    if (m) return { key: m[1], operator: '!exists', values: [] };
    m = existsTerm.exec(term);
    if (m) return { key: m[1], operator: 'exists', values: [] };
    m = setTerm.exec(term);
    if (m) {
      const values = m[3].split(',').map(v => v.trim());
      if (values.some(v => !valueOnly.test(v))) {
        throw badRequest(
          `unable to parse requirement: invalid label value in "${term}"`,
        );
      }
      return { key: m[1], operator: m[2] as 'in' | 'notin', values };
    }
    m = equalityTerm.exec(term);
    if (m) {
      return {
        key: m[1],
        operator: m[2] === '!=' ? '!=' : '=',
        values: [m[3]],
      };
    }
    m = numericTerm.exec(term);
    if (m)
      return {
        key: m[1],
        operator: m[2] === '>' ? 'gt' : 'lt',
        values: [m[3]],
      };
    throw badRequest(
      `unable to parse requirement: found '${term}', expected a label selector term`,
    );
  });
}

/** Whether labels satisfy every requirement. */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  for (const r of requirements) {
    const has =
      labels !== undefined &&
      Object.prototype.hasOwnProperty.call(labels, r.key);
    const actual = has ? labels![r.key] : undefined;
    switch (r.operator) {
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      case '=':
        if (actual !== r.values[0]) return false;
        break;
      case '!=':
        if (actual === r.values[0]) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(actual!)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(actual!)) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(actual!)) return false;
        const n = Number(actual);
        const bound = Number(r.values[0]);
        if (r.operator === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

/**
 * Parses a field selector. Like for custom resources in kube-apiserver, only `metadata.name`
 * and `metadata.namespace` are supported (`=`, `==`, `!=`); others are a 400.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (selector.trim() === '') return [];
  return selector.split(',').map(raw => {
    const term = raw.trim();
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m)
      throw badRequest(
        `invalid selector: '${selector}'; can't understand '${term}'`,
      );
    const field = m[1];
    if (field !== 'metadata.name' && field !== 'metadata.namespace') {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, operator: m[2] === '!=' ? '!=' : '=', value: m[3].trim() };
  });
}

/** Whether an object satisfies every field requirement. */
export function matchesFields(
  requirements: FieldRequirement[],
  object: KubeObject,
): boolean {
  for (const r of requirements) {
    const actual =
      r.field === 'metadata.name'
        ? object.metadata.name ?? ''
        : object.metadata.namespace ?? '';
    if (r.operator === '=' ? actual !== r.value : actual === r.value)
      return false;
  }
  return true;
}

/** Label and field selectors of one request, parsed once. */
export interface Selectors {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/** Parses both selectors from query parameters. */
export function parseSelectors(
  labelSelector: string | null | undefined,
  fieldSelector: string | null | undefined,
): Selectors {
  return {
    labels: parseLabelSelector(labelSelector ?? ''),
    fields: parseFieldSelector(fieldSelector ?? ''),
  };
}

/** Whether an object satisfies both selectors. */
export function matchesSelectors(
  selectors: Selectors,
  object: KubeObject,
): boolean {
  return (
    (selectors.labels.length === 0 ||
      matchesLabels(selectors.labels, object.metadata.labels)) &&
    (selectors.fields.length === 0 || matchesFields(selectors.fields, object))
  );
}

/** The single value a selector pins a field to with `=`, if any. */
export function pinnedField(
  selectors: Selectors,
  field: FieldRequirement['field'],
): string | undefined {
  return selectors.fields.find(r => r.field === field && r.operator === '=')
    ?.value;
}
