import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse, parseAllDocuments } from 'yaml';
import {
  createWizardTestEnv,
  users,
  type WizardTestEnv,
} from '../__testUtils__/wizardTestEnv';
import { createRenderRequestAction } from './renderRequest';

describe('atlas:request:render', () => {
  let env: WizardTestEnv;
  const workspace = createMockDirectory();

  beforeAll(async () => {
    env = await createWizardTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(() => workspace.clear());

  const run = async (input: Record<string, unknown>, user = users.guest) => {
    const action = createRenderRequestAction({ wizard: env.wizard });
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
      user,
    });
    await action.handler(ctx as any);
    return Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls as [string, any][],
    );
  };

  it('writes a Topic and its kustomization entry and previews the KafkaTopic', async () => {
    const output = await run({
      kind: 'Topic',
      workspace: 'team-a',
      name: 'payments',
      owner: 'group:default/team-a',
      spec: { partitions: 6 },
    });
    expect(output).toMatchObject({
      kind: 'Topic',
      workspace: 'team-a',
      name: 'payments',
      objectName: 'team-a-payments',
      instancePath: 'gitops/workspaces/team-a/topic-payments.yaml',
      files: [
        'gitops/workspaces/team-a/topic-payments.yaml',
        'gitops/workspaces/team-a/kustomization.yaml',
      ],
    });
    expect(
      parse(await fs.readFile(workspace.resolve(output.instancePath), 'utf8')),
    ).toEqual({
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Topic',
      metadata: {
        name: 'team-a-payments',
        namespace: 'team-a',
        labels: { 'mini-atlas.io/owner': 'team-a' },
      },
      spec: { partitions: 6 },
    });
    expect(
      parse(
        await fs.readFile(
          workspace.resolve('gitops/workspaces/team-a/kustomization.yaml'),
          'utf8',
        ),
      ).resources,
    ).toEqual([
      'webapplication-web.yaml',
      'infrastructure-data.yaml',
      'topic-orders.yaml',
      'topic-payments.yaml',
    ]);
    expect(output.preview).toEqual([
      {
        id: 'topic',
        included: true,
        reason: null,
        unknown: [],
        objects: [
          {
            apiVersion: 'kafka.strimzi.io/v1',
            kind: 'KafkaTopic',
            metadata: {
              name: 'team-a-payments',
              namespace: 'kafka',
              labels: expect.objectContaining({
                'strimzi.io/cluster': 'bus',
                'kro.run/instance-name': 'team-a-payments',
              }),
            },
            spec: {
              partitions: 6,
              replicas: 1,
              config: { 'retention.ms': 604800000 },
            },
          },
        ],
      },
    ]);
    expect(
      parseAllDocuments(output.previewYaml).map(d => d.toJS().kind),
    ).toEqual(['KafkaTopic']);
    expect(output.previewMarkdown).toContain(
      '| topic | kafka.strimzi.io/v1 KafkaTopic | team-a-payments | kafka |',
    );
    // nothing is written to the repository itself
    expect(await env.repo.git('status', '--porcelain')).toBe('');
  });

  it('writes a Workspace with its own kustomization and previews its namespace', async () => {
    const output = await run({
      kind: 'Workspace',
      workspace: 'team-c',
      owner: 'team-a',
      spec: { quota: { pods: 50 } },
    });
    expect(output.files).toEqual([
      'gitops/workspaces/team-c/workspace.yaml',
      'gitops/workspaces/kustomization.yaml',
      'gitops/workspaces/team-c/kustomization.yaml',
    ]);
    expect(
      parse(
        await fs.readFile(
          workspace.resolve('gitops/workspaces/kustomization.yaml'),
          'utf8',
        ),
      ).resources,
    ).toEqual(['team-a/workspace.yaml', 'team-c/workspace.yaml']);
    expect(
      parse(
        await fs.readFile(
          workspace.resolve('gitops/workspaces/team-c/kustomization.yaml'),
          'utf8',
        ),
      ),
    ).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [],
    });
    const kinds = output.preview.flatMap((r: any) =>
      r.objects.map((o: any) => `${o.kind} ${o.metadata.name}`),
    );
    expect(kinds).toEqual([
      'Namespace team-c',
      'CiliumNetworkPolicy team-c-isolation',
      'ResourceQuota team-c-quota',
      'LimitRange team-c-limits',
      'Kustomization team-c-requests',
    ]);
    const quota = output.preview.find((r: any) => r.id === 'quota').objects[0];
    expect(quota.spec.hard).toMatchObject({ pods: '50' });
  });

  it('previews includeWhen: no Redis when it is disabled', async () => {
    const output = await run({
      kind: 'Infrastructure',
      workspace: 'team-a',
      name: 'cache-less',
      owner: 'team-a',
      spec: { redis: { enabled: false } },
    });
    expect(
      output.preview.map((r: any) => [r.id, r.included, r.objects.length]),
    ).toEqual([
      ['database', true, 1],
      ['redis', false, 0],
      ['redisService', false, 0],
    ]);
    expect(output.preview[1].reason).toMatch(/includeWhen/);
  });

  it('refuses a taken name with a ConflictError and an unknown workspace with an InputError', async () => {
    await expect(
      run({
        kind: 'Topic',
        workspace: 'team-a',
        name: 'orders',
        owner: 'team-a',
      }),
    ).rejects.toThrow(ConflictError);
    await expect(
      run({
        kind: 'Topic',
        workspace: 'team-x',
        name: 'orders',
        owner: 'team-a',
      }),
    ).rejects.toThrow(InputError);
    expect(await fs.readdir(workspace.path).catch(() => [])).toEqual([]);
  });

  it('refuses a user outside the workspace owner group with NotAllowedError, writing nothing', async () => {
    await expect(
      run(
        { kind: 'Topic', workspace: 'team-a', name: 'bobs', owner: 'team-b' },
        users.bob,
      ),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      run(
        { kind: 'Workspace', workspace: 'bobs-space', owner: 'team-a' },
        users.bob,
      ),
    ).rejects.toThrow(/not a member of group team-a/);
    // bob may create a workspace for his own group
    const output = await run(
      { kind: 'Workspace', workspace: 'bobs-space', owner: 'team-b' },
      users.bob,
    );
    expect(output.objectName).toBe('bobs-space');
    expect(
      (await fs.readdir(path.join(workspace.path, 'gitops/workspaces'))).sort(),
    ).toEqual(['bobs-space', 'kustomization.yaml']);
  });
});
