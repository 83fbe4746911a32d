import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestEnvironment } from './__testUtils__/testEnvironment';
import {
  ensureDetachedGitServer,
  readGitServerState,
  stopGitServer,
} from './gitServerProcess';

describe('detached git server bookkeeping', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-gsp-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('restarts a running server that serves another address', async () => {
    const t = createTestEnvironment({
      repoRoot: root,
      handler: (command, args) =>
        command === 'ps'
          ? { stdout: `node bin/atlas serve-git --port ${args[3]}` }
          : undefined,
    });
    const first = await ensureDetachedGitServer(t.env, {
      host: '172.18.0.1',
      port: 8470,
    });
    expect(first).toEqual({
      url: 'http://172.18.0.1:8470/mini-atlas.git',
      pid: 4242,
      reused: false,
    });

    const second = await ensureDetachedGitServer(t.env, {
      host: '172.19.0.1',
      port: 8470,
    });

    expect(second).toEqual({
      url: 'http://172.19.0.1:8470/mini-atlas.git',
      pid: 4243,
      reused: false,
    });
    expect(t.killed).toEqual([{ pid: 4242, signal: 'SIGTERM' }]);
    expect(readGitServerState(t.env.paths.dataDir)).toMatchObject({
      pid: 4243,
      url: 'http://172.19.0.1:8470/mini-atlas.git',
    });
    expect(t.stdout()).toContain(
      'stopping the git server at http://172.18.0.1:8470/mini-atlas.git (pid 4242)',
    );
  });

  it('fails fast with the log when the server process exits at once', async () => {
    const t = createTestEnvironment({
      repoRoot: root,
      handler: command =>
        command === 'git'
          ? { code: 128, stderr: 'fatal: unable to access' }
          : undefined,
    });
    const spawn = t.env.runner.spawnDetached;
    t.env.runner.spawnDetached = async (...args) => {
      const started = await spawn(...args);
      t.alive.delete(started.pid);
      fs.writeFileSync(
        args[2].logFile,
        'Cannot serve git: listen EADDRINUSE: address already in use 172.18.0.1:8470\n',
      );
      return started;
    };

    await expect(
      ensureDetachedGitServer(t.env, { host: '172.18.0.1', port: 8470 }),
    ).rejects.toThrow(/the server process 4242 exited[\s\S]*EADDRINUSE/);
    expect(
      t.plan().filter(line => line.startsWith('git ls-remote')),
    ).toHaveLength(0);
  });

  it('reports a server that does not stop', async () => {
    const t = createTestEnvironment({
      repoRoot: root,
      handler: command =>
        command === 'ps' ? { stdout: 'node bin/atlas serve-git' } : undefined,
    });
    await ensureDetachedGitServer(t.env, { host: '127.0.0.1', port: 8470 });
    t.env.processes.kill = () => {};

    const result = await stopGitServer(t.env);

    expect(result).toEqual({
      ok: false,
      message:
        'The git server (pid 4242) did not stop after SIGTERM; stop it with `kill -9 4242`.',
    });
    expect(readGitServerState(t.env.paths.dataDir)?.pid).toBe(4242);
  });
});
