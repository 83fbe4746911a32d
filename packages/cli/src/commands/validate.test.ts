import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestEnvironment } from '../__testUtils__/testEnvironment';
import { ExitCode } from '../exitCodes';
import { validateCommand } from './validate';

jest.setTimeout(180_000);

const repoRoot = path.resolve(__dirname, '../../../..');
const crdsDir = path.resolve(repoRoot, '../shared/crds');

describe('atlas validate', () => {
  it('passes on the shipped gitops folder and says what it checked', async () => {
    const { env, stdout } = createTestEnvironment({ repoRoot });
    expect(await validateCommand(env, { crdsDir })).toBe(ExitCode.Ok);
    expect(stdout()).toMatch(
      /Checked \d+ manifests, 4 abstractions .*: 0 problems/,
    );
  });

  it('names the file and the reason of a defect, and fails', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-validate-'));
    try {
      await fs.cp(path.join(repoRoot, 'gitops'), path.join(dir, 'gitops'), {
        recursive: true,
      });
      const file = path.join(dir, 'gitops/workspaces/team-a/topic-orders.yaml');
      await fs.writeFile(
        file,
        (
          await fs.readFile(file, 'utf8')
        ).replace('spec: {}', 'spec: {partitions: 0}'),
      );
      const { env, stderr } = createTestEnvironment({ repoRoot: dir });
      expect(await validateCommand(env, { crdsDir })).toBe(ExitCode.Failed);
      expect(stderr()).toContain(
        'gitops/workspaces/team-a/topic-orders.yaml: Topic team-a/team-a-orders: spec.partitions must be >= 1\n',
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
