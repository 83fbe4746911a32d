import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  gitopsServiceRef,
  statusServiceRef,
} from '@mini-atlas/plugin-atlas-node';
import { createRouter } from './router';

/**
 * The Mini-Atlas backend plugin: the portal's API over the platform's desired state in Git and
 * its live state in the cluster, mounted at `/api/atlas`.
 *
 * @public
 */
export const atlasPlugin = createBackendPlugin({
  pluginId: 'atlas',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        gitops: gitopsServiceRef,
        status: statusServiceRef,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
      },
      async init({ httpRouter, logger, gitops, status, httpAuth, userInfo }) {
        httpRouter.use(
          await createRouter({ logger, gitops, status, httpAuth, userInfo }),
        );
      },
    });
  },
});
