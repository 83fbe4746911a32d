import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  kubernetesAuthStrategyExtensionPoint,
  kubernetesClusterSupplierExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import {
  KUBECONFIG_AUTH_PROVIDER,
  kubeconfigAuthStrategy,
  kubeconfigClusterSupplier,
} from './kubeconfigCluster';

/**
 * Points Backstage's Kubernetes backend (the entity Kubernetes tab) at the cluster the status
 * views watch: the kubeconfig context of `atlas.kubernetes` (default `kind-mini-atlas`), with
 * the kubeconfig's own credentials. Kind's kubeconfig authenticates with a client certificate,
 * which the Kubernetes backend's config locator cannot express.
 *
 * @public
 */
export const kubernetesModuleAtlasCluster = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'atlas-cluster',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        clusters: kubernetesClusterSupplierExtensionPoint,
        auth: kubernetesAuthStrategyExtensionPoint,
      },
      async init({ config, clusters, auth }) {
        const source = {
          kubeconfig: config.getOptionalString('atlas.kubernetes.kubeconfig'),
          context: config.getOptionalString('atlas.kubernetes.context'),
        };
        clusters.addClusterSupplier(kubeconfigClusterSupplier(source));
        auth.addAuthStrategy(
          KUBECONFIG_AUTH_PROVIDER,
          kubeconfigAuthStrategy(source),
        );
      },
    });
  },
});
