import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from './types';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(value: unknown, into: KubeObject[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) flatten(item, into);
    return;
  }
  if (!isObject(value))
    throw new Error(
      `fixture documents must be objects, got ${JSON.stringify(value)}`,
    );
  if (
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  ) {
    flatten(value.items, into);
    return;
  }
  if (
    typeof value.apiVersion !== 'string' ||
    typeof value.kind !== 'string' ||
    !isObject(value.metadata)
  ) {
    throw new Error(
      `fixture object needs apiVersion, kind and metadata: ${JSON.stringify(
        value,
      ).slice(0, 200)}`,
    );
  }
  into.push(value as KubeObject);
}

/**
 * Parses fixture text: multi-document YAML or JSON holding objects, arrays of objects or
 * `kind: List` / `<Kind>List` documents. CustomResourceDefinitions among them register their types
 * when loaded.
 *
 * @public
 */
export function parseFixtures(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0)
      throw new Error(`invalid fixture YAML: ${doc.errors[0].message}`);
    flatten(doc.toJS(), objects);
  }
  return objects;
}

/**
 * Reads and parses a fixture file (see {@link parseFixtures}).
 *
 * @public
 */
export async function readFixtureFile(path: string): Promise<KubeObject[]> {
  return parseFixtures(await readFile(path, 'utf8'));
}
