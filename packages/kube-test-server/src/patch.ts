import { KubeApiError, badRequest } from './errors';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies a JSON merge patch (RFC 7386). Unchanged branches are shared with `target`, which is
 * never modified.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * Copies a JSON value (several times faster than structuredClone for small objects); undefined
 * object fields are dropped, as JSON would.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) copy[key] = cloneJson(field);
  }
  return copy as T;
}

/** Deep equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  )
    return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => deepEqual(x, bs[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao).filter(k => ao[k] !== undefined);
  if (keys.length !== Object.keys(bo).filter(k => bo[k] !== undefined).length)
    return false;
  return keys.every(k => deepEqual(ao[k], bo[k]));
}

/** One JSON patch operation (RFC 6902). */
interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw badRequest(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function unprocessable(message: string): KubeApiError {
  return new KubeApiError(422, message);
}

/** The container holding the last token of a pointer, and that token. */
function locate(
  doc: Json,
  tokens: string[],
  pointer: string,
): [Json[] | { [k: string]: Json }, string] {
  let node: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = (node as { [k: string]: Json })[token];
    else node = undefined as unknown as Json;
    if (node === undefined || node === null || typeof node !== 'object') {
      throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
    }
  }
  return [node as Json[] | { [k: string]: Json }, tokens[tokens.length - 1]];
}

function arrayIndex(
  array: Json[],
  token: string,
  pointer: string,
  forAdd: boolean,
): number {
  if (forAdd && token === '-') return array.length;
  if (!/^(0|[1-9]\d*)$/.test(token))
    throw unprocessable(`jsonpatch: invalid index in "${pointer}"`);
  const index = Number(token);
  if (index > array.length || (!forAdd && index === array.length)) {
    throw unprocessable(`jsonpatch: index out of range in "${pointer}"`);
  }
  return index;
}

function read(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const [container, last] = locate(doc, tokens, pointer);
  const value = Array.isArray(container)
    ? container[arrayIndex(container, last, pointer, false)]
    : container[last];
  if (value === undefined)
    throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
  return value;
}

function remove(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0)
    throw unprocessable('jsonpatch: cannot remove the whole document');
  const [container, last] = locate(doc, tokens, pointer);
  if (Array.isArray(container)) {
    return container.splice(arrayIndex(container, last, pointer, false), 1)[0];
  }
  if (!(last in container))
    throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
  const value = container[last];
  delete container[last];
  return value;
}

function add(doc: Json, pointer: string, value: Json, replace: boolean): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const [container, last] = locate(doc, tokens, pointer);
  if (Array.isArray(container)) {
    const index = arrayIndex(container, last, pointer, !replace);
    container.splice(index, replace ? 1 : 0, value);
  } else {
    if (replace && !(last in container)) {
      throw unprocessable(`jsonpatch: path "${pointer}" does not exist`);
    }
    container[last] = value;
  }
  return doc;
}

/**
 * Applies a JSON patch (RFC 6902) to a copy of `target`. Malformed patches are a 400, failing
 * operations (a `test` that does not hold, a missing path) a 422.
 */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw badRequest('a JSON patch must be an array of operations');
  let doc = cloneJson(target) as Json;
  for (const raw of patch as JsonPatchOperation[]) {
    if (!isObject(raw) || typeof raw.path !== 'string') {
      throw badRequest('invalid JSON patch operation: missing "path"');
    }
    const copyValue = (v: Json | undefined) => {
      if (v === undefined)
        throw badRequest(
          `invalid JSON patch operation "${raw.op}": missing "value"`,
        );
      return cloneJson(v);
    };
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, copyValue(raw.value), false);
        break;
      case 'replace':
        doc = add(doc, raw.path, copyValue(raw.value), true);
        break;
      case 'remove':
        remove(doc, raw.path);
        break;
      case 'move': {
        if (typeof raw.from !== 'string')
          throw badRequest(
            'invalid JSON patch operation "move": missing "from"',
          );
        const value = remove(doc, raw.from);
        doc = add(doc, raw.path, value, false);
        break;
      }
      case 'copy': {
        if (typeof raw.from !== 'string')
          throw badRequest(
            'invalid JSON patch operation "copy": missing "from"',
          );
        doc = add(doc, raw.path, cloneJson(read(doc, raw.from)), false);
        break;
      }
      case 'test':
        if (!deepEqual(read(doc, raw.path), raw.value)) {
          throw unprocessable(
            `jsonpatch: test operation for path "${raw.path}" failed`,
          );
        }
        break;
      default:
        throw badRequest(
          `invalid JSON patch operation "${String(
            (raw as { op?: unknown }).op,
          )}"`,
        );
    }
  }
  return doc;
}
