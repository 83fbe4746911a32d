import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { UserEntity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  createGitopsService,
  createTempGitopsRepo,
  type GitopsService,
  type TempGitopsRepo,
} from '@mini-atlas/plugin-atlas-node';
import {
  createWizardService,
  type WizardService,
} from '../services/wizardService';

/** The repository's own checkout. */
export const repoRoot = path.resolve(__dirname, '../../../..');
export const gitopsDir = path.join(repoRoot, 'gitops');

function user(
  name: string,
  memberOf: string[],
  email?: string,
): { ref: string; entity: UserEntity } {
  return {
    ref: `user:default/${name}`,
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: {
        profile: { displayName: name[0].toUpperCase() + name.slice(1), email },
        memberOf,
      },
      relations: memberOf.map(g => ({
        type: 'memberOf',
        targetRef: `group:default/${g}`,
      })),
    },
  };
}

/** The users of catalog/org.yaml. */
export const users = {
  guest: user('guest', ['team-a', 'platform-team'], 'guest@example.com'),
  bob: user('bob', ['team-b']),
};

/** A temporary copy of this repository's gitops folder with the wizard's services on it. */
export interface WizardTestEnv {
  repo: TempGitopsRepo;
  gitops: GitopsService;
  wizard: WizardService;
  close(): Promise<void>;
}

export async function createWizardTestEnv(
  options: { config?: JsonObject; gitopsSource?: string } = {},
): Promise<WizardTestEnv> {
  const repo = await createTempGitopsRepo(options.gitopsSource ?? gitopsDir, {
    prefix: 'atlas-wizard-',
  });
  const gitops = createGitopsService({ repoRoot: repo.dir, watch: false });
  const wizard: WizardService = createWizardService({
    gitops,
    config: mockServices.rootConfig({ data: options.config ?? {} }),
  });
  return {
    repo,
    gitops,
    wizard,
    async close() {
      gitops.close();
      await repo.remove();
    },
  };
}
