import type { KubeConfig } from '@kubernetes/client-node';
import fetch from 'node-fetch';

/**
 * An error answer of the Kubernetes API (`statusCode` set) or a failed connection (`statusCode`
 * undefined, `code` like `ECONNREFUSED`).
 *
 * @public
 */
export class KubeRequestError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }
}

/**
 * True when an error means the API server could not be reached at all (as opposed to an error
 * answer for one request).
 *
 * @public
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string | number };
  return (
    e !== null &&
    typeof e === 'object' &&
    e.statusCode === undefined &&
    (typeof e.code !== 'number' || e.code === 0)
  );
}

/**
 * GETs a JSON document from the API server the kubeconfig points at, with its credentials.
 * Throws {@link KubeRequestError}.
 *
 * @public
 */
export async function getKubeJson<T = any>(
  kubeConfig: KubeConfig,
  pathAndQuery: string,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new KubeRequestError('the kubeconfig names no cluster');
  const init = (await kubeConfig.applyToFetchOptions({})) as any;
  let response;
  try {
    response = await fetch(`${cluster.server}${pathAndQuery}`, {
      ...init,
      method: 'GET',
      headers: { ...init.headers, accept: 'application/json' },
      timeout: options.timeoutMs ?? 30_000,
    });
  } catch (e) {
    const error = e as { message: string; code?: string; errno?: string };
    throw new KubeRequestError(
      `cannot reach ${cluster.server}: ${error.message}`,
      undefined,
      error.code ?? error.errno,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 300);
    try {
      message = JSON.parse(text).message ?? message;
    } catch {
      // not a Status object: keep the text
    }
    throw new KubeRequestError(
      `GET ${pathAndQuery}: ${response.status} ${message}`,
      response.status,
    );
  }
  return JSON.parse(text) as T;
}
