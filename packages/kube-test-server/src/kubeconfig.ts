import { stringify } from 'yaml';

/**
 * A kubeconfig with one cluster, context and user for a server URL. Plain `http` with
 * `insecure-skip-tls-verify: true`: `@kubernetes/client-node` refuses `http:` servers without it.
 */
export function kubeconfigObject(
  url: string,
  contextName: string,
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: contextName,
        cluster: { server: url, 'insecure-skip-tls-verify': true },
      },
    ],
    users: [{ name: contextName, user: {} }],
    contexts: [
      {
        name: contextName,
        context: {
          cluster: contextName,
          user: contextName,
          namespace: 'default',
        },
      },
    ],
    'current-context': contextName,
    preferences: {},
  };
}

/** The same kubeconfig as YAML. */
export function kubeconfigYaml(url: string, contextName: string): string {
  return stringify(kubeconfigObject(url, contextName));
}
