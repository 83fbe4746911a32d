import fs from 'node:fs/promises';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { badInputs } from '../__fixtures__/badInputs';
import {
  createWizardTestEnv,
  users,
  type WizardTestEnv,
} from '../__testUtils__/wizardTestEnv';
import { createRenderRequestAction } from './renderRequest';

describe('bad wizard input', () => {
  let env: WizardTestEnv;
  let head: string;
  const workspace = createMockDirectory();

  beforeAll(async () => {
    env = await createWizardTestEnv();
    head = await env.repo.git('rev-parse', 'HEAD');
  });
  afterAll(() => env.close());
  beforeEach(() => workspace.clear());

  it('has at least 50 cases', () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(50);
  });

  it.each(badInputs.map(c => [c.why, c]))(
    'refuses %s',
    async (_why, { input, error, message, user }) => {
      const action = createRenderRequestAction({ wizard: env.wizard });
      const ctx = createMockActionContext({
        input: input as any,
        workspacePath: workspace.path,
        user: users[user ?? 'guest'],
      });
      const result = action.handler(ctx as any);
      await expect(result).rejects.toMatchObject({ name: error });
      await expect(result).rejects.toThrow(message);
      // nothing written, nothing committed
      expect(await fs.readdir(workspace.path).catch(() => [])).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(await env.repo.git('rev-parse', 'HEAD')).toBe(head);
      expect(await env.repo.git('status', '--porcelain')).toBe('');
    },
  );
});
