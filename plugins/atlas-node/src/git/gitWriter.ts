import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';

const run = promisify(execFile);

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** Paths fast-import takes unquoted. */
const PLAIN_PATH = /^[A-Za-z0-9._/-]+$/;

/** `Name <email>` with what git cannot store in an identity removed. */
function identity(who: GitIdentity): string {
  const clean = (text: string) => text.replace(/[<>\n\r]/g, '').trim();
  return `${clean(who.name) || 'unknown'} <${clean(who.email)}>`;
}

/**
 * One file a commit writes, relative to the repository root.
 *
 * @public
 */
export interface FileChange {
  path: string;
  /** New content; or give `update`. */
  content?: string;
  /**
   * Computes the new content from the current one (undefined when the file does not exist),
   * under the writer's lock, so that concurrent commits to the same file do not lose each
   * other's edits.
   */
  update?: (current: string | undefined) => string;
  /** Refuse with a ConflictError when the file already exists. */
  mustNotExist?: boolean;
}

/**
 * Who a commit is by.
 *
 * @public
 */
export interface GitIdentity {
  name: string;
  email: string;
}

/**
 * Options of {@link GitWriter.commit}.
 *
 * @public
 */
export interface CommitOptions {
  changes: FileChange[];
  message: string;
  author: GitIdentity;
  /**
   * Runs under the writer's lock before anything is written, after every earlier commit of the
   * repository; throw (a ConflictError, say) to refuse the commit.
   */
  precondition?: () => Promise<void> | void;
}

/**
 * The result of a commit.
 *
 * @public
 */
export interface CommitResult {
  /** The new commit's id. */
  commit: string;
  /** The files written, relative to the repository root. */
  files: string[];
}

/**
 * Writes files into a git working tree and commits exactly those files, one commit at a time.
 * Commits of one repository are serialized (in this process, and across processes by retrying
 * while git's own `index.lock` is held), and each `update` runs on the file as the previous
 * commit left it, so concurrent requests neither lose writes nor corrupt the repository. Other
 * changes in the working tree, staged or not, are left alone and never committed.
 *
 * @public
 */
export interface GitWriter {
  readonly repoRoot: string;
  commit(options: CommitOptions): Promise<CommitResult>;
}

/**
 * Options of {@link createGitWriter}.
 *
 * @public
 */
export interface GitWriterOptions {
  repoRoot: string;
  /** The committer; the author is given per commit. Default: Mini-Atlas Portal. */
  committer?: GitIdentity;
  /** How long to wait for another process's `index.lock`, in milliseconds. Default 10 s. */
  lockTimeoutMs?: number;
}

const DEFAULT_COMMITTER: GitIdentity = {
  name: 'Mini-Atlas Portal',
  email: 'portal@mini-atlas.local',
};

// One queue per repository for the whole process, so that two writers on the same repository
// (two plugins, two tests) still take turns.
const queues = new Map<string, Promise<unknown>>();

function serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

function isLockError(error: unknown): boolean {
  return /index\.lock|cannot lock ref|Unable to create .*\.lock/i.test(
    String((error as { stderr?: string }).stderr ?? error),
  );
}

/**
 * Creates a {@link GitWriter} for a working tree.
 *
 * @public
 */
export function createGitWriter(options: GitWriterOptions): GitWriter {
  const repoRoot = path.resolve(options.repoRoot);
  const committer = options.committer ?? DEFAULT_COMMITTER;
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;

  const git = async (args: string[], env: Record<string, string> = {}) => {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const { stdout } = await run('git', args, {
          cwd: repoRoot,
          env: {
            ...process.env,
            GIT_COMMITTER_NAME: committer.name,
            GIT_COMMITTER_EMAIL: committer.email,
            GIT_TERMINAL_PROMPT: '0',
            ...env,
          },
          maxBuffer: 16 * 1024 * 1024,
        });
        return stdout;
      } catch (e) {
        if (!isLockError(e) || Date.now() - started > lockTimeoutMs) throw e;
        await new Promise(r => setTimeout(r, Math.min(20 * 2 ** attempt, 500)));
      }
    }
  };

  const gitWithInput = async (args: string[], input: Buffer) => {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await new Promise<string>((resolve, reject) => {
          const child = spawn('git', args, {
            cwd: repoRoot,
            env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', d => (stdout += d));
          child.stderr.on('data', d => (stderr += d));
          child.on('error', reject);
          child.on('close', code =>
            code === 0
              ? resolve(stdout)
              : reject(
                  Object.assign(
                    new Error(`git ${args[0]} failed: ${stderr.trim()}`),
                    { stderr },
                  ),
                ),
          );
          child.stdin.end(input);
        });
      } catch (e) {
        if (!isLockError(e) || Date.now() - started > lockTimeoutMs) throw e;
        await new Promise(r => setTimeout(r, Math.min(20 * 2 ** attempt, 500)));
      }
    }
  };

  let gitDir: Promise<string> | undefined;
  const gitDirPath = () => {
    gitDir ??= git(['rev-parse', '--absolute-git-dir']).then(out => out.trim());
    return gitDir;
  };

  // The new commit's id, read from the branch's loose ref that `git commit` just wrote (one
  // process less per commit, which counts in a large repository); `rev-parse` if it is not there.
  const headCommit = async (): Promise<string> => {
    const dir = await gitDirPath();
    const head = (await fs.readFile(path.join(dir, 'HEAD'), 'utf8')).trim();
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    const id = ref
      ? await fs
          .readFile(path.join(dir, ref), 'utf8')
          .then(text => text.trim())
          .catch(() => undefined)
      : head;
    return id && OBJECT_ID.test(id)
      ? id
      : (await git(['rev-parse', 'HEAD'])).trim();
  };

  const readOptional = async (file: string) => {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };

  /** The branch HEAD is on and its tip, or undefined (detached, unborn). */
  const branchTip = async (): Promise<{ ref: string; id: string } | undefined> => {
    const dir = await gitDirPath();
    const head = (await fs.readFile(path.join(dir, 'HEAD'), 'utf8')).trim();
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    const loose = await fs
      .readFile(path.join(dir, ref), 'utf8')
      .then(text => text.trim())
      .catch(() => undefined);
    const id =
      loose && OBJECT_ID.test(loose)
        ? loose
        : (await git(['rev-parse', '--verify', '--quiet', ref]).catch(() => ''))
            .trim();
    return OBJECT_ID.test(id) ? { ref, id } : undefined;
  };

  /**
   * Commits with one `git fast-import` on top of the branch tip: no index is read or written,
   * which is what costs most in a repository of many files. fast-import refuses to move the
   * branch unless the new commit descends from its tip, so a commit made meanwhile by someone
   * else is never lost.
   */
  const fastImport = async (
    tip: { ref: string; id: string },
    planned: Array<{ rel: string; after: string }>,
    message: string,
    author: GitIdentity,
  ): Promise<string> => {
    const when = `${Math.floor(Date.now() / 1000)} +0000`;
    const chunks: Buffer[] = [];
    const data = (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
    };
    chunks.push(
      Buffer.from(
        `commit ${tip.ref}\nmark :1\nauthor ${identity(author)} ${when}\ncommitter ${identity(
          committer,
        )} ${when}\n`,
      ),
    );
    data(message.endsWith('\n') ? message : `${message}\n`);
    chunks.push(Buffer.from(`from ${tip.id}\n`));
    for (const p of planned) {
      chunks.push(Buffer.from(`M 100644 inline ${p.rel}\n`));
      data(p.after);
    }
    chunks.push(Buffer.from('done\n'));
    const marks = path.join(
      await gitDirPath(),
      `atlas-fast-import-${process.pid}-${Date.now()}.marks`,
    );
    try {
      await gitWithInput(
        ['fast-import', '--quiet', '--done', `--export-marks=${marks}`],
        Buffer.concat(chunks),
      );
      const exported = await fs.readFile(marks, 'utf8');
      const id = /^:1 ([0-9a-f]+)$/m.exec(exported)?.[1];
      const now = await branchTip();
      if (!id || now?.id !== id) {
        throw new ConflictError(
          `${tip.ref} moved while the request was committed; try again`,
        );
      }
      return id;
    } finally {
      await fs.rm(marks, { force: true });
    }
  };

  /** Commits through the index, for a detached or unborn HEAD. */
  const porcelainCommit = async (
    files: string[],
    message: string,
    author: GitIdentity,
  ): Promise<string> => {
    await git(['add', '--', ...files]);
    await git([
      'commit',
      '--quiet',
      '--no-verify',
      '--only',
      `--author=${identity(author)}`,
      '-m',
      message,
      '--',
      ...files,
    ]);
    return headCommit();
  };

  const commitNow = async ({
    changes,
    message,
    author,
    precondition,
  }: CommitOptions): Promise<CommitResult> => {
    if (!changes.length) throw new Error('a commit needs at least one file');
    await precondition?.();
    const planned: Array<{
      rel: string;
      abs: string;
      before?: string;
      after: string;
    }> = [];
    for (const change of changes) {
      const abs = resolveSafeChildPath(repoRoot, change.path);
      const rel = path.relative(repoRoot, abs).split(path.sep).join('/');
      const before = await readOptional(abs);
      if (change.mustNotExist && before !== undefined) {
        throw new ConflictError(`${rel} already exists`);
      }
      const after =
        change.update !== undefined ? change.update(before) : change.content;
      if (after === undefined)
        throw new Error(`no content given for ${change.path}`);
      planned.push({ rel, abs, before, after });
    }
    const files = planned.map(p => p.rel);
    const tip = await branchTip();
    let commit: string;
    try {
      for (const p of planned) {
        await fs.mkdir(path.dirname(p.abs), { recursive: true });
        await fs.writeFile(p.abs, p.after, 'utf8');
      }
      commit =
        tip && planned.every(p => PLAIN_PATH.test(p.rel))
          ? await fastImport(tip, planned, message, author)
          : await porcelainCommit(files, message, author);
    } catch (e) {
      // leave the working tree and index as they were
      for (const p of planned) {
        if (p.before === undefined) await fs.rm(p.abs, { force: true });
        else await fs.writeFile(p.abs, p.before, 'utf8');
      }
      if (!tip)
        await git(['reset', '--quiet', '--', ...files]).catch(() => undefined);
      throw e;
    }
    if (tip) {
      // the index follows the new commit for exactly these files
      await git(['update-index', '--add', '--', ...files]);
    }
    return { commit, files };
  };

  return {
    repoRoot,
    commit: commitOptions =>
      serialize(repoRoot, () => commitNow(commitOptions)),
  };
}
