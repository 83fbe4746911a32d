import {
  clusterFixtureHandler,
  loadClusterFixture,
} from './__testUtils__/clusterFixtures';
import { createTestEnvironment } from './__testUtils__/testEnvironment';
import { ExitCode } from './exitCodes';
import { runAtlas } from './program';

describe('runAtlas', () => {
  it('prints help and exits 0', async () => {
    const t = createTestEnvironment({ repoRoot: '/repo' });
    expect(await runAtlas(['--help'], t.env)).toBe(ExitCode.Ok);
    expect(t.stdout()).toMatch(/^Usage: atlas \[options\] \[command\]/);
    for (const command of ['up', 'status', 'down', 'serve-git']) {
      expect(t.stdout()).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it.each([
    [
      ['up', '--timeout', '15x'],
      /option '--timeout <duration>' argument '15x' is invalid/,
    ],
    [
      ['up', '--git-port', 'http'],
      /option '--git-port <port>' argument 'http' is invalid/,
    ],
    [
      ['status', '-o', 'yaml'],
      /argument 'yaml' is invalid. Allowed choices are table, json/,
    ],
    [['nothing'], /unknown command 'nothing'/],
    [['validate', '--crds'], /option '--crds <dir>' argument missing/],
    [['up', '--nmae', 'x'], /unknown option '--nmae'/],
  ])('exits 2 for %j', async (args, message) => {
    const t = createTestEnvironment({ repoRoot: '/repo' });
    expect(await runAtlas(args, t.env)).toBe(ExitCode.Usage);
    expect(t.stderr()).toMatch(message);
    expect(t.plan()).toEqual([]);
  });

  it('passes status options through: context from --name, or --context, and -o json', async () => {
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: clusterFixtureHandler(loadClusterFixture('healthy-cluster')),
    });
    expect(
      await runAtlas(['status', '--name', 'dev', '-o', 'json'], t.env),
    ).toBe(ExitCode.Ok);
    expect(JSON.parse(t.stdout()).context).toBe('kind-dev');

    const t2 = createTestEnvironment({
      repoRoot: '/repo',
      handler: clusterFixtureHandler(loadClusterFixture('healthy-cluster')),
    });
    expect(await runAtlas(['status', '--context', 'staging'], t2.env)).toBe(
      ExitCode.Ok,
    );
    expect(t2.plan()[1]).toBe(
      'kubectl --context staging get --raw /readyz --request-timeout=5s',
    );
  });

  it('passes up options through (here: --git-url drops the git prerequisite)', async () => {
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: command => (command === 'docker' ? { code: 127 } : undefined),
    });
    const code = await runAtlas(
      [
        'up',
        '--name',
        'dev',
        '--git-url',
        'https://example.com/x.git',
        '--timeout',
        '1h',
      ],
      t.env,
    );
    expect(code).toBe(ExitCode.MissingPrerequisites);
    expect(t.plan()).toEqual([
      'docker --version',
      'kind version',
      'kubectl version --client',
      'helm version --short',
      'flux version --client',
    ]);
  });

  it('passes the cluster name to down', async () => {
    const t = createTestEnvironment({
      repoRoot: '/tmp/atlas-program-test-nonexistent',
      handler: (command, args) =>
        [command, ...args].join(' ') === 'kind get clusters'
          ? { stdout: 'dev\n' }
          : undefined,
    });
    expect(await runAtlas(['down', '--name', 'dev'], t.env)).toBe(ExitCode.Ok);
    expect(t.plan()).toContain('kind delete cluster --name dev');
  });
});
