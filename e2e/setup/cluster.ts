/**
 * The Kubernetes API the portal watches during the end-to-end run. Filled in once the
 * kube-test-server package lands; until then the portal runs without a cluster.
 */
export interface E2eCluster {
  url: string;
  kubeconfigFile: string;
  context: string;
  stop(): Promise<void>;
}

export async function startCluster(
  _dir: string,
): Promise<E2eCluster | undefined> {
  return undefined;
}
