import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { RunningGitServer, startGitServer } from './gitServer';

const exec = promisify(execFile);

async function git(cwd: string, ...args: string[]) {
  return exec('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_TERMINAL_PROMPT: '0',
    },
  });
}

/** Like `git`, but resolves with the exit code and output instead of throwing. */
async function gitResult(cwd: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await git(cwd, ...args);
    return { code: 0, stdout, stderr };
  } catch (error: any) {
    return {
      code: error.code as number,
      stdout: error.stdout as string,
      stderr: error.stderr as string,
    };
  }
}

describe('startGitServer', () => {
  let tmp: string;
  let repo: string;
  let server: RunningGitServer | undefined;
  const log: string[] = [];

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-git-'));
    repo = path.join(tmp, 'work');
    fs.mkdirSync(path.join(repo, 'gitops', 'clusters'), { recursive: true });
    fs.writeFileSync(
      path.join(repo, 'gitops', 'clusters', 'README.md'),
      'hello flux\n',
    );
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '.');
    await git(repo, 'commit', '-q', '-m', 'first');
    log.length = 0;
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it.each(['0', '1', '2'])(
    'serves a working tree to `git clone` with protocol version %s',
    async version => {
      server = await startGitServer({
        repo,
        host: '127.0.0.1',
        port: 0,
        log: l => log.push(l),
      });
      expect(server.url).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/mini-atlas\.git$/,
      );

      const dest = path.join(tmp, `clone-v${version}`);
      await git(
        tmp,
        '-c',
        `protocol.version=${version}`,
        'clone',
        '-q',
        server.url,
        dest,
      );

      expect(
        fs.readFileSync(
          path.join(dest, 'gitops', 'clusters', 'README.md'),
          'utf8',
        ),
      ).toBe('hello flux\n');
      const { stdout } = await git(dest, 'log', '--format=%s');
      expect(stdout.trim()).toBe('first');
      expect(
        log.some(l => l.startsWith('POST /mini-atlas.git/git-upload-pack 200')),
      ).toBe(true);
    },
  );

  it('serves shallow clones (Flux clones with depth 1) and ls-remote', async () => {
    await git(repo, 'commit', '-q', '--allow-empty', '-m', 'second');
    server = await startGitServer({ repo, host: '127.0.0.1', port: 0 });

    const dest = path.join(tmp, 'shallow');
    await git(
      tmp,
      'clone',
      '-q',
      '--depth',
      '1',
      '--branch',
      'main',
      server.url,
      dest,
    );
    const { stdout: count } = await git(dest, 'rev-list', '--count', 'HEAD');
    expect(count.trim()).toBe('1');

    const { stdout: head } = await git(repo, 'rev-parse', 'HEAD');
    const { stdout: remote } = await git(
      tmp,
      'ls-remote',
      server.url,
      'refs/heads/main',
    );
    expect(remote).toBe(`${head.trim()}\trefs/heads/main\n`);
  });

  it('serves a bare repository', async () => {
    const bare = path.join(tmp, 'bare.git');
    await git(tmp, 'clone', '-q', '--bare', repo, bare);
    server = await startGitServer({ repo: bare, host: '127.0.0.1', port: 0 });

    const dest = path.join(tmp, 'from-bare');
    await git(tmp, 'clone', '-q', server.url, dest);
    expect(
      fs.existsSync(path.join(dest, 'gitops', 'clusters', 'README.md')),
    ).toBe(true);
  });

  it('refuses a push with 403 and leaves the repository unchanged', async () => {
    server = await startGitServer({
      repo,
      host: '127.0.0.1',
      port: 0,
      log: l => log.push(l),
    });
    const dest = path.join(tmp, 'pusher');
    await git(tmp, 'clone', '-q', server.url, dest);
    await git(dest, 'commit', '-q', '--allow-empty', '-m', 'should not arrive');
    const { stdout: before } = await git(repo, 'rev-parse', 'HEAD');

    const push = await gitResult(
      dest,
      'push',
      'origin',
      'HEAD:refs/heads/pushed',
    );

    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/403/);
    expect(log).toContain(
      'GET /mini-atlas.git/info/refs?service=git-receive-pack 403',
    );
    const { stdout: after } = await git(repo, 'rev-parse', 'HEAD');
    expect(after).toBe(before);
    const branches = await git(repo, 'branch', '--list', 'pushed');
    expect(branches.stdout).toBe('');
  });

  it('answers 404 outside the repository path and for files that are not git objects', async () => {
    server = await startGitServer({
      repo,
      host: '127.0.0.1',
      port: 0,
      log: l => log.push(l),
    });
    const base = server.url.replace(/\/mini-atlas\.git$/, '');

    const other = await gitResult(tmp, 'ls-remote', `${base}/other.git`);
    expect(other.code).not.toBe(0);
    expect(log).toContain(
      'GET /other.git/info/refs?service=git-upload-pack 404',
    );

    const config = await gitResult(tmp, 'ls-remote', `${server.url}/../config`);
    expect(config.code).not.toBe(0);
  });

  it('explains a repository that is not one', async () => {
    await expect(
      startGitServer({
        repo: path.join(tmp, 'nothing-here'),
        host: '127.0.0.1',
        port: 0,
      }),
    ).rejects.toThrow(/is not a git repository/);
  });
});
