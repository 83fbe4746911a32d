/*
 * `yarn bench:scaffolder`: render + commit latency of the wizard actions in a gitops repository
 * of 10,000 instance files, and the wall time of 20 concurrent runs. Prints a Markdown table for
 * docs/benchmarks.md. Options: --runs N (sequential runs, default 200), --files N (default 10000).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  createGitopsService,
  createTempGitopsRepo,
} from '@mini-atlas/plugin-atlas-node';
import { createPublishRequestAction } from '../src/actions/publishRequest';
import { createRenderRequestAction } from '../src/actions/renderRequest';
import { createWizardService } from '../src/services/wizardService';

const repoRoot = path.resolve(__dirname, '../../..');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, i)];
}

/** A logger that drops everything: the benchmark measures the actions, not logging. */
const quietLogger: any = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return quietLogger;
  },
};

const guest = {
  ref: 'user:default/guest',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'guest', namespace: 'default' },
    spec: {
      profile: { displayName: 'Guest', email: 'guest@example.com' },
      memberOf: ['team-a', 'platform-team'],
    },
  },
};

/** A real ActionContext as the scaffolder builds it, minus the task database. */
function context(
  workspacePath: string,
  input: Record<string, unknown>,
  outputs: Record<string, unknown>,
): ActionContext<any, any> {
  return {
    input,
    workspacePath,
    logger: quietLogger,
    output: (name: string | number | symbol, value: unknown) => {
      outputs[String(name)] = value;
    },
    checkpoint: async ({ fn }: { fn: () => Promise<any> }) => fn(),
    createTemporaryDirectory: () => fs.mkdtemp(`${workspacePath}-tmp-`),
    getInitiatorCredentials: async () => ({} as any),
    task: { id: 'bench' },
    user: guest as any,
  } as ActionContext<any, any>;
}

async function fillRepository(dir: string, files: number) {
  // workspaces bench-000.., each with `perWorkspace - 1` topics and its Workspace instance
  const perWorkspace = 100;
  const workspaces = Math.ceil(files / perWorkspace);
  const top = ['team-a/workspace.yaml'];
  let written = 0;
  for (let w = 0; w < workspaces && written < files; w++) {
    const ws = `bench-${String(w).padStart(3, '0')}`;
    const folder = path.join(dir, 'gitops/workspaces', ws);
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(
      path.join(folder, 'workspace.yaml'),
      `apiVersion: platform.mini-atlas.io/v1alpha1\nkind: Workspace\nmetadata:\n  name: ${ws}\n  labels:\n    mini-atlas.io/owner: team-a\nspec:\n  owner: team-a\n`,
    );
    written++;
    top.push(`${ws}/workspace.yaml`);
    const entries: string[] = [];
    for (let t = 1; t < perWorkspace && written < files; t++) {
      const name = `topic-${t}`;
      await fs.writeFile(
        path.join(folder, `topic-${name}.yaml`),
        `apiVersion: platform.mini-atlas.io/v1alpha1\nkind: Topic\nmetadata:\n  name: ${ws}-${name}\n  namespace: ${ws}\n  labels:\n    mini-atlas.io/owner: team-a\nspec:\n  partitions: 3\n`,
      );
      entries.push(`topic-${name}.yaml`);
      written++;
    }
    await fs.writeFile(
      path.join(folder, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${entries
        .map(e => `  - ${e}`)
        .join('\n')}\n`,
    );
  }
  await fs.writeFile(
    path.join(dir, 'gitops/workspaces/kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${top
      .map(e => `  - ${e}`)
      .join('\n')}\n`,
  );
  return written + 4; // plus team-a's workspace and three requests
}

async function main() {
  const runs = option('runs', 200);
  const files = option('files', 10_000);
  const repo = await createTempGitopsRepo(path.join(repoRoot, 'gitops'), {
    prefix: 'atlas-bench-',
  });
  const scratch = await fs.mkdtemp(
    path.join(os.tmpdir(), 'atlas-bench-tasks-'),
  );
  try {
    const instanceFiles = await fillRepository(repo.dir, files - 4);
    await repo.git('add', '-A');
    await repo.git(
      '-c',
      'gc.auto=0',
      'commit',
      '-q',
      '--no-verify',
      '-m',
      'bench: many requests',
    );
    // packed, as a real repository of this size is (and so no automatic gc runs mid-measure)
    await repo.git('gc', '--quiet');
    const gitops = createGitopsService({ repoRoot: repo.dir, watch: false });
    const wizard = createWizardService({
      gitops,
      config: mockServices.rootConfig({ data: {} }),
    });
    // where the time goes: the shared services, timed from outside
    const phases: Record<string, number[]> = { snapshot: [], commit: [] };
    const timed =
      <T>(phase: string, fn: () => Promise<T>) =>
      async () => {
        const t = process.hrtime.bigint();
        try {
          return await fn();
        } finally {
          phases[phase].push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      };
    const snapshot = gitops.snapshot.bind(gitops);
    gitops.snapshot = () => timed('snapshot', snapshot)();
    const commit = wizard.writer.commit.bind(wizard.writer);
    wizard.writer = {
      ...wizard.writer,
      commit: options => timed('commit', () => commit(options))(),
    };
    const render = createRenderRequestAction({ wizard });
    const publish = createPublishRequestAction({ wizard });
    const warmStart = Date.now();
    await gitops.snapshot();
    const warmUp = Date.now() - warmStart;

    let counter = 0;
    const wizardRun = async (workspace: string) => {
      const name = `req-${counter++}`;
      const dir = path.join(scratch, name);
      const rendered: Record<string, unknown> = {};
      await render.handler(
        context(
          dir,
          {
            kind: 'Topic',
            workspace,
            name,
            owner: 'team-a',
            spec: { partitions: 6 },
          },
          rendered,
        ),
      );
      const published: Record<string, unknown> = {};
      await publish.handler(
        context(dir, { instancePath: rendered.instancePath }, published),
      );
      return published.commit as string;
    };

    // a few runs to warm the JIT and git's caches, not measured
    for (let i = 0; i < 5; i++) await wizardRun('bench-000');

    const latencies: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = process.hrtime.bigint();
      await wizardRun(`bench-${String(1 + (i % 50)).padStart(3, '0')}`);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    const phaseLine = `| of which, p50 per call | snapshot() ${median(
      phases.snapshot,
    ).toFixed(1)} ms (${(phases.snapshot.length / (runs + 5)).toFixed(
      0,
    )} calls per run), git commit ${median(phases.commit).toFixed(1)} ms |`;

    const before = (await repo.git('rev-parse', 'HEAD')).trim();
    const started = Date.now();
    const commits = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        wizardRun(`bench-${String(60 + (i % 5)).padStart(3, '0')}`),
      ),
    );
    const concurrentWall = Date.now() - started;
    const made = Number(
      (await repo.git('rev-list', '--count', `${before}..HEAD`)).trim(),
    );
    const clean = (await repo.git('status', '--porcelain')) === '';
    const tracked = Number(
      (await repo.git('ls-files', 'gitops/workspaces')).trim().split('\n')
        .length,
    );
    gitops.close();

    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    const lines = [
      `| measure | value |`,
      `| --- | --- |`,
      `| instance files in the repository at start | ${instanceFiles} (${tracked} files under gitops/workspaces/ at the end) |`,
      `| sequential wizard runs (render + commit) | ${runs} |`,
      `| latency p50 | ${fmt(percentile(latencies, 50))} |`,
      `| latency p90 | ${fmt(percentile(latencies, 90))} |`,
      `| latency p99 | ${fmt(percentile(latencies, 99))} |`,
      `| latency max | ${fmt(latencies[latencies.length - 1])} |`,
      phaseLine,
      `| 20 concurrent runs, wall time | ${concurrentWall} ms |`,
      `| 20 concurrent runs, commits made | ${made} of 20 (${
        new Set(commits).size
      } distinct), working tree ${clean ? 'clean' : 'NOT clean'} |`,
      `| one-off start (first snapshot of the repository) | ${warmUp} ms |`,
      `| machine | ${os.cpus().length} × ${
        os.cpus()[0]?.model ?? 'cpu'
      }, Node ${process.version}, load average ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' / ')} at the end |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (made !== 20 || !clean) process.exitCode = 1;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
    await repo.remove();
  }
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exitCode = 1;
});
