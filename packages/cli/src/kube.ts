import { CommandRunner, runChecked } from './runner';

/**
 * A `status.conditions[]` entry as Flux, helm-controller and KRO write it.
 *
 * @public
 */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * The parts of a Kubernetes object the CLI reads.
 *
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  status?: any;
}

/**
 * The condition of the given type, if the object has one.
 *
 * @public
 */
export function findCondition(
  object: KubeObject,
  type: string,
): Condition | undefined {
  const conditions: unknown = object.status?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find(
    (c): c is Condition =>
      typeof c === 'object' && c !== null && c.type === type,
  );
}

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
