import path from 'node:path';
import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
} from '@backstage/catalog-model';
import { ATLAS_ENTITY_ANNOTATIONS } from '@mini-atlas/plugin-atlas-common';

/**
 * Where the repository holding `gitops/` is, for the links on each entity.
 *
 * @public
 */
export interface SourceLinkOptions {
  /** Absolute path of the repository's working tree. */
  repoRoot: string;
  /** Absolute path of the gitops folder inside it. */
  gitopsDir: string;
  /**
   * Web address of the repository on GitHub (`https://github.com/acme/mini-atlas`). Without
   * one, links point at the local working tree.
   */
  repositoryUrl?: string;
  /** Branch the links show; default `main`. */
  branch?: string;
}

/**
 * Paths and links of instance files, made by {@link createSourceLinks}.
 *
 * @public
 */
export interface SourceLinks {
  /** The path of a file relative to the repository, from its path relative to the gitops folder. */
  repoPath(gitopsFile: string): string;
  /** The location and link annotations of an entity made from the file. */
  annotations(gitopsFile: string): Record<string, string>;
}

/**
 * The annotations that point an entity at its instance's file: the location the catalog
 * records it under, the view and edit links, the source location and
 * `mini-atlas.io/source-file` (the path relative to the repository).
 *
 * With a GitHub repository URL the links are GitHub's `blob`, `edit` and `tree` pages of the
 * branch. For a local repository (a laptop, the default) the location is the `file:` path,
 * the view link a `file://` URL and the edit link `vscode://file/...`, which opens the file in
 * an editor on the same machine; there is no source location, since no web page shows the
 * folder.
 *
 * @public
 */
export function createSourceLinks(options: SourceLinkOptions): SourceLinks {
  const relativeGitops = path
    .relative(options.repoRoot, options.gitopsDir)
    .split(path.sep)
    .join('/');
  const base = options.repositoryUrl?.replace(/\/+$/, '').replace(/\.git$/, '');
  const branch = options.branch ?? 'main';
  const repoPath = (gitopsFile: string) =>
    relativeGitops ? `${relativeGitops}/${gitopsFile}` : gitopsFile;
  const annotations = (gitopsFile: string) => {
    const file = repoPath(gitopsFile);
    const common = { [ATLAS_ENTITY_ANNOTATIONS.sourceFile]: file };
    if (base) {
      const blob = `${base}/blob/${branch}/${file}`;
      const folder = file.slice(0, file.lastIndexOf('/') + 1);
      return {
        [ANNOTATION_LOCATION]: `url:${blob}`,
        [ANNOTATION_ORIGIN_LOCATION]: `url:${blob}`,
        [ANNOTATION_VIEW_URL]: blob,
        [ANNOTATION_EDIT_URL]: `${base}/edit/${branch}/${file}`,
        [ANNOTATION_SOURCE_LOCATION]: `url:${base}/tree/${branch}/${folder}`,
        ...common,
      };
    }
    const absolute = path.posix.join(
      options.repoRoot.split(path.sep).join('/'),
      file,
    );
    return {
      [ANNOTATION_LOCATION]: `file:${absolute}`,
      [ANNOTATION_ORIGIN_LOCATION]: `file:${absolute}`,
      [ANNOTATION_VIEW_URL]: `file://${encodeURI(absolute)}`,
      [ANNOTATION_EDIT_URL]: `vscode://file${encodeURI(absolute)}`,
      ...common,
    };
  };
  return { repoPath, annotations };
}
