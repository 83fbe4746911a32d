import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { clusterCacheServiceRef } from '../cluster/clusterCacheServiceRef';
import { gitopsServiceRef } from '../gitops/gitopsServiceRef';
import { createStatusService, type StatusService } from './StatusService';

/**
 * The portal's {@link StatusService}, built on the shared gitops service and cluster cache.
 *
 * @public
 */
export const statusServiceRef = createServiceRef<StatusService>({
  id: 'atlas.status',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        gitops: gitopsServiceRef,
        cluster: clusterCacheServiceRef,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      factory({ gitops, cluster, logger, lifecycle }) {
        const status = createStatusService({
          gitops,
          cluster,
          logger: logger.child({ plugin: 'atlas', component: 'status' }),
        });
        lifecycle.addShutdownHook(() => status.close());
        return status;
      },
    }),
});
