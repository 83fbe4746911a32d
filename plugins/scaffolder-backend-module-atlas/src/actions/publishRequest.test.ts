import fs from 'node:fs/promises';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { parse } from 'yaml';
import {
  createWizardTestEnv,
  users,
  type WizardTestEnv,
} from '../__testUtils__/wizardTestEnv';
import { createPublishRequestAction } from './publishRequest';
import { createRenderRequestAction } from './renderRequest';

describe('atlas:request:publish', () => {
  let env: WizardTestEnv;
  const workspace = createMockDirectory();

  beforeEach(async () => {
    workspace.clear();
    env = await createWizardTestEnv();
  });
  afterEach(() => env.close());

  const context = (input: Record<string, unknown>, user = users.guest) => {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
      user,
    });
    return ctx;
  };
  const outputs = (ctx: { output: unknown }) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls as [string, any][]);
  const render = async (input: Record<string, unknown>, user = users.guest) => {
    const ctx = context(input, user);
    await createRenderRequestAction({ wizard: env.wizard }).handler(ctx as any);
    return outputs(ctx);
  };

  it('commits the rendered request as the user, naming workspace, kind and name', async () => {
    const rendered = await render({
      kind: 'Topic',
      workspace: 'team-a',
      name: 'payments',
      owner: 'team-a',
    });
    const ctx = context({ instancePath: rendered.instancePath });
    await createPublishRequestAction({ wizard: env.wizard }).handler(
      ctx as any,
    );
    const out = outputs(ctx);
    expect(out).toMatchObject({
      mode: 'commit',
      files: [
        'gitops/workspaces/team-a/topic-payments.yaml',
        'gitops/workspaces/team-a/kustomization.yaml',
      ],
    });
    expect(out.commit).toBe((await env.repo.git('rev-parse', 'HEAD')).trim());
    expect(
      await env.repo.git('log', '-1', '--format=%an <%ae>%n%B', 'HEAD'),
    ).toBe(
      'Guest <guest@example.com>\nteam-a: add Topic payments\n\nRequested by user:default/guest through the Mini-Atlas portal (task mock-task-id): Topic team-a-payments in workspaces/team-a/topic-payments.yaml.\n\n',
    );
    expect(
      await env.repo.git(
        'show',
        'HEAD:gitops/workspaces/team-a/topic-payments.yaml',
      ),
    ).toBe(await fs.readFile(workspace.resolve(rendered.instancePath), 'utf8'));
    expect(await env.repo.git('status', '--porcelain')).toBe('');
    // the platform sees the request at once
    const snapshot = await env.gitops.snapshot();
    expect(
      snapshot.instances.map(i => i.object.metadata.name).sort(),
    ).toContain('team-a-payments');
  });

  it('commits a new workspace with its own kustomization', async () => {
    const rendered = await render({
      kind: 'Workspace',
      workspace: 'team-c',
      owner: 'team-a',
    });
    const ctx = context({ instancePath: rendered.instancePath });
    await createPublishRequestAction({ wizard: env.wizard }).handler(
      ctx as any,
    );
    expect(
      (await env.repo.git('show', '--name-only', '--format=%s', 'HEAD')).trim(),
    ).toBe(
      [
        'team-c: add Workspace team-c',
        '',
        'gitops/workspaces/kustomization.yaml',
        'gitops/workspaces/team-c/kustomization.yaml',
        'gitops/workspaces/team-c/workspace.yaml',
      ].join('\n'),
    );
    expect((await env.gitops.snapshot()).workspaces.has('team-c')).toBe(true);
  });

  it('commits nothing in a dry run', async () => {
    const rendered = await render({
      kind: 'Topic',
      workspace: 'team-a',
      name: 'dry',
      owner: 'team-a',
    });
    const head = await env.repo.git('rev-parse', 'HEAD');
    const ctx = {
      ...context({ instancePath: rendered.instancePath }),
      isDryRun: true,
    };
    await createPublishRequestAction({ wizard: env.wizard }).handler(
      ctx as any,
    );
    expect(outputs(ctx)).toMatchObject({ mode: 'dry-run' });
    expect(await env.repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(await env.repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses an instance edited after render, and a name taken meanwhile', async () => {
    const rendered = await render({
      kind: 'Topic',
      workspace: 'team-a',
      name: 'edited',
      owner: 'team-a',
    });
    const file = workspace.resolve(rendered.instancePath);
    const object = parse(await fs.readFile(file, 'utf8'));
    object.metadata.namespace = 'kafka';
    await fs.writeFile(file, JSON.stringify(object));
    const publish = createPublishRequestAction({ wizard: env.wizard });
    await expect(
      publish.handler(context({ instancePath: rendered.instancePath }) as any),
    ).rejects.toThrow(InputError);

    // two wizards render the same name as a Topic and as an Infrastructure
    const topicDir = createMockDirectory();
    const infraDir = createMockDirectory();
    const renderInto = async (dir: typeof topicDir, kind: string) => {
      const ctx = createMockActionContext({
        input: { kind, workspace: 'team-a', name: 'shared', owner: 'team-a' },
        workspacePath: dir.path,
        user: users.guest,
      });
      await createRenderRequestAction({ wizard: env.wizard }).handler(
        ctx as any,
      );
      return outputs(ctx).instancePath as string;
    };
    const topicPath = await renderInto(topicDir, 'Topic');
    const infraPath = await renderInto(infraDir, 'Infrastructure');
    const head = await env.repo.git('rev-parse', 'HEAD');
    const results = await Promise.allSettled([
      publish.handler(
        createMockActionContext({
          input: { instancePath: topicPath },
          workspacePath: topicDir.path,
          user: users.guest,
        }) as any,
      ),
      publish.handler(
        createMockActionContext({
          input: { instancePath: infraPath },
          workspacePath: infraDir.path,
          user: users.guest,
        }) as any,
      ),
    ]);
    expect(results.map(r => r.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
    const refused = results.find(r => r.status === 'rejected') as
      | PromiseRejectedResult
      | undefined;
    expect(refused!.reason).toBeInstanceOf(ConflictError);
    expect(
      (
        await env.repo.git('rev-list', '--count', `${head.trim()}..HEAD`)
      ).trim(),
    ).toBe('1');
    expect(await env.repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses a user who is not in the workspace owner group', async () => {
    const rendered = await render({
      kind: 'Topic',
      workspace: 'team-a',
      name: 'mine',
      owner: 'team-a',
    });
    await expect(
      createPublishRequestAction({ wizard: env.wizard }).handler(
        context({ instancePath: rendered.instancePath }, users.bob) as any,
      ),
    ).rejects.toThrow(NotAllowedError);
  });

  it('opens a pull request through publish:github:pull-request in mode pull-request', async () => {
    env.wizard.publish = {
      mode: 'pull-request',
      repoUrl: 'github.com?owner=mini-atlas&repo=platform',
      targetBranch: 'main',
      draft: false,
    };
    const requests: any[] = [];
    const integrations = ScmIntegrations.fromConfig(
      mockServices.rootConfig({
        data: {
          integrations: { github: [{ host: 'github.com', token: 'x' }] },
        },
      }),
    );
    const pullRequestAction = createPublishGithubPullRequestAction({
      integrations,
      clientFactory: async () =>
        ({
          createPullRequest: async (options: any) => {
            requests.push(options);
            return {
              data: {
                html_url: 'https://github.com/mini-atlas/platform/pull/7',
                number: 7,
                base: { ref: 'main' },
              },
            };
          },
        } as any),
    });
    const rendered = await render({
      kind: 'Topic',
      workspace: 'team-a',
      name: 'reviewed',
      owner: 'team-a',
    });
    const head = await env.repo.git('rev-parse', 'HEAD');
    const ctx = context({ instancePath: rendered.instancePath });
    await createPublishRequestAction({
      wizard: env.wizard,
      pullRequestAction,
    }).handler(ctx as any);
    expect(outputs(ctx)).toMatchObject({
      mode: 'pull-request',
      pullRequestUrl: 'https://github.com/mini-atlas/platform/pull/7',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      owner: 'mini-atlas',
      repo: 'platform',
      title: 'team-a: add Topic reviewed',
      head: 'atlas/team-a/topic-reviewed',
      base: 'main',
    });
    const change = requests[0].changes[0];
    expect(Object.keys(change.files).sort()).toEqual([
      'gitops/workspaces/team-a/kustomization.yaml',
      'gitops/workspaces/team-a/topic-reviewed.yaml',
    ]);
    expect(change.commit).toMatch(/^team-a: add Topic reviewed/);
    expect(change.author).toMatchObject({
      name: 'Guest',
      email: 'guest@example.com',
    });
    // nothing committed locally
    expect(await env.repo.git('rev-parse', 'HEAD')).toBe(head);
  });
});
