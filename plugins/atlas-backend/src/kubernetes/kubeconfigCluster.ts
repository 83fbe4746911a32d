import type {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesClustersSupplier,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import {
  loadClusterConfig,
  type ClusterSource,
} from '@mini-atlas/plugin-atlas-node';

/** The auth provider name the Kubernetes backend knows this strategy by. */
export const KUBECONFIG_AUTH_PROVIDER = 'atlasKubeconfig';

const AUTH_PROVIDER_KEY = 'kubernetes.io/auth-provider';

const pem = (base64: string | undefined) =>
  base64 ? Buffer.from(base64, 'base64').toString('utf8') : undefined;

/**
 * The cluster the Kubernetes tab shows: the same kubeconfig context the status views watch
 * (`atlas.kubernetes`, default `kind-mini-atlas`), re-read on every call so a cluster created
 * after the backend started is found. No cluster when there is no such context.
 *
 * @public
 */
export function kubeconfigClusterSupplier(
  source: ClusterSource,
): KubernetesClustersSupplier {
  return {
    async getClusters(): Promise<ClusterDetails[]> {
      let loaded;
      try {
        loaded = loadClusterConfig(source);
      } catch {
        return [];
      }
      const cluster = loaded.kubeConfig.getCurrentCluster();
      if (!cluster) return [];
      return [
        {
          name: loaded.context,
          title: loaded.context,
          url: cluster.server,
          ...(cluster.caData ? { caData: cluster.caData } : {}),
          ...(cluster.caFile ? { caFile: cluster.caFile } : {}),
          skipTLSVerify: cluster.skipTLSVerify ?? false,
          skipMetricsLookup: true,
          authMetadata: { [AUTH_PROVIDER_KEY]: KUBECONFIG_AUTH_PROVIDER },
        },
      ];
    },
  };
}

/**
 * Authenticates the Kubernetes backend's requests as the kubeconfig user of that context: its
 * client certificate (what Kind writes) or its token; anonymous otherwise.
 *
 * @public
 */
export function kubeconfigAuthStrategy(
  source: ClusterSource,
): AuthenticationStrategy {
  return {
    async getCredential(): Promise<KubernetesCredential> {
      const { kubeConfig } = loadClusterConfig(source);
      const user = kubeConfig.getCurrentUser();
      const cert = pem(user?.certData);
      const key = pem(user?.keyData);
      if (cert && key) return { type: 'x509 client certificate', cert, key };
      if (user?.token) return { type: 'bearer token', token: user.token };
      return { type: 'anonymous' };
    },
    validateCluster: () => [],
    presentAuthMetadata: () => ({}),
  };
}
