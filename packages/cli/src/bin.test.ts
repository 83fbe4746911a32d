import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { promisify } from 'node:util';
import { createCapturedOutput } from './__testUtils__/testEnvironment';
import { createDefaultEnvironment } from './environment';
import {
  ensureDetachedGitServer,
  readGitServerState,
  stopGitServer,
} from './gitServerProcess';

const exec = promisify(execFile);
const bin = path.resolve(__dirname, '..', 'bin', 'atlas');
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function createRepo(tmp: string): Promise<string> {
  const repo = path.join(tmp, 'repo');
  fs.mkdirSync(repo);
  fs.writeFileSync(path.join(repo, 'README.md'), 'served\n');
  await exec('git', ['init', '-q', '-b', 'main'], { cwd: repo, env: gitEnv });
  await exec('git', ['add', '.'], { cwd: repo, env: gitEnv });
  await exec('git', ['commit', '-q', '-m', 'init'], { cwd: repo, env: gitEnv });
  return repo;
}

/** These run the real `bin/atlas` (TypeScript through Backstage's node transform). */
describe('bin/atlas', () => {
  it('prints its help', async () => {
    const { stdout } = await exec(process.execPath, [bin, '--help']);
    expect(stdout).toContain('Usage: atlas [options] [command]');
  }, 60_000);

  it('serve-git serves a repository until SIGTERM, then exits 0', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bin-'));
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, 'README.md'), 'served\n');
    await exec('git', ['init', '-q', '-b', 'main'], { cwd: repo, env: gitEnv });
    await exec('git', ['add', '.'], { cwd: repo, env: gitEnv });
    await exec('git', ['commit', '-q', '-m', 'init'], {
      cwd: repo,
      env: gitEnv,
    });

    const child = spawn(
      process.execPath,
      [bin, 'serve-git', '--repo', repo, '--host', '127.0.0.1', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let output = '';
      child.stdout.setEncoding('utf8').on('data', chunk => {
        output += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', chunk => {
        output += chunk;
      });
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /read-only at (http:\/\/\S+)/.exec(output);
          if (match) {
            clearInterval(timer);
            resolve(match[1]);
          }
        }, 50);
        child.on('exit', code => {
          clearInterval(timer);
          reject(new Error(`serve-git exited with ${code}: ${output}`));
        });
      });

      await exec('git', ['clone', '-q', url, path.join(tmp, 'clone')], {
        env: gitEnv,
      });
      expect(
        fs.readFileSync(path.join(tmp, 'clone', 'README.md'), 'utf8'),
      ).toBe('served\n');

      const exited = new Promise<number | null>(resolve =>
        child.on('exit', resolve),
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('Git server stopped.');
      expect(output).toMatch(
        /GET \/mini-atlas\.git\/info\/refs\?service=git-upload-pack 200/,
      );
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it("up's step 5 for real: starts serve-git detached, records it, and down's stop ends it", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-detached-'));
    const repo = await createRepo(tmp);
    const env = createDefaultEnvironment({ repoRoot: repo, binPath: bin });
    const captured = createCapturedOutput();
    env.output = captured.output;
    let pid: number | undefined;
    try {
      const port = await freePort();
      const started = await ensureDetachedGitServer(env, {
        host: '127.0.0.1',
        port,
      });
      pid = started.pid;
      expect(started.url).toBe(`http://127.0.0.1:${port}/mini-atlas.git`);
      expect(readGitServerState(env.paths.dataDir)).toMatchObject({
        pid,
        url: started.url,
      });

      // A second `up` finds it running and keeps it.
      const again = await ensureDetachedGitServer(env, {
        host: '127.0.0.1',
        port,
      });
      expect(again).toEqual({ url: started.url, pid, reused: true });

      await exec('git', ['clone', '-q', started.url, path.join(tmp, 'clone')], {
        env: gitEnv,
      });
      expect(
        fs.readFileSync(path.join(tmp, 'clone', 'README.md'), 'utf8'),
      ).toBe('served\n');

      const stopped = await stopGitServer(env);
      expect(stopped).toEqual({
        ok: true,
        message: `Stopped the git server (pid ${pid}).`,
      });
      expect(env.processes.isAlive(pid)).toBe(false);
      expect(
        fs.existsSync(path.join(repo, '.data', 'atlas', 'git-server.pid')),
      ).toBe(false);
      const log = fs.readFileSync(
        path.join(repo, '.data', 'atlas', 'git-server.log'),
        'utf8',
      );
      expect(log).toContain(`read-only at ${started.url}`);
      expect(log).toContain('Git server stopped.');
    } finally {
      if (pid && env.processes.isAlive(pid)) process.kill(pid, 'SIGKILL');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
