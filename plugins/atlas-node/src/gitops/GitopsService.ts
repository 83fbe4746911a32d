import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
  AbstractionRegistry,
  ATLAS_LABELS,
  GITOPS_LAYOUT,
  instanceIdentity,
  type Abstraction,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import {
  coreNamespaces,
  parseYamlDocuments,
  readGitopsTree,
  registryFromTree,
  type GitopsProblem,
} from './tree';

/**
 * One instance declared in the Delivery layer (`gitops/workspaces/`).
 *
 * @public
 */
export interface GitopsInstance {
  abstraction: Abstraction;
  /** The workspace it belongs to (for a workspace, its own name). */
  workspace: string;
  /** Its short name (for a workspace, the workspace name). */
  name: string;
  object: KubeObject;
  /** Path relative to the gitops folder, with `/` separators. */
  file: string;
  /** Owner Group name from the `mini-atlas.io/owner` label, when set. */
  owner?: string;
}

/**
 * The desired state in Git, as the portal sees it.
 *
 * @public
 */
export interface GitopsSnapshot {
  registry: AbstractionRegistry;
  /** Namespaces of the platform itself, which no workspace may take. */
  reservedNamespaces: string[];
  /** Instances of the workspace abstraction, by name. */
  workspaces: Map<string, GitopsInstance>;
  /** Requests of every workspace (not the workspaces themselves). */
  instances: GitopsInstance[];
  /** Files in the Delivery layer that could not be read as instances; reported, not dropped silently. */
  problems: GitopsProblem[];
}

/**
 * Reads the gitops folder of the repository the portal writes to, keeps a parsed snapshot of it,
 * and tells listeners when it changes (after a wizard commits, or when someone edits a file by
 * hand). Root-scoped: the scaffolder actions, the catalog provider and the status API share one.
 *
 * @public
 */
export interface GitopsService {
  /** Absolute path of the git repository (its working tree). */
  readonly repoRoot: string;
  /** Absolute path of the gitops folder inside it. */
  readonly gitopsDir: string;
  /** The current snapshot; re-read only the files that changed since the last one. */
  snapshot(): Promise<GitopsSnapshot>;
  /**
   * Marks files (paths relative to the gitops folder) as changed, or everything when none are
   * given, and notifies listeners. Writers call this after a commit.
   */
  notifyChanged(files?: string[]): void;
  /** Calls the listener with the changed files (empty: everything may have changed). Returns an unsubscribe function. */
  onChange(listener: (files: string[]) => void): () => void;
  /** Stops watching the folder. */
  close(): void;
}

/**
 * Options of {@link createGitopsService}.
 *
 * @public
 */
export interface GitopsServiceOptions {
  repoRoot: string;
  /** Folder of the platform inside the repository; default `gitops`. */
  gitopsPath?: string;
  /** Watch the folder for edits by hand (default true). */
  watch?: boolean;
  /** Called with a message and metadata when the watcher fails or a file cannot be read. */
  onWarning?: (message: string, meta: { error: string }) => void;
}

const WORKSPACES = `${GITOPS_LAYOUT.workspaces}/`;

/**
 * Finds the repository root from a folder inside it: the nearest ancestor that holds both the
 * gitops folder and `.git`.
 *
 * @public
 */
export function findRepoRoot(
  from: string,
  gitopsPath = 'gitops',
): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (
      fs.existsSync(path.join(dir, gitopsPath)) &&
      fs.existsSync(path.join(dir, '.git'))
    )
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Creates the {@link GitopsService} for a repository.
 *
 * @public
 */
export function createGitopsService(
  options: GitopsServiceOptions,
): GitopsService {
  const repoRoot = path.resolve(options.repoRoot);
  const gitopsDir = path.join(repoRoot, options.gitopsPath ?? 'gitops');
  const listeners = new Set<(files: string[]) => void>();
  // parsed instance files of the Delivery layer, refreshed file by file
  const files = new Map<
    string,
    { objects: KubeObject[]; problems: GitopsProblem[] } | null
  >();
  let platform:
    | Promise<{
        registry?: AbstractionRegistry;
        reserved: string[];
        problems: GitopsProblem[];
      }>
    | undefined;
  let dirty: Set<string> | 'all' = 'all';
  let current: Promise<GitopsSnapshot> | undefined;
  let watcher: fs.FSWatcher | undefined;

  const readPlatform = async () => {
    // the Core and Foundation layers are small: read them whole
    const core = await readGitopsTree(gitopsDir, {
      skip: file => file.startsWith(WORKSPACES),
    });
    const { registry, problem } = registryFromTree(core);
    if (!registry) {
      throw new Error(
        `The platform's abstractions cannot be read: ${problem?.file}: ${problem?.message}`,
      );
    }
    return { registry, reserved: coreNamespaces(core), problems: [] };
  };

  const listInstanceFiles = async (): Promise<string[]> => {
    const root = path.join(gitopsDir, GITOPS_LAYOUT.workspaces);
    const out: string[] = [];
    let workspaces: fs.Dirent[] = [];
    try {
      workspaces = await fsp.readdir(root, { withFileTypes: true });
    } catch {
      return out;
    }
    for (const ws of workspaces) {
      if (!ws.isDirectory() || ws.name.startsWith('.')) continue;
      for (const name of await fsp.readdir(path.join(root, ws.name))) {
        if (/\.ya?ml$/.test(name) && !/^kustomization\.ya?ml$/.test(name))
          out.push(`${WORKSPACES}${ws.name}/${name}`);
      }
    }
    return out;
  };

  const readFile = async (file: string) => {
    try {
      return parseYamlDocuments(
        await fsp.readFile(path.join(gitopsDir, file), 'utf8'),
        file,
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  };

  const build = async (): Promise<GitopsSnapshot> => {
    const changed = dirty;
    dirty = new Set();
    if (changed === 'all' || [...changed].some(f => !f.startsWith(WORKSPACES)))
      platform = undefined;
    platform ??= readPlatform();
    const { registry, reserved } = await platform;
    if (changed === 'all') {
      files.clear();
      const list = await listInstanceFiles();
      const parsed = await Promise.all(list.map(readFile));
      list.forEach((file, i) => files.set(file, parsed[i]));
    } else {
      for (const file of changed) {
        if (!file.startsWith(WORKSPACES) || /kustomization\.ya?ml$/.test(file))
          continue;
        const parsed = await readFile(file);
        if (parsed) files.set(file, parsed);
        else files.delete(file);
      }
    }
    const workspaces = new Map<string, GitopsInstance>();
    const instances: GitopsInstance[] = [];
    const problems: GitopsProblem[] = [];
    for (const [file, parsed] of files) {
      if (!parsed) continue;
      problems.push(...parsed.problems);
      for (const object of parsed.objects) {
        const abstraction = registry!.forObject(object);
        const identity = abstraction && instanceIdentity(abstraction, object);
        if (!abstraction || !identity) {
          problems.push({
            file,
            message: `${object.kind} ${object.metadata?.name}: not an instance of a platform abstraction in its workspace`,
          });
          continue;
        }
        const instance: GitopsInstance = {
          abstraction,
          ...identity,
          object,
          file,
          owner: object.metadata.labels?.[ATLAS_LABELS.owner],
        };
        if (abstraction.isWorkspace)
          workspaces.set(identity.workspace, instance);
        else instances.push(instance);
      }
    }
    instances.sort((a, b) => a.file.localeCompare(b.file));
    return {
      registry: registry!,
      reservedNamespaces: reserved,
      workspaces,
      instances,
      problems,
    };
  };

  const notifyChanged = (changedFiles: string[] = []) => {
    if (changedFiles.length === 0) dirty = 'all';
    else if (dirty !== 'all')
      changedFiles.forEach(f => (dirty as Set<string>).add(f));
    current = undefined;
    for (const listener of listeners) listener(changedFiles);
  };

  if (options.watch ?? true) {
    try {
      watcher = fs.watch(gitopsDir, { recursive: true }, (_event, filename) => {
        if (!filename) return notifyChanged();
        const file = filename.toString().split(path.sep).join('/');
        if (/\.ya?ml$/.test(file)) notifyChanged([file]);
        return undefined;
      });
      watcher.on('error', e =>
        options.onWarning?.('Stopped watching the gitops folder', {
          error: String(e),
        }),
      );
    } catch (e) {
      options.onWarning?.(
        'Cannot watch the gitops folder; changes by hand show after a restart',
        { error: String(e) },
      );
    }
  }

  return {
    repoRoot,
    gitopsDir,
    snapshot() {
      if (!current) {
        current = build();
        current.catch(() => {
          current = undefined;
          dirty = 'all';
        });
      }
      return current;
    },
    notifyChanged,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      watcher?.close();
      listeners.clear();
    },
  };
}
