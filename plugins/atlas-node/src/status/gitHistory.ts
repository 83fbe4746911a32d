import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The last commit that touched a file.
 *
 * @public
 */
export interface FileCommit {
  sha: string;
  /** Commit time (RFC 3339). */
  time: string;
  subject: string;
}

/**
 * Which commit declared each file of the Delivery layer, and whether a Flux revision contains
 * a commit.
 *
 * @public
 */
export interface GitHistory {
  /**
   * Brings the index up to date with HEAD and the working tree (incremental when it can be);
   * resolves to the files (relative to the gitops folder) whose commit or uncommitted state
   * changed.
   */
  refresh(): Promise<string[]>;
  /** The last commit touching a file (path relative to the gitops folder), if committed. */
  commitOf(file: string): FileCommit | undefined;
  /** True when the file differs from HEAD (changed, added or untracked). */
  isUncommitted(file: string): boolean;
  /** HEAD's SHA, if the repository has a commit. */
  head(): string | undefined;
  /**
   * Whether `revision` (a SHA) contains `commit`, by `git merge-base --is-ancestor`; cached.
   * Undefined when this repository does not know one of them.
   */
  contains(revision: string, commit: string): Promise<boolean | undefined>;
  /** The answer of {@link GitHistory.contains} if it is cached, without running git. */
  containsCached(revision: string, commit: string): boolean | undefined | null;
  /**
   * Calls the listener when HEAD moves (a commit, reset or checkout, also by hand), by watching
   * the HEAD reflog. Returns a function that stops watching.
   */
  watchHead(listener: () => void): Promise<() => void>;
}

/**
 * Options of {@link createGitHistory}.
 *
 * @public
 */
export interface GitHistoryOptions {
  repoRoot: string;
  /** The gitops folder, relative to the repository root (`gitops`). */
  gitopsPath: string;
  /** The folder inside it whose files are indexed; default `workspaces`. */
  folder?: string;
}

const RECORD = '\u001e';
const FIELD = '\u001f';

function git(
  cwd: string,
  args: string[],
  options: { okCodes?: number[] } = {},
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (
          typeof code === 'number' &&
          (options.okCodes ?? [0]).includes(code)
        ) {
          resolve({ code, stdout });
        } else {
          reject(
            new Error(
              `git ${args[0]} failed: ${String(
                stderr || error?.message,
              ).trim()}`,
            ),
          );
        }
      },
    );
  });
}

/**
 * Creates the {@link GitHistory} of a repository. The first {@link GitHistory.refresh} reads the
 * whole history of the folder in one `git log` pass; later ones read only the commits since the
 * last HEAD (`git log <old>..<new>`), or everything again after a history rewrite.
 *
 * @public
 */
export function createGitHistory(options: GitHistoryOptions): GitHistory {
  const { repoRoot } = options;
  const prefix = `${path.posix.join(
    options.gitopsPath.split(path.sep).join('/'),
    '',
  )}/`;
  const folder = `${prefix}${options.folder ?? 'workspaces'}`;
  let commits = new Map<string, FileCommit>();
  let uncommitted = new Set<string>();
  let headSha: string | undefined;
  let refreshing: Promise<string[]> | undefined;
  let again = false;
  const ancestry = new Map<string, boolean>();
  const asking = new Map<string, Promise<boolean | undefined>>();

  const readLog = async (range?: string): Promise<Map<string, FileCommit>> => {
    const args = [
      'log',
      `--format=${RECORD}%H${FIELD}%cI${FIELD}%s`,
      '--name-only',
      '--no-renames',
      ...(range ? [range] : ['HEAD']),
      '--',
      folder,
    ];
    const { stdout } = await git(repoRoot, args);
    const found = new Map<string, FileCommit>();
    for (const record of stdout.split(RECORD)) {
      if (!record.trim()) continue;
      const [header, ...files] = record.split('\n');
      const [sha, time, subject] = header.split(FIELD);
      for (const file of files) {
        if (!file || !file.startsWith(prefix)) continue;
        const relative = file.slice(prefix.length);
        // newest first: the first commit seen is the last one touching the file
        if (!found.has(relative)) found.set(relative, { sha, time, subject });
      }
    }
    return found;
  };

  const readUncommitted = async (): Promise<Set<string>> => {
    const { stdout } = await git(repoRoot, [
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=all',
      '--',
      folder,
    ]);
    const files = new Set<string>();
    const entries = stdout.split('\0');
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.length < 4) continue;
      const status = entry.slice(0, 2);
      const file = entry.slice(3);
      if (file.startsWith(prefix)) files.add(file.slice(prefix.length));
      if (status.startsWith('R') || status.startsWith('C')) i += 1;
    }
    return files;
  };

  const doRefresh = async (changed: Set<string>) => {
    const { code, stdout } = await git(
      repoRoot,
      ['rev-parse', '--verify', '-q', 'HEAD'],
      {
        okCodes: [0, 1],
      },
    );
    const newHead = code === 0 ? stdout.trim() : undefined;
    if (newHead !== headSha) {
      if (!newHead) {
        commits = new Map();
      } else if (
        headSha &&
        (
          await git(
            repoRoot,
            ['merge-base', '--is-ancestor', headSha, newHead],
            {
              okCodes: [0, 1, 128],
            },
          )
        ).code === 0
      ) {
        const recent = await readLog(`${headSha}..${newHead}`);
        for (const [file, commit] of recent) {
          commits.set(file, commit);
          changed.add(file);
        }
      } else {
        const all = await readLog();
        for (const [file, commit] of all) {
          if (commits.get(file)?.sha !== commit.sha) changed.add(file);
        }
        for (const file of commits.keys())
          if (!all.has(file)) changed.add(file);
        commits = all;
      }
      headSha = newHead;
    }
    const now = await readUncommitted();
    for (const file of now) if (!uncommitted.has(file)) changed.add(file);
    for (const file of uncommitted) if (!now.has(file)) changed.add(file);
    uncommitted = now;
  };

  const refresh = (): Promise<string[]> => {
    if (refreshing) {
      // a change arrived while reading: read once more after this pass
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      const changed = new Set<string>();
      try {
        do {
          again = false;
          await doRefresh(changed);
        } while (again);
      } finally {
        refreshing = undefined;
      }
      return [...changed];
    })();
    return refreshing;
  };

  return {
    refresh,
    commitOf: file => commits.get(file),
    isUncommitted: file => uncommitted.has(file),
    head: () => headSha,
    containsCached(revision, commit) {
      if (revision === commit) return true;
      const cached = ancestry.get(`${commit}..${revision}`);
      return cached === undefined ? null : cached;
    },
    async watchHead(listener) {
      try {
        const { stdout } = await git(repoRoot, [
          'rev-parse',
          '--absolute-git-dir',
        ]);
        const reflog = path.join(stdout.trim(), 'logs', 'HEAD');
        // the reflog, not the index: `git status` rewrites the index, which would loop
        const watcher = fs.watch(path.dirname(reflog), (_event, name) => {
          if (name?.toString() === 'HEAD') listener();
        });
        watcher.on('error', () => watcher.close());
        return () => watcher.close();
      } catch {
        return () => {};
      }
    },
    async contains(revision, commit) {
      if (revision === commit) return true;
      const key = `${commit}..${revision}`;
      const cached = ancestry.get(key);
      if (cached !== undefined) return cached;
      let pending = asking.get(key);
      if (!pending) {
        // one git process per pair, however many requests ask at once
        pending = git(
          repoRoot,
          ['merge-base', '--is-ancestor', commit, revision],
          {
            okCodes: [0, 1, 128],
          },
        )
          .then(({ code }) => {
            if (code === 128) return undefined; // one of them is not in this repository
            ancestry.set(key, code === 0);
            return code === 0;
          })
          .finally(() => asking.delete(key));
        asking.set(key, pending);
      }
      return pending;
    },
  };
}
