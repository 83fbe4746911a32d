import fs from 'node:fs/promises';
import path from 'node:path';
import {
  AbstractionError,
  AbstractionRegistry,
  GITOPS_LAYOUT,
  isPlainObject,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import { parseAllDocuments } from 'yaml';

/**
 * One YAML document of the gitops folder.
 *
 * @public
 */
export interface GitopsDocument {
  /** Path relative to the gitops folder, with `/` separators. */
  file: string;
  /** Position of the document in its file (0 for single-document files). */
  index: number;
  object: KubeObject;
}

/**
 * A defect found in the gitops folder, with the file it is in.
 *
 * @public
 */
export interface GitopsProblem {
  file: string;
  message: string;
}

/**
 * Every YAML document under the gitops folder, parsed.
 *
 * @public
 */
export interface GitopsTree {
  /** Absolute path of the gitops folder. */
  root: string;
  /** Every `.yaml`/`.yml` file, relative to the root. */
  files: string[];
  documents: GitopsDocument[];
  /** Files that are not valid YAML. */
  problems: GitopsProblem[];
}

async function listYamlFiles(
  root: string,
  skip: (file: string) => boolean,
  dir = '',
): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, dir), {
    withFileTypes: true,
  });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (skip(entry.isDirectory() ? `${rel}/` : rel)) continue;
    if (entry.isDirectory())
      files.push(...(await listYamlFiles(root, skip, rel)));
    else if (/\.ya?ml$/.test(entry.name)) files.push(rel);
  }
  return files;
}

/**
 * Parses one YAML file's documents, skipping empty ones.
 *
 * @public
 */
export function parseYamlDocuments(
  text: string,
  file: string,
): { objects: KubeObject[]; problems: GitopsProblem[] } {
  const objects: KubeObject[] = [];
  const problems: GitopsProblem[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      problems.push({
        file,
        message: `invalid YAML: ${doc.errors[0].message.split('\n')[0]}`,
      });
      continue;
    }
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isPlainObject(value)) {
      problems.push({ file, message: 'a document is not a YAML map' });
      continue;
    }
    objects.push(value as KubeObject);
  }
  return { objects, problems };
}

/**
 * Reads and parses every YAML file under the gitops folder, except those `skip` returns true for
 * (it gets paths relative to the folder; folders end with `/`).
 *
 * @public
 */
export async function readGitopsTree(
  root: string,
  options: { skip?: (file: string) => boolean } = {},
): Promise<GitopsTree> {
  const files = await listYamlFiles(root, options.skip ?? (() => false));
  const documents: GitopsDocument[] = [];
  const problems: GitopsProblem[] = [];
  for (const file of files) {
    const parsed = parseYamlDocuments(
      await fs.readFile(path.join(root, file), 'utf8'),
      file,
    );
    problems.push(...parsed.problems);
    parsed.objects.forEach((object, index) =>
      documents.push({ file, index, object }),
    );
  }
  return { root, files, documents, problems };
}

/**
 * True for kustomize's own configuration files (not applied to the cluster).
 *
 * @public
 */
export function isKustomizeConfig(document: GitopsDocument): boolean {
  return /(^|\/)kustomization\.ya?ml$/.test(document.file);
}

/**
 * True for the Kind cluster configuration (read by `kind`, not applied to the cluster).
 *
 * @public
 */
export function isKindConfig(document: GitopsDocument): boolean {
  return String(document.object.apiVersion ?? '').startsWith('kind.x-k8s.io/');
}

/**
 * The ResourceGraphDefinitions of the Foundation layer.
 *
 * @public
 */
export function foundationRgds(tree: GitopsTree): GitopsDocument[] {
  return tree.documents.filter(
    d =>
      d.file.startsWith(`${GITOPS_LAYOUT.foundation}/`) &&
      d.object.kind === 'ResourceGraphDefinition',
  );
}

/**
 * Builds the abstraction registry from the Foundation layer's RGDs, or returns the problem.
 *
 * @public
 */
export function registryFromTree(tree: GitopsTree): {
  registry?: AbstractionRegistry;
  problem?: GitopsProblem;
} {
  try {
    return {
      registry: AbstractionRegistry.fromRgds(
        foundationRgds(tree).map(d => ({ object: d.object, source: d.file })),
      ),
    };
  } catch (e) {
    if (e instanceof AbstractionError) {
      const [file, ...rest] = e.message.split(': ');
      return { problem: { file, message: rest.join(': ') } };
    }
    throw e;
  }
}

/**
 * The platform's own namespaces, declared in the Core layer; no workspace may take one.
 *
 * @public
 */
export function coreNamespaces(tree: GitopsTree): string[] {
  return tree.documents
    .filter(
      d =>
        d.file.startsWith(`${GITOPS_LAYOUT.core}/`) &&
        d.object.kind === 'Namespace',
    )
    .map(d => d.object.metadata.name)
    .concat(['flux-system']);
}
