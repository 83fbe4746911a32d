import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const bin = path.resolve(__dirname, '..', 'bin', 'atlas');
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

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
});
