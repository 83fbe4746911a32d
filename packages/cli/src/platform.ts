/**
 * Names and versions of the Mini-Atlas platform that the CLI relies on. They mirror
 * `docs/architecture.md` and `gitops/clusters/mini-atlas/`.
 *
 * @public
 */
export const platform = {
  /** Default Kind cluster name; the kubeconfig context is `kind-<name>`. */
  defaultClusterName: 'mini-atlas',
  /** The cluster entry point `up` applies, relative to the repository root. */
  clusterEntryPoint: 'gitops/clusters/mini-atlas',
  /** The Kind cluster configuration, relative to the repository root. */
  kindConfig: 'gitops/clusters/mini-atlas/kind-config.yaml',
  /** Core layer folder holding the HelmReleases (Cilium's values are read from there). */
  coreControllersDir: 'gitops/core/controllers',
  /** Delivery layer folder, read to know which workspaces to wait for. */
  workspacesDir: 'gitops/workspaces',
  /** Namespace of Flux and of the layer Kustomizations. */
  fluxNamespace: 'flux-system',
  /** The GitRepository (in `fluxNamespace`) whose URL `up` sets. */
  gitRepositoryName: 'mini-atlas',
  /** The layer Kustomizations in dependency order. */
  layerKustomizations: [
    'core-controllers',
    'core-config',
    'foundation',
    'workspaces',
  ],
  /** Suffix of the per-workspace Kustomization KRO creates (`<ws>-requests`). */
  requestsSuffix: '-requests',
  /** API group of the platform instances. */
  instanceGroup: 'platform.mini-atlas.io',
  cilium: {
    chart: 'cilium',
    repo: 'https://helm.cilium.io',
    version: '1.20.0',
    release: 'cilium',
    namespace: 'kube-system',
  },
  gitServer: {
    /** Fixed so the GitRepository URL stays valid when the server is restarted. */
    defaultPort: 8470,
    /** URL path of the served repository. */
    repoPath: 'mini-atlas.git',
  },
} as const;

/**
 * The kubeconfig context Kind creates for a cluster.
 *
 * @public
 */
export function kindContext(clusterName: string): string {
  return `kind-${clusterName}`;
}
