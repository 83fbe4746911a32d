import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A throw-away git repository holding a copy of a gitops folder, for tests and benchmarks of
 * the writers.
 *
 * @public
 */
export interface TempGitopsRepo {
  /** The repository's working tree. */
  dir: string;
  /** Runs git in the repository and returns its standard output. */
  git(...args: string[]): Promise<string>;
  /** Removes the repository. */
  remove(): Promise<void>;
}

/**
 * Creates a git repository in a temporary folder with a copy of `gitopsDir` as `gitops/`,
 * committed as its first commit (branch `main`).
 *
 * @public
 */
export async function createTempGitopsRepo(
  gitopsDir: string,
  options: { prefix?: string } = {},
): Promise<TempGitopsRepo> {
  const dir = await fs.mkdtemp(
    path.join(os.tmpdir(), options.prefix ?? 'atlas-gitops-repo-'),
  );
  const git = async (...args: string[]) =>
    (
      await run('git', args, {
        cwd: dir,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'Test',
          GIT_AUTHOR_EMAIL: 'test@example.com',
          GIT_COMMITTER_NAME: 'Test',
          GIT_COMMITTER_EMAIL: 'test@example.com',
        },
        maxBuffer: 64 * 1024 * 1024,
      })
    ).stdout;
  await fs.cp(gitopsDir, path.join(dir, 'gitops'), { recursive: true });
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', 'gitops');
  await git('commit', '--quiet', '--no-verify', '-m', 'platform');
  return {
    dir,
    git,
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
