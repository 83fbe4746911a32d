import fs from 'node:fs/promises';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createTempGitopsRepo,
  type TempGitopsRepo,
} from '@mini-atlas/plugin-atlas-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { parse } from 'yaml';
import { gitopsDir, repoRoot, users } from './__testUtils__/wizardTestEnv';
import { writeTemplates } from './templates/generateTemplates';
import { scaffolderModuleAtlas } from './module';

jest.setTimeout(120_000);

const groups: Entity[] = ['platform-team', 'team-a', 'team-b'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
}));

async function readTemplates(dir: string): Promise<Record<string, any>> {
  const out: Record<string, any> = {};
  for (const name of await fs.readdir(path.join(dir, 'templates'))) {
    const template = parse(
      await fs.readFile(
        path.join(dir, 'templates', name, 'template.yaml'),
        'utf8',
      ),
    );
    template.metadata.namespace = 'default';
    out[name] = template;
  }
  return out;
}

/** The portal's scaffolder with the atlas module, on a temporary copy of the platform. */
async function startScaffolder(repo: TempGitopsRepo, templatesDir: string) {
  const templates = await readTemplates(templatesDir);
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleAtlas,
      catalogServiceMock.factory({
        entities: [
          ...groups,
          users.guest.entity,
          users.bob.entity,
          ...Object.values(templates),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          atlas: { gitops: { repository: repo.dir, watch: false } },
        },
      }),
    ],
  });
  return { server, templates };
}

const asGuest = {
  Authorization: mockCredentials.user.header('user:default/guest'),
};

async function runTask(
  server: any,
  templateRef: string,
  values: Record<string, unknown>,
) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set(asGuest)
    .send({ templateRef, values });
  expect(created.status).toBe(201);
  for (;;) {
    const task = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
      .set(asGuest);
    if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
      return task.body;
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

async function taskError(server: any, taskId: string) {
  const events = await request(server)
    .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
    .set(asGuest);
  return events.body
    .map((e: any) => e.body?.error?.message ?? '')
    .filter(Boolean)
    .join('\n');
}

describe('the wizards through the real scaffolder', () => {
  let repo: TempGitopsRepo;
  let server: any;
  let templates: Record<string, any>;

  beforeAll(async () => {
    repo = await createTempGitopsRepo(gitopsDir, {
      prefix: 'atlas-scaffolder-',
    });
    ({ server, templates } = await startScaffolder(repo, repoRoot));
  });

  afterAll(async () => {
    await repo.remove();
  });

  const values: Record<string, Record<string, unknown>> = {
    workspace: {
      workspace: 'team-d',
      owner: 'group:default/team-a',
      spec: { description: 'Dry run', quota: { pods: 40 } },
    },
    topic: {
      workspace: 'team-a',
      name: 'clicks',
      owner: 'group:default/team-a',
      spec: { partitions: 6 },
    },
    infrastructure: {
      workspace: 'team-a',
      name: 'ledger',
      owner: 'group:default/team-a',
      spec: { database: { instances: 2 }, redis: { enabled: false } },
    },
    webapplication: {
      workspace: 'team-a',
      name: 'shop',
      owner: 'group:default/team-a',
      spec: {
        image: 'nginx',
        tag: '1.29',
        database: 'team-a-data',
        topics: ['team-a-orders'],
      },
    },
  };
  const expectedFiles: Record<string, string[]> = {
    workspace: [
      'gitops/workspaces/kustomization.yaml',
      'gitops/workspaces/team-d/kustomization.yaml',
      'gitops/workspaces/team-d/workspace.yaml',
    ],
    topic: [
      'gitops/workspaces/team-a/kustomization.yaml',
      'gitops/workspaces/team-a/topic-clicks.yaml',
    ],
    infrastructure: [
      'gitops/workspaces/team-a/infrastructure-ledger.yaml',
      'gitops/workspaces/team-a/kustomization.yaml',
    ],
    webapplication: [
      'gitops/workspaces/team-a/kustomization.yaml',
      'gitops/workspaces/team-a/webapplication-shop.yaml',
    ],
  };
  const expectedPreview: Record<string, string[]> = {
    workspace: ['Namespace team-d', 'ResourceQuota team-d-quota'],
    topic: ['KafkaTopic team-a-clicks'],
    infrastructure: ['Cluster team-a-ledger-pg'],
    webapplication: ['Deployment team-a-shop', 'Ingress team-a-shop'],
  };

  it.each(['workspace', 'topic', 'infrastructure', 'webapplication'])(
    'dry-runs the %s template to its files and preview, committing nothing',
    async name => {
      const head = await repo.git('rev-parse', 'HEAD');
      const response = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set(asGuest)
        .send({
          template: templates[name],
          values: values[name],
          secrets: {},
          directoryContents: [],
        });
      expect(response.status).toBe(200);
      expect(response.body.steps.map((s: any) => s.id)).toEqual([
        'render',
        'publish',
      ]);
      const files = Object.fromEntries(
        response.body.directoryContents.map((f: any) => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ]),
      );
      expect(Object.keys(files).sort()).toEqual(expectedFiles[name]);
      const instance = parse(
        files[
          expectedFiles[name].find(f => !f.endsWith('kustomization.yaml'))!
        ],
      );
      expect(instance.kind).toBe(templates[name].spec.steps[0].input.kind);
      expect(instance.metadata.labels).toEqual({
        'mini-atlas.io/owner': 'team-a',
      });
      const [published, preview] = response.body.output.text;
      expect(published.content).toMatch(
        /^Dry run: .* nothing was committed\.$/,
      );
      for (const object of expectedPreview[name]) {
        const [kind, objectName] = object.split(' ');
        expect(preview.content).toMatch(
          new RegExp(`\\| \\S+ ${kind} \\| ${objectName} \\|`),
        );
      }
      expect(await repo.git('rev-parse', 'HEAD')).toBe(head);
      expect(await repo.git('status', '--porcelain')).toBe('');
    },
  );

  it('runs the Workspace wizard to a commit by the user', async () => {
    const task = await runTask(server, 'template:default/atlas-workspace', {
      workspace: 'team-e',
      owner: 'group:default/team-a',
      spec: {
        description: 'Team E',
        quota: { cpu: '2', memory: '4Gi', pods: 20 },
      },
    });
    expect(task.status).toBe('completed');
    expect(
      (await repo.git('log', '-1', '--format=%an <%ae>|%s|%b')).trim(),
    ).toMatch(
      /^Guest <guest@example.com>\|team-e: add Workspace team-e\|Requested by user:default\/guest/,
    );
    expect(
      parse(
        await repo.git('show', 'HEAD:gitops/workspaces/team-e/workspace.yaml'),
      ),
    ).toEqual({
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Workspace',
      metadata: { name: 'team-e', labels: { 'mini-atlas.io/owner': 'team-a' } },
      spec: {
        owner: 'team-a',
        description: 'Team E',
        quota: { cpu: '2', memory: '4Gi', pods: 20 },
      },
    });
    expect(await repo.git('status', '--porcelain')).toBe('');
  });

  it('fails a wizard run with bad input before anything is committed', async () => {
    const head = await repo.git('rev-parse', 'HEAD');
    const task = await runTask(server, 'template:default/atlas-topic', {
      workspace: 'team-a',
      name: 'orders',
      owner: 'group:default/team-a',
      spec: { partitions: 3 },
    });
    expect(task.status).toBe('failed');
    expect(await taskError(server, task.id)).toMatch(
      /already taken in workspace team-a by Topic team-a-orders/,
    );
    expect(await repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(await repo.git('status', '--porcelain')).toBe('');
  });

  it('20 concurrent wizard runs make 20 commits and leave the repository clean', async () => {
    const head = (await repo.git('rev-parse', 'HEAD')).trim();
    const tasks = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runTask(server, 'template:default/atlas-topic', {
          workspace: 'team-a',
          name: `burst-${i}`,
          owner: 'group:default/team-a',
          spec: { partitions: 1 + (i % 12) },
        }),
      ),
    );
    expect(tasks.map(t => t.status)).toEqual(Array(20).fill('completed'));
    expect(
      (await repo.git('rev-list', '--count', `${head}..HEAD`)).trim(),
    ).toBe('20');
    const kustomization = parse(
      await repo.git(
        'show',
        'HEAD:gitops/workspaces/team-a/kustomization.yaml',
      ),
    );
    for (let i = 0; i < 20; i++) {
      expect(kustomization.resources).toContain(`topic-burst-${i}.yaml`);
    }
    expect(await repo.git('status', '--porcelain')).toBe('');
    expect(await repo.git('fsck', '--strict')).toBe('');
  });
});

describe('a fifth RGD through the real scaffolder', () => {
  it('yields a working wizard with no new code', async () => {
    const repo = await createTempGitopsRepo(gitopsDir, {
      prefix: 'atlas-fifth-',
    });
    try {
      // what a platform team does: add the RGD, list it, run `yarn templates`
      await fs.copyFile(
        path.resolve(__dirname, '__fixtures__/scheduledjob-rgd.yaml'),
        path.join(repo.dir, 'gitops/foundation/rgds/scheduledjob.yaml'),
      );
      await fs.cp(
        path.join(repoRoot, 'templates'),
        path.join(repo.dir, 'templates'),
        {
          recursive: true,
        },
      );
      await writeTemplates({ repoRoot: repo.dir });
      await repo.git('add', '.');
      await repo.git('commit', '-q', '-m', 'Add the ScheduledJob abstraction');

      const { server, templates } = await startScaffolder(repo, repo.dir);
      expect(Object.keys(templates).sort()).toEqual([
        'infrastructure',
        'scheduledjob',
        'topic',
        'webapplication',
        'workspace',
      ]);
      const dryRun = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set(asGuest)
        .send({
          template: templates.scheduledjob,
          values: {
            workspace: 'team-a',
            name: 'nightly',
            owner: 'group:default/team-a',
            spec: { image: 'busybox:1.37', schedule: '30 2 * * *' },
          },
          secrets: {},
          directoryContents: [],
        });
      expect(dryRun.status).toBe(200);
      const files = dryRun.body.directoryContents
        .map((f: any) => f.path)
        .sort();
      expect(files).toEqual([
        'gitops/workspaces/team-a/kustomization.yaml',
        'gitops/workspaces/team-a/scheduledjob-nightly.yaml',
      ]);
      expect(dryRun.body.output.text[1].content).toContain(
        '| cronJob | batch/v1 CronJob | team-a-nightly | team-a |',
      );

      const task = await runTask(
        server,
        'template:default/atlas-scheduledjob',
        {
          workspace: 'team-a',
          name: 'nightly',
          owner: 'group:default/team-a',
          spec: { image: 'busybox:1.37' },
        },
      );
      expect(task.status).toBe('completed');
      expect(
        parse(
          await repo.git(
            'show',
            'HEAD:gitops/workspaces/team-a/scheduledjob-nightly.yaml',
          ),
        ),
      ).toMatchObject({
        apiVersion: 'platform.mini-atlas.io/v1alpha1',
        kind: 'ScheduledJob',
        metadata: { name: 'team-a-nightly', namespace: 'team-a' },
      });
    } finally {
      await repo.remove();
    }
  });
});
