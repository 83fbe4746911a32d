import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { createClusterCache } from './ClusterCache';
import type { ClusterCache } from './types';

/**
 * The portal's {@link ClusterCache}: one per backend, shared by every plugin.
 *
 * Configuration (`atlas.kubernetes`): `kubeconfig` (path; default `$KUBECONFIG` or
 * `~/.kube/config`), `context` (default `kind-mini-atlas`, else the in-cluster service account),
 * `enabled` (default true).
 *
 * @public
 */
export const clusterCacheServiceRef = createServiceRef<ClusterCache>({
  id: 'atlas.cluster',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      factory({ config, logger, lifecycle }) {
        const settings = config.getOptionalConfig('atlas.kubernetes');
        const enabled = settings?.getOptionalBoolean('enabled') ?? true;
        const cache = createClusterCache({
          source: {
            kubeconfig: settings?.getOptionalString('kubeconfig'),
            context: settings?.getOptionalString('context'),
          },
          logger: logger.child({ plugin: 'atlas', component: 'cluster' }),
          ...(enabled
            ? {}
            : {
                disabled:
                  'watching the cluster is turned off (atlas.kubernetes.enabled: false)',
              }),
        });
        lifecycle.addShutdownHook(() => cache.stop());
        return cache;
      },
    }),
});
