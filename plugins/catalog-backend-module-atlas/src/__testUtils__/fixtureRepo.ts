import fs from 'node:fs/promises';
import path from 'node:path';
import {
  createTempGitopsRepo,
  type TempGitopsRepo,
} from '@mini-atlas/plugin-atlas-node';

/** The platform folder of this checkout. */
export const GITOPS_DIR = path.resolve(__dirname, '../../../../gitops');

const FIXTURES = path.resolve(__dirname, '../__fixtures__/gitops');

/**
 * A temporary git repository holding this checkout's gitops folder plus the test fixtures (a
 * fifth abstraction, Schedule, with an instance in team-a), committed.
 */
export async function createFixtureRepo(): Promise<
  TempGitopsRepo & {
    /** Writes a file relative to the gitops folder (without committing). */
    write(file: string, content: string): Promise<void>;
    /** Absolute path of a file relative to the gitops folder. */
    file(file: string): string;
  }
> {
  const repo = await createTempGitopsRepo(GITOPS_DIR, {
    prefix: 'atlas-catalog-test-',
  });
  const gitops = path.join(repo.dir, 'gitops');
  await fs.cp(FIXTURES, gitops, { recursive: true });
  await repo.git('add', 'gitops');
  await repo.git('commit', '--quiet', '--no-verify', '-m', 'fixtures');
  return {
    ...repo,
    file: file => path.join(gitops, file),
    async write(file, content) {
      await fs.mkdir(path.dirname(path.join(gitops, file)), {
        recursive: true,
      });
      await fs.writeFile(path.join(gitops, file), content);
    },
  };
}

/** The YAML of an instance file in the layout of docs/architecture.md. */
export function instanceYaml(options: {
  kind: string;
  name: string;
  namespace?: string;
  owner?: string;
  spec?: string;
}): string {
  return [
    'apiVersion: platform.mini-atlas.io/v1alpha1',
    `kind: ${options.kind}`,
    'metadata:',
    `  name: ${options.name}`,
    ...(options.namespace ? [`  namespace: ${options.namespace}`] : []),
    ...(options.owner
      ? ['  labels:', `    mini-atlas.io/owner: ${options.owner}`]
      : []),
    options.spec ? `spec:\n${options.spec}` : 'spec: {}',
    '',
  ].join('\n');
}
