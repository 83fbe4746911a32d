import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  addOnCrdTypes,
  startKubeTestServer,
} from '@mini-atlas/kube-test-server';
import {
  readGitopsTree,
  registryFromTree,
  simulatedAbstractionTypes,
} from '@mini-atlas/plugin-atlas-node';

/**
 * The Kubernetes API the portal watches during the end-to-end run: a protocol-level test API
 * server that serves the add-on CRDs (KRO, Flux, Strimzi, CloudNativePG, Cilium, Kyverno) and
 * the kinds KRO generates from this checkout's RGDs. It starts empty, like a cluster where
 * nothing was applied yet; tests play Flux and KRO through its HTTP API (see `kube` in harness.ts).
 */
export interface E2eCluster {
  url: string;
  kubeconfigFile: string;
  context: string;
  stop(): Promise<void>;
}

export async function startCluster(
  dir: string,
  gitopsDir: string,
): Promise<E2eCluster> {
  const { registry, problem } = registryFromTree(
    await readGitopsTree(gitopsDir),
  );
  if (!registry)
    throw new Error(
      `gitops/ has no usable abstractions: ${problem?.file}: ${problem?.message}`,
    );
  const server = await startKubeTestServer({
    types: [...addOnCrdTypes, ...simulatedAbstractionTypes(registry.list())],
    bookmarkIntervalMs: 5_000,
  });
  const context = 'kind-mini-atlas';
  const kubeconfigFile = path.join(dir, 'kubeconfig');
  // The test server checks no credentials, but Backstage's Kubernetes backend sends only a
  // token or a client certificate it finds in the kubeconfig: give its user a token.
  const kubeconfig = server.kubeconfigObject(context) as any;
  kubeconfig.users = kubeconfig.users.map((u: any) => ({
    ...u,
    user: { ...u.user, token: 'e2e' },
  }));
  fs.writeFileSync(kubeconfigFile, stringify(kubeconfig));
  return {
    url: server.url,
    kubeconfigFile,
    context,
    stop: () => server.close(),
  };
}
