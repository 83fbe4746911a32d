import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FakeHandler,
  createTestEnvironment,
} from '../__testUtils__/testEnvironment';
import { ExitCode } from '../exitCodes';
import { downCommand } from './down';

const tools: Record<string, string> = {
  'docker --version': 'Docker version 28.3.3, build 980b856',
  'docker info --format {{.ServerVersion}}': '28.3.3',
  'kind version': 'kind v0.32.0 go1.25.1 linux/amd64',
};

function handler(options: {
  clusters?: string;
  missingKind?: boolean;
  failDelete?: boolean;
  ps?: string;
}): FakeHandler {
  return (command, args) => {
    const line = [command, ...args].join(' ');
    if (options.missingKind && command === 'kind') return { code: 127 };
    if (tools[line]) return { stdout: `${tools[line]}\n` };
    if (line === 'kind get clusters') return { stdout: options.clusters ?? '' };
    if (line.startsWith('kind delete cluster') && options.failDelete) {
      return {
        code: 1,
        stderr:
          'ERROR: failed to delete cluster "mini-atlas": permission denied\n',
      };
    }
    if (line.startsWith('ps -o command= -p'))
      return { stdout: options.ps ?? '' };
    return undefined;
  };
}

describe('downCommand', () => {
  let root: string;
  let dataDir: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-down-'));
    dataDir = path.join(root, '.data', 'atlas');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function recordServer(pid: number) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'git-server.pid'), `${pid}\n`);
    fs.writeFileSync(
      path.join(dataDir, 'git-server.json'),
      JSON.stringify({ pid, url: 'http://172.18.0.1:8470/mini-atlas.git' }),
    );
  }

  it('deletes the cluster and stops the git server up started', async () => {
    recordServer(5150);
    const t = createTestEnvironment({
      repoRoot: root,
      handler: handler({
        clusters: 'mini-atlas\n',
        ps: `/usr/bin/node ${root}/packages/cli/bin/atlas serve-git --repo ${root} --host 172.18.0.1 --port 8470\n`,
      }),
    });
    t.alive.add(5150);

    const code = await downCommand(t.env, { name: 'mini-atlas' });

    expect(code).toBe(ExitCode.Ok);
    expect(t.plan()).toEqual([
      'docker --version',
      'docker info --format {{.ServerVersion}}',
      'kind version',
      'kind get clusters',
      'kind delete cluster --name mini-atlas',
      'ps -o command= -p 5150',
    ]);
    expect(t.killed).toEqual([{ pid: 5150, signal: 'SIGTERM' }]);
    expect(fs.existsSync(path.join(dataDir, 'git-server.pid'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'git-server.json'))).toBe(false);
    expect(t.stdout()).toContain('deleted the Kind cluster "mini-atlas"');
    expect(t.stdout()).toContain('Stopped the git server (pid 5150).');
  });

  it('is a no-op when there is neither cluster nor server', async () => {
    const t = createTestEnvironment({
      repoRoot: root,
      handler: handler({ clusters: 'other\n' }),
    });

    expect(await downCommand(t.env, { name: 'mini-atlas' })).toBe(ExitCode.Ok);
    expect(t.plan()).not.toContain('kind delete cluster --name mini-atlas');
    expect(t.stdout()).toContain(
      'no Kind cluster named "mini-atlas"; nothing to delete',
    );
    expect(t.stdout()).toContain('No git server recorded (nothing to stop).');
  });

  it('never kills a pid that is no longer the git server', async () => {
    recordServer(5150);
    const t = createTestEnvironment({
      repoRoot: root,
      handler: handler({ clusters: '', ps: '/usr/lib/firefox/firefox\n' }),
    });
    t.alive.add(5150);

    expect(await downCommand(t.env, { name: 'mini-atlas' })).toBe(ExitCode.Ok);
    expect(t.killed).toEqual([]);
    expect(t.stdout()).toContain(
      'The git server (pid 5150) was no longer running; removed its pid file.',
    );
    expect(fs.existsSync(path.join(dataDir, 'git-server.pid'))).toBe(false);
  });

  it('still stops the git server when kind is missing, and exits MissingPrerequisites', async () => {
    recordServer(5150);
    const t = createTestEnvironment({
      repoRoot: root,
      handler: handler({
        missingKind: true,
        ps: 'node bin/atlas serve-git --port 8470',
      }),
    });
    t.alive.add(5150);

    expect(await downCommand(t.env, { name: 'mini-atlas' })).toBe(
      ExitCode.MissingPrerequisites,
    );
    expect(t.plan().some(line => line.startsWith('kind get'))).toBe(false);
    expect(t.stderr()).toMatch(/MISSING +kind +kind was not found on PATH/);
    expect(t.stderr()).toContain('The cluster was not deleted.');
    expect(t.killed).toEqual([{ pid: 5150, signal: 'SIGTERM' }]);
  });

  it('reports a failing delete and exits Failed', async () => {
    const t = createTestEnvironment({
      repoRoot: root,
      handler: handler({ clusters: 'mini-atlas', failDelete: true }),
    });

    expect(await downCommand(t.env, { name: 'mini-atlas' })).toBe(
      ExitCode.Failed,
    );
    expect(t.stderr()).toContain(
      '`kind delete cluster --name mini-atlas` exited with code 1:\n    ERROR: failed to delete cluster "mini-atlas": permission denied',
    );
  });
});
