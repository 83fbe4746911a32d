import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort, waitForUrl } from './ports';
import { STATE_ENV, type E2eState } from './state';
import { startCluster } from './cluster';

const repoRoot = path.resolve(__dirname, '../..');

function git(cwd: string, ...args: string[]) {
  execFileSync('git', args, {
    cwd,
    stdio: 'pipe',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Mini-Atlas E2E',
      GIT_AUTHOR_EMAIL: 'e2e@mini-atlas.dev',
      GIT_COMMITTER_NAME: 'Mini-Atlas E2E',
      GIT_COMMITTER_EMAIL: 'e2e@mini-atlas.dev',
    },
  });
}

/**
 * Starts what the end-to-end tests drive: a Kubernetes test API server, a temporary git
 * repository holding a copy of gitops/, and the portal itself with `yarn dev` (as the README
 * runs it), configured by one extra config file to use them, on free ports.
 */
export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-e2e-'));
  const repoDir = path.join(dir, 'repo');
  fs.mkdirSync(repoDir);
  fs.cpSync(path.join(repoRoot, 'gitops'), path.join(repoDir, 'gitops'), {
    recursive: true,
  });
  git(repoDir, 'init', '--quiet', '--initial-branch=main');
  git(repoDir, 'add', '.');
  git(
    repoDir,
    'commit',
    '--quiet',
    '-m',
    'Mini-Atlas platform for the end-to-end run',
  );

  const cluster = await startCluster(dir, path.join(repoDir, 'gitops'));
  const [appPort, backendPort] = [await freePort(), await freePort()];
  const appUrl = `http://localhost:${appPort}`;
  const backendUrl = `http://localhost:${backendPort}`;
  const configFile = path.join(dir, 'app-config.e2e.yaml');
  fs.writeFileSync(
    configFile,
    stringify({
      app: { baseUrl: appUrl },
      backend: {
        baseUrl: backendUrl,
        listen: { port: backendPort },
        cors: { origin: appUrl },
        database: {
          client: 'better-sqlite3',
          connection: { directory: path.join(dir, 'sqlite') },
        },
        workingDirectory: path.join(dir, 'scaffolder'),
      },
      atlas: {
        gitops: { repository: repoDir },
        ...(cluster
          ? {
              kubernetes: {
                kubeconfig: cluster.kubeconfigFile,
                context: cluster.context,
              },
            }
          : {}),
      },
    }),
  );
  fs.mkdirSync(path.join(dir, 'scaffolder'));

  const log = fs.openSync(path.join(dir, 'portal.log'), 'a');
  const portal = spawn(
    'yarn',
    [
      'dev',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    // jest sets NODE_ENV=test; the portal must run as `yarn dev` does from a shell
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        BROWSER: 'none',
      },
    },
  );
  let alive = true;
  portal.on('exit', () => (alive = false));
  try {
    await waitForUrl(
      `${backendUrl}/.backstage/health/v1/readiness`,
      180_000,
      () => alive,
    );
    await waitForUrl(appUrl, 180_000, () => alive);
  } catch (e) {
    const tail = fs
      .readFileSync(path.join(dir, 'portal.log'), 'utf8')
      .split('\n')
      .slice(-40)
      .join('\n');
    try {
      process.kill(-portal.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await cluster.stop();
    throw new Error(
      `The portal did not start: ${
        (e as Error).message
      }\n--- end of ${dir}/portal.log ---\n${tail}`,
    );
  }

  const state: E2eState = {
    dir,
    appUrl,
    backendUrl,
    repoDir,
    kubeUrl: cluster?.url,
    portalPid: portal.pid!,
  };
  const stateFile = path.join(dir, 'state.json');
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
  process.env[STATE_ENV] = stateFile;
  (globalThis as any).__atlasE2e = { cluster };
}
