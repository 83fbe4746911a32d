import { createMockDirectory } from '@backstage/backend-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from 'yaml';
import {
  createWizardTestEnv,
  users,
  type WizardTestEnv,
} from '../__testUtils__/wizardTestEnv';
import { createPublishRequestAction } from './publishRequest';
import { examples as publishExamples } from './publishRequest.examples';
import { createRenderRequestAction } from './renderRequest';
import { examples as renderExamples } from './renderRequest.examples';

/** Replaces `${{ steps.<id>.output.<name> }}` with earlier steps' outputs. */
function resolve(value: unknown, steps: Record<string, any>): unknown {
  if (typeof value === 'string') {
    const match = /^\$\{\{\s*steps\.(\w+)\.output\.(\w+)\s*\}\}$/.exec(value);
    return match ? steps[match[1]][match[2]] : value;
  }
  if (Array.isArray(value)) return value.map(v => resolve(v, steps));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolve(v, steps)]),
    );
  }
  return value;
}

describe.each([
  ['atlas:request:render', renderExamples],
  ['atlas:request:publish', publishExamples],
])('examples of %s', (_id, examples) => {
  let env: WizardTestEnv;
  const workspace = createMockDirectory();

  beforeEach(async () => {
    workspace.clear();
    env = await createWizardTestEnv();
  });
  afterEach(() => env.close());

  it.each(examples.map(e => [e.description, e]))('%s', async (_d, example) => {
    const actions: Record<string, TemplateAction<any, any, any>> = {
      'atlas:request:render': createRenderRequestAction({ wizard: env.wizard }),
      'atlas:request:publish': createPublishRequestAction({
        wizard: env.wizard,
      }),
    };
    const head = (await env.repo.git('rev-parse', 'HEAD')).trim();
    const outputs: Record<string, any> = {};
    const { steps } = parse(example.example);
    for (const step of steps) {
      const ctx = createMockActionContext({
        input: resolve(step.input, outputs) as any,
        workspacePath: workspace.path,
        user: users.guest,
      });
      await actions[step.action].handler(ctx as any);
      outputs[step.id] = Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls,
      );
    }
    const render = outputs.render;
    expect(render.instancePath).toMatch(
      /^gitops\/workspaces\/[a-z0-9-]+\/[a-z]+(-[a-z0-9-]+)?\.yaml$/,
    );
    expect(render.preview.length).toBeGreaterThan(0);
    const publishes = steps.some(
      (s: { action: string }) => s.action === 'atlas:request:publish',
    );
    expect(outputs.publish?.commit).toBe(
      publishes ? (await env.repo.git('rev-parse', 'HEAD')).trim() : undefined,
    );
    expect(
      (await env.repo.git('rev-list', '--count', `${head}..HEAD`)).trim(),
    ).toBe(publishes ? '1' : '0');
    expect(await env.repo.git('status', '--porcelain')).toBe('');
  });
});
