import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * Where the portal finds its cluster (`atlas.kubernetes` in app-config).
 *
 * @public
 */
export interface ClusterSource {
  /** Path of a kubeconfig file; default `$KUBECONFIG` (first entry) or `~/.kube/config`. */
  kubeconfig?: string;
  /**
   * Context to use. When not given, `kind-mini-atlas` is used if the kubeconfig has it, else the
   * in-cluster service account when the backend runs in a pod. Another current-context is never
   * picked silently: the portal must not watch a cluster nobody chose.
   */
  context?: string;
}

/**
 * The context the portal looks for when none is configured: the Kind cluster `yarn atlas up`
 * creates.
 *
 * @public
 */
export const DEFAULT_KUBE_CONTEXT = 'kind-mini-atlas';

/**
 * A loaded kubeconfig and the name of what it points at.
 *
 * @public
 */
export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  /** The context name, or `in-cluster`. */
  context: string;
  /** The API server URL. */
  server: string;
}

/**
 * Why no cluster could be configured, in words for the status views.
 *
 * @public
 */
export class KubeConfigUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigUnavailableError';
  }
}

function defaultKubeconfigPath(): string {
  const fromEnv = process.env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  return fromEnv ?? path.join(os.homedir(), '.kube', 'config');
}

function inCluster(): boolean {
  return Boolean(
    process.env.KUBERNETES_SERVICE_HOST &&
      fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token'),
  );
}

/**
 * Loads the kubeconfig the portal watches. Re-read on every connection attempt, so a cluster
 * created after the backend started (`yarn atlas up`) is picked up without a restart. Throws
 * {@link KubeConfigUnavailableError} saying what is missing.
 *
 * @public
 */
export function loadClusterConfig(
  source: ClusterSource = {},
): LoadedKubeConfig {
  const file = source.kubeconfig ?? defaultKubeconfigPath();
  const wanted = source.context ?? DEFAULT_KUBE_CONTEXT;
  const kubeConfig = new KubeConfig();
  if (fs.existsSync(file)) {
    try {
      kubeConfig.loadFromFile(file);
    } catch (e) {
      throw new KubeConfigUnavailableError(
        `cannot read kubeconfig ${file}: ${(e as Error).message}`,
      );
    }
    if (kubeConfig.getContextObject(wanted)) {
      kubeConfig.setCurrentContext(wanted);
      const cluster = kubeConfig.getCurrentCluster();
      if (!cluster) {
        throw new KubeConfigUnavailableError(
          `context ${wanted} in ${file} names no cluster`,
        );
      }
      return { kubeConfig, context: wanted, server: cluster.server };
    }
  } else if (source.kubeconfig) {
    throw new KubeConfigUnavailableError(`kubeconfig ${file} does not exist`);
  }
  if (!source.context && inCluster()) {
    const own = new KubeConfig();
    own.loadFromCluster();
    return {
      kubeConfig: own,
      context: 'in-cluster',
      server: own.getCurrentCluster()?.server ?? '',
    };
  }
  throw new KubeConfigUnavailableError(
    fs.existsSync(file)
      ? `kubeconfig ${file} has no context ${wanted} (create the cluster with yarn atlas up, or set atlas.kubernetes.context)`
      : `no kubeconfig at ${file} and not running in a cluster (create the cluster with yarn atlas up, or set atlas.kubernetes.kubeconfig)`,
  );
}
