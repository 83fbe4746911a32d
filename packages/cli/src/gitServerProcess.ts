import fs from 'node:fs';
import path from 'node:path';
import { AtlasEnvironment } from './environment';
import { platform } from './platform';
import { lastLines } from './runner';

/**
 * Files of the detached git server under `.data/atlas/`.
 *
 * @public
 */
export function gitServerFiles(dataDir: string) {
  return {
    pidFile: path.join(dataDir, 'git-server.pid'),
    stateFile: path.join(dataDir, 'git-server.json'),
    logFile: path.join(dataDir, 'git-server.log'),
  };
}

/**
 * What `up` recorded about the git server it started.
 *
 * @public
 */
export interface GitServerState {
  pid: number;
  url: string;
  host: string;
  port: number;
  repo: string;
  startedAt: string;
}

/**
 * The recorded git server, if a pid file exists (the state file adds the URL).
 *
 * @public
 */
export function readGitServerState(
  dataDir: string,
): (Partial<GitServerState> & { pid: number }) | undefined {
  const files = gitServerFiles(dataDir);
  if (!fs.existsSync(files.pidFile)) return undefined;
  const pid = Number(fs.readFileSync(files.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let state: Partial<GitServerState> = {};
  try {
    state = JSON.parse(fs.readFileSync(files.stateFile, 'utf8'));
  } catch {
    // The pid file alone is enough to stop it.
  }
  return { ...state, pid };
}

function forgetGitServer(dataDir: string): void {
  const files = gitServerFiles(dataDir);
  fs.rmSync(files.pidFile, { force: true });
  fs.rmSync(files.stateFile, { force: true });
}

/**
 * Whether `pid` is alive and is an `atlas serve-git` process (guards against a reused pid).
 *
 * @public
 */
export async function isGitServerProcess(
  env: AtlasEnvironment,
  pid: number,
): Promise<boolean> {
  if (!env.processes.isAlive(pid)) return false;
  const ps = await env.runner.run('ps', ['-o', 'command=', '-p', String(pid)]);
  return ps.code === 0 && ps.stdout.includes('serve-git');
}

/**
 * The served repository's URL for a host and port.
 *
 * @public
 */
export function gitServerUrl(host: string, port: number): string {
  return `http://${host}:${port}/${platform.gitServer.repoPath}`;
}

/**
 * Makes sure a detached `atlas serve-git` serves this repository at `host:port`: reuses a
 * running one with that URL, otherwise (after stopping one with another URL) starts one,
 * records pid and state under `.data/atlas/`, and waits until `git ls-remote` answers.
 *
 * @returns the clone URL.
 * @public
 */
export async function ensureDetachedGitServer(
  env: AtlasEnvironment,
  options: { host: string; port: number },
): Promise<{ url: string; pid: number; reused: boolean }> {
  const { dataDir, repoRoot } = env.paths;
  const files = gitServerFiles(dataDir);
  const url = gitServerUrl(options.host, options.port);

  const previous = readGitServerState(dataDir);
  if (previous) {
    if (await isGitServerProcess(env, previous.pid)) {
      if (previous.url === url) {
        env.output.info(
          `  git server already running (pid ${previous.pid}) at ${url}`,
        );
        await waitUntilServing(env, url, files.logFile, previous.pid);
        return { url, pid: previous.pid, reused: true };
      }
      env.output.info(
        `  stopping the git server at ${previous.url ?? '?'} (pid ${
          previous.pid
        })`,
      );
      await stopProcess(env, previous.pid);
    }
    forgetGitServer(dataDir);
  }

  fs.mkdirSync(dataDir, { recursive: true });
  const { pid } = await env.runner.spawnDetached(
    env.self.command,
    [
      ...env.self.args,
      'serve-git',
      '--repo',
      repoRoot,
      '--host',
      options.host,
      '--port',
      String(options.port),
    ],
    { cwd: repoRoot, logFile: files.logFile },
  );
  fs.writeFileSync(files.pidFile, `${pid}\n`);
  const state: GitServerState = {
    pid,
    url,
    host: options.host,
    port: options.port,
    repo: repoRoot,
    startedAt: new Date(env.clock.now()).toISOString(),
  };
  fs.writeFileSync(files.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  env.output.info(
    `  started the git server (pid ${pid}), log: ${path.relative(
      repoRoot,
      files.logFile,
    )}`,
  );
  await waitUntilServing(env, url, files.logFile, pid);
  return { url, pid, reused: false };
}

async function waitUntilServing(
  env: AtlasEnvironment,
  url: string,
  logFile: string,
  pid: number,
) {
  const attempts = 20;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (!env.processes.isAlive(pid)) {
      last = `the server process ${pid} exited`;
      break;
    }
    const result = await env.runner.run('git', ['ls-remote', url, 'HEAD'], {
      env: { GIT_TERMINAL_PROMPT: '0' },
    });
    if (result.code === 0) return;
    last = result.stderr.trim();
    if (attempt < attempts) await env.clock.sleep(500);
  }
  const log = fs.existsSync(logFile)
    ? lastLines(fs.readFileSync(logFile, 'utf8'), 10)
    : '';
  throw new Error(
    `the git server does not answer at ${url} (${last || 'no answer'})${
      log ? `\n  its log (${logFile}):\n${log}` : ''
    }\n  If the address is not on this host (Docker Desktop), pass --git-url with a repository the cluster can reach.`,
  );
}

async function stopProcess(
  env: AtlasEnvironment,
  pid: number,
): Promise<boolean> {
  env.processes.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50; i++) {
    if (!env.processes.isAlive(pid)) return true;
    await env.clock.sleep(100);
  }
  return !env.processes.isAlive(pid);
}

/**
 * Stops the git server `up` started (pid file under `.data/atlas/`), if it runs.
 *
 * @returns a sentence saying what happened.
 * @public
 */
export async function stopGitServer(
  env: AtlasEnvironment,
): Promise<{ ok: boolean; message: string }> {
  const { dataDir } = env.paths;
  const state = readGitServerState(dataDir);
  if (!state) {
    return { ok: true, message: 'No git server recorded (nothing to stop).' };
  }
  if (!(await isGitServerProcess(env, state.pid))) {
    forgetGitServer(dataDir);
    return {
      ok: true,
      message: `The git server (pid ${state.pid}) was no longer running; removed its pid file.`,
    };
  }
  const stopped = await stopProcess(env, state.pid);
  if (!stopped) {
    return {
      ok: false,
      message: `The git server (pid ${state.pid}) did not stop after SIGTERM; stop it with \`kill -9 ${state.pid}\`.`,
    };
  }
  forgetGitServer(dataDir);
  return { ok: true, message: `Stopped the git server (pid ${state.pid}).` };
}
