import type { KubeConfig } from '@kubernetes/client-node';
import { splitApiVersion } from '@mini-atlas/plugin-atlas-common';
import { getKubeJson, KubeRequestError } from './kubeHttp';

/**
 * A resource as API discovery names it.
 *
 * @public
 */
export interface DiscoveredResource {
  apiVersion: string;
  kind: string;
  /** Resource name in URLs (`kafkatopics`), as the server announces it. */
  plural: string;
  namespaced: boolean;
  /** Collection path across namespaces, e.g. `/apis/apps/v1/deployments`. */
  path: string;
  verbs: string[];
}

interface ApiResourceList {
  resources?: Array<{
    name: string;
    kind: string;
    namespaced: boolean;
    verbs?: string[];
  }>;
}

/**
 * Resource names and scopes read from the API server's discovery documents
 * (`/api/v1`, `/apis/<group>/<version>`), one request per group version, cached until
 * {@link ApiDiscovery.forget} is called. Never derives a resource name from a kind.
 *
 * @public
 */
export class ApiDiscovery {
  private readonly groupVersions = new Map<
    string,
    Promise<Map<string, DiscoveredResource> | undefined>
  >();

  private readonly known = new Map<string, DiscoveredResource>();

  /**
   * @param kubeConfig - the cluster to ask
   * @param onRequest - called for every request sent (the cache counts them)
   */
  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly onRequest: () => void = () => {},
  ) {}

  /** The resource of a kind when its group version was already resolved, without asking. */
  peek(apiVersion: string, kind: string): DiscoveredResource | undefined {
    return this.known.get(`${apiVersion}/${kind}`);
  }

  /**
   * The resource serving a kind, or undefined when the server does not serve its group version
   * or kind. Throws {@link KubeRequestError} when the server cannot be asked.
   */
  async resolve(
    apiVersion: string,
    kind: string,
  ): Promise<DiscoveredResource | undefined> {
    let pending = this.groupVersions.get(apiVersion);
    if (!pending) {
      pending = this.fetchGroupVersion(apiVersion);
      this.groupVersions.set(apiVersion, pending);
      pending.catch(() => this.groupVersions.delete(apiVersion));
    }
    return (await pending)?.get(kind);
  }

  /** Forgets what is known of a group version (all when none is given), e.g. after a CRD changed. */
  forget(apiVersion?: string): void {
    if (apiVersion) this.groupVersions.delete(apiVersion);
    else this.groupVersions.clear();
    for (const key of [...this.known.keys()]) {
      if (!apiVersion || key.startsWith(`${apiVersion}/`))
        this.known.delete(key);
    }
  }

  private async fetchGroupVersion(
    apiVersion: string,
  ): Promise<Map<string, DiscoveredResource> | undefined> {
    const { group } = splitApiVersion(apiVersion);
    const base = group ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let list: ApiResourceList;
    this.onRequest();
    try {
      list = await getKubeJson<ApiResourceList>(this.kubeConfig, base, {
        timeoutMs: 15_000,
      });
    } catch (e) {
      if (e instanceof KubeRequestError && e.statusCode === 404)
        return undefined;
      throw e;
    }
    const byKind = new Map<string, DiscoveredResource>();
    for (const resource of list.resources ?? []) {
      // subresources (`deployments/status`) share the kind; only the main resource is listed
      if (resource.name.includes('/') || byKind.has(resource.kind)) continue;
      const discovered: DiscoveredResource = {
        apiVersion,
        kind: resource.kind,
        plural: resource.name,
        namespaced: resource.namespaced,
        path: `${base}/${resource.name}`,
        verbs: resource.verbs ?? [],
      };
      byKind.set(resource.kind, discovered);
      this.known.set(`${apiVersion}/${resource.kind}`, discovered);
    }
    return byKind;
  }
}
