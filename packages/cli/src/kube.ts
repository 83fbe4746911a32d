import type { KubeObject } from '@mini-atlas/plugin-atlas-common';
import { CommandRunner, runChecked } from './runner';

/**
 * Lists objects with `kubectl get <resource> -o json` at a kubeconfig context.
 *
 * @param where - `namespace` for one namespace, `allNamespaces` for all (also right for
 *   cluster-scoped resources), neither for cluster-scoped resources.
 * @throws CommandFailedError when kubectl fails (no such resource type, no cluster).
 * @public
 */
export async function kubectlList(
  runner: CommandRunner,
  context: string,
  resource: string,
  where: { namespace?: string; allNamespaces?: boolean } = {},
): Promise<KubeObject[]> {
  const args = ['--context', context, 'get', resource];
  if (where.namespace) args.push('-n', where.namespace);
  if (where.allNamespaces) args.push('-A');
  args.push('-o', 'json');
  const result = await runChecked(runner, 'kubectl', args);
  const list = JSON.parse(result.stdout) as { items?: KubeObject[] };
  return list.items ?? [];
}

/** Fully qualified resource names used with `kubectl get`. */
export const resources = {
  gitRepositories: 'gitrepositories.source.toolkit.fluxcd.io',
  kustomizations: 'kustomizations.kustomize.toolkit.fluxcd.io',
  helmReleases: 'helmreleases.helm.toolkit.fluxcd.io',
  resourceGraphDefinitions: 'resourcegraphdefinitions.kro.run',
} as const;
