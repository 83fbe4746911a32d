/* eslint-disable no-console */
/* eslint-disable @backstage/no-undeclared-imports */
// The benchmark of the catalog provider (`yarn bench:catalog`); not part of the library. It
// prints its results, which docs/benchmarks.md records.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  resolvePackagePath,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  createGitopsService,
  createGitWriter,
  createTempGitopsRepo,
  gitopsServiceRef,
} from '@mini-atlas/plugin-atlas-node';
import { catalogModuleAtlas } from '../module';
import { EntityBuilder } from '../provider/buildEntities';
import { createSourceLinks } from '../provider/sourceLinks';

const GITOPS_DIR = resolvePackagePath(
  '@mini-atlas/plugin-catalog-backend-module-atlas',
  '../../gitops',
);

interface Options {
  /** Instances in total, workspaces included. */
  instances: number;
  /** Instances per workspace, the Workspace included. */
  perWorkspace: number;
  /** Wizard commits to time. */
  commits: number;
  /** Edits by hand (no notification, only the folder watch) to time. */
  edits: number;
  /** SQLite in memory (as the tests), or in files (as `yarn dev`). */
  /** SQLite in memory or in files, or the PostgreSQL server of the POSTGRES_* variables. */
  database: 'memory' | 'file' | 'postgres';
  /** Owner Groups; workspace n is owned by team-(n mod groups). */
  groups: number;
}

function instance(
  kind: string,
  name: string,
  namespace: string | undefined,
  owner: string,
  spec: string[],
): string {
  return [
    'apiVersion: platform.mini-atlas.io/v1alpha1',
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    '  labels:',
    `    mini-atlas.io/owner: ${owner}`,
    ...(spec.length ? ['spec:', ...spec.map(l => `  ${l}`)] : ['spec: {}']),
    '',
  ].join('\n');
}

/**
 * Writes `instances` instances: workspaces `bench-<n>`, each with web applications that use a
 * database and two topics of their workspace, infrastructures (every other one with a cache)
 * and topics. Returns the number of catalog entities they make.
 */
async function generate(
  gitopsDir: string,
  options: Pick<Options, 'instances' | 'perWorkspace' | 'groups'>,
) {
  const workspaces = Math.ceil(options.instances / options.perWorkspace);
  let written = 0;
  let entities = 0;
  const list: string[] = [];
  for (let w = 0; w < workspaces && written < options.instances; w++) {
    const ws = `bench-${w}`;
    const owner = `team-${w % options.groups}`;
    const dir = path.join(gitopsDir, 'workspaces', ws);
    await fs.mkdir(dir, { recursive: true });
    const files: Array<[string, string]> = [
      [
        'workspace.yaml',
        instance('Workspace', ws, undefined, owner, [`owner: ${owner}`]),
      ],
    ];
    entities += 1;
    const requests = Math.min(
      options.perWorkspace - 1,
      options.instances - written - 1,
    );
    // instances i of kind i % 3, number i / 3: how many of each
    const datas = Math.max(1, Math.floor((requests + 1) / 3));
    const topics = Math.max(1, Math.floor(requests / 3));
    for (let i = 0; i < requests; i++) {
      const group = i % 3;
      const n = Math.floor(i / 3);
      if (group === 0) {
        files.push([
          `webapplication-web${n}.yaml`,
          instance('WebApplication', `${ws}-web${n}`, ws, owner, [
            'image: ghcr.io/stefanprodan/podinfo',
            `database: ${ws}-data${n % datas}`,
            `topics: [${ws}-events${n % topics}, ${ws}-events${
              (n + 1) % topics
            }]`,
          ]),
        ]);
        entities += 1;
      } else if (group === 1) {
        const cache = n % 2 === 0;
        files.push([
          `infrastructure-data${n}.yaml`,
          instance('Infrastructure', `${ws}-data${n}`, ws, owner, [
            `redis: {enabled: ${cache}}`,
          ]),
        ]);
        entities += cache ? 2 : 1;
      } else {
        files.push([
          `topic-events${n}.yaml`,
          instance('Topic', `${ws}-events${n}`, ws, owner, ['partitions: 3']),
        ]);
        entities += 1;
      }
    }
    for (const [file, content] of files)
      await fs.writeFile(path.join(dir, file), content);
    await fs.writeFile(
      path.join(dir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${files
        .filter(([f]) => f !== 'workspace.yaml')
        .map(([f]) => `  - ${f}`)
        .join('\n')}\n`,
    );
    list.push(`${ws}/workspace.yaml`);
    written += files.length;
  }
  await fs.writeFile(
    path.join(gitopsDir, 'workspaces', 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${list
      .map(f => `  - ${f}`)
      .join('\n')}\n`,
  );
  return { instances: written, workspaces, entities };
}

function orgYaml(groups: number): string {
  return [
    'platform-team',
    ...Array.from({ length: groups }, (_, i) => `team-${i}`),
  ]
    .map(
      name =>
        `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: ${name}}\nspec: {type: team, children: []}\n`,
    )
    .join('---\n');
}

function client(backend: TestBackend) {
  const base = `http://localhost:${backend.server.port()}/api/catalog`;
  const headers = { authorization: mockCredentials.user.header() };
  return {
    async count(filter: string): Promise<number> {
      const response = await fetch(
        `${base}/entities/by-query?limit=1&filter=${encodeURIComponent(
          filter,
        )}`,
        { headers },
      );
      if (!response.ok) throw new Error(`count: ${response.status}`);
      return (await response.json()).totalItems;
    },
    async exists(kind: string, name: string): Promise<boolean> {
      const response = await fetch(
        `${base}/entities/by-name/${kind}/default/${name}`,
        { headers },
      );
      return response.ok;
    },
  };
}

async function until(
  check: () => Promise<boolean>,
  intervalMs: number,
  timeoutMs: number,
  what: string,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/** A root logger that keeps the provider's timings and prints warnings and errors. */
function recordingLogger(records: Array<{ message: string; meta: any }>) {
  const logger: LoggerService = {
    info(message, meta) {
      records.push({ message, meta });
    },
    debug() {},
    warn(message, meta) {
      console.warn(`warning: ${message}`, meta ?? '');
    },
    error(message, meta) {
      console.error(`error: ${message}`, meta ?? '');
    },
    child: () => logger,
  };
  return logger;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${seconds(at(0.5))}, p90 ${seconds(at(0.9))}, max ${seconds(
    sorted[sorted.length - 1],
  )} (n=${values.length})`;
}

/** Runs the benchmark and prints its results. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const arg = (name: string, fallback: number) => {
    const found = argv.find(a => a.startsWith(`--${name}=`));
    return found ? Number(found.split('=')[1]) : fallback;
  };
  const databaseConfig = (database: Options['database'], dir: string) => {
    if (database === 'postgres') {
      // as app-config.production.yaml; a database per run so runs do not see each other's rows
      return {
        client: 'pg',
        connection: {
          host: process.env.POSTGRES_HOST ?? '127.0.0.1',
          port: Number(process.env.POSTGRES_PORT ?? 5432),
          user: process.env.POSTGRES_USER ?? 'postgres',
          password: process.env.POSTGRES_PASSWORD ?? '',
        },
        prefix: `atlas_bench_${Date.now()}_`,
      };
    }
    return database === 'file'
      ? { client: 'better-sqlite3', connection: { directory: dir } }
      : { client: 'better-sqlite3', connection: ':memory:' };
  };
  const options: Options = {
    instances: arg('instances', 8000),
    perWorkspace: arg('per-workspace', 50),
    commits: arg('commits', 10),
    edits: arg('edits', 5),
    groups: arg('groups', 20),
    database: (['file', 'postgres'].find(d =>
      argv.includes(`--database=${d}`),
    ) ?? 'memory') as Options['database'],
  };
  const repo = await createTempGitopsRepo(GITOPS_DIR, {
    prefix: 'atlas-bench-catalog-',
  });
  const data = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-bench-db-'));
  let backend: TestBackend | undefined;
  const gitops = createGitopsService({ repoRoot: repo.dir, watch: true });
  const cleanup = async () => {
    await backend?.stop();
    gitops.close();
    await repo.remove();
    await fs.rm(data, { recursive: true, force: true });
  };
  const interrupted = () => {
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await fs.rm(path.join(repo.dir, 'gitops/workspaces'), {
      recursive: true,
    });
    const generated = await generate(path.join(repo.dir, 'gitops'), options);
    await repo.git('add', '-A');
    await repo.git('commit', '--quiet', '-m', 'benchmark workspaces');
    const orgFile = path.join(repo.dir, 'org.yaml');
    await fs.writeFile(orgFile, orgYaml(options.groups));
    console.log(
      `Generated ${generated.instances} instances in ${
        generated.workspaces
      } workspaces owned by ${options.groups} Groups (${
        generated.entities
      } catalog entities); machine: ${os.cpus().length} cores, Node ${
        process.version
      }`,
    );

    // 1. the provider's own part, cold: read every file, build every entity
    let started = Date.now();
    const probe = createGitopsService({ repoRoot: repo.dir, watch: false });
    const built = new EntityBuilder({
      links: createSourceLinks({
        repoRoot: probe.repoRoot,
        gitopsDir: probe.gitopsDir,
      }),
      lifecycle: 'production',
      fallbackOwner: 'platform-team',
    }).build(await probe.snapshot());
    probe.close();
    const buildMs = Date.now() - started;
    if (built.entities.length !== generated.entities || built.problems.length)
      throw new Error(
        `built ${built.entities.length} entities with ${
          built.problems.length
        } problems: ${JSON.stringify(built.problems.slice(0, 3))}`,
      );
    console.log(
      `Provider, cold read and build of ${
        built.entities.length
      } entities: ${seconds(buildMs)}`,
    );

    // 2. the whole ingest: backend start to every entity served by the catalog API
    const logs: Array<{ message: string; meta: any }> = [];
    const providerLog = (message: string) =>
      logs.filter(l => l.message === message).map(l => l.meta);
    started = Date.now();
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleAtlas,
        databaseServiceFactory,
        createServiceFactory({
          service: gitopsServiceRef,
          deps: {},
          factory: () => gitops,
        }),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => recordingLogger(logs),
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: databaseConfig(options.database, data),
            },
            catalog: {
              rules: [{ allow: ['Group', 'User', 'Location'] }],
              locations: [{ type: 'file', target: orgFile }],
              providers: {
                atlas: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 10 },
                    initialDelay: { hours: 1 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const startedMs = Date.now() - started;
    const catalog = client(backend);
    let lastCount = 0;
    await until(
      async () => {
        lastCount = await catalog.count(
          'metadata.labels.mini-atlas.io/workspace',
        );
        if (process.env.BENCH_TRACE)
          console.log(`${seconds(Date.now() - started)} ${lastCount}`);
        return lastCount >= generated.entities;
      },
      Number(process.env.BENCH_POLL_MS ?? 250),
      600_000,
      'every entity',
    );
    const ingestMs = Date.now() - started;
    const parts = generated.entities - generated.workspaces;
    await until(
      async () => (await catalog.count('relations.partOf')) >= parts,
      250,
      600_000,
      'every partOf relation',
    );
    const relationsMs = Date.now() - started;
    const [full] = providerLog('Replaced the platform entities');
    console.log(
      `Ingest of ${generated.instances} instances (${
        generated.entities
      } entities) into the catalog: provider read ${seconds(
        full.readMs,
      )} + build ${seconds(full.buildMs)} + full mutation written ${seconds(
        full.applyMs,
      )}; backend up in ${seconds(
        startedMs,
      )}; every entity served by the API after ${seconds(
        ingestMs,
      )}, every partOf relation after ${seconds(relationsMs)}`,
    );

    // 3. wizard commit to entity: commit as the publish action does, notify, poll the API
    const writer = createGitWriter({ repoRoot: repo.dir });
    const commitLatencies: number[] = [];
    const commitTimes: number[] = [];
    for (let i = 0; i < options.commits; i++) {
      const ws = `bench-${(i * 7) % generated.workspaces}`;
      const name = `${ws}-latency${i}`;
      const file = `workspaces/${ws}/topic-latency${i}.yaml`;
      started = Date.now();
      const committed = await writer.commit({
        message: `Topic ${name}`,
        author: { name: 'Bench', email: 'bench@example.com' },
        changes: [
          {
            path: `gitops/${file}`,
            content: instance('Topic', name, ws, 'team-0', []),
          },
          {
            path: `gitops/workspaces/${ws}/kustomization.yaml`,
            update: current => `${current ?? ''}  - topic-latency${i}.yaml\n`,
          },
        ],
      });
      commitTimes.push(Date.now() - started);
      gitops.notifyChanged(committed.files.map(f => f.slice('gitops/'.length)));
      await until(
        () => catalog.exists('resource', name),
        20,
        60_000,
        `resource ${name}`,
      );
      commitLatencies.push(Date.now() - started);
    }
    const deltas = providerLog('Updated the platform entities');
    console.log(
      `Wizard commit to entity in the catalog API, with ${
        generated.instances
      } instances loaded: ${stats(
        commitLatencies,
      )}; of which the git commit: ${stats(
        commitTimes,
      )}; the provider's delta (read, build, apply): ${stats(
        deltas.map(d => d.readMs + d.buildMs + d.applyMs),
      )}`,
    );

    // 4. an edit by hand: no notification, only the folder watch
    const editLatencies: number[] = [];
    for (let i = 0; i < options.edits; i++) {
      const ws = `bench-${(i * 11 + 3) % generated.workspaces}`;
      const name = `${ws}-byhand${i}`;
      started = Date.now();
      await fs.writeFile(
        path.join(
          repo.dir,
          'gitops',
          'workspaces',
          ws,
          `topic-byhand${i}.yaml`,
        ),
        instance('Topic', name, ws, 'team-0', []),
      );
      await until(
        () => catalog.exists('resource', name),
        20,
        60_000,
        `resource ${name}`,
      );
      editLatencies.push(Date.now() - started);
    }
    console.log(
      `Edit by hand (folder watch only) to entity in the catalog API: ${stats(
        editLatencies,
      )}`,
    );
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}
