/**
 * Mini-Atlas backend plugin: the API over the platform's desired state in Git and its live state
 * in the cluster.
 *
 * @packageDocumentation
 */

export { atlasPlugin as default } from './plugin';
export type { RouterOptions } from './router';
export { kubernetesModuleAtlasCluster } from './kubernetes/module';
export {
  kubeconfigAuthStrategy,
  kubeconfigClusterSupplier,
  KUBECONFIG_AUTH_PROVIDER,
} from './kubernetes/kubeconfigCluster';
