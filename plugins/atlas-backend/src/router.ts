import type {
  HttpAuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type {
  GitopsService,
  StatusService,
} from '@mini-atlas/plugin-atlas-node';
import express from 'express';
import Router from 'express-promise-router';
import { createStatusRoutes } from './routes/status';
import { createWizardRoutes } from './routes/wizard';

/**
 * What the router needs; services are injected so tests can swap them.
 *
 * @public
 */
export interface RouterOptions {
  logger: LoggerService;
  gitops: GitopsService;
  /** For the status routes (`/status`); without it they are not mounted. */
  status?: StatusService;
  /** For the wizard routes; without them those routes are not mounted. */
  httpAuth?: HttpAuthService;
  userInfo?: UserInfoService;
}

/**
 * The `/api/atlas` router. Each area of the API lives in its own file under `routes/` and is
 * mounted here.
 *
 * @public
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  router.get('/abstractions', async (_req, res) => {
    const { registry } = await options.gitops.snapshot();
    res.json({
      items: registry.list().map(a => ({
        kind: a.kind,
        apiVersion: a.apiVersion,
        title: a.title,
        description: a.description,
        icon: a.icon,
        isWorkspace: a.isWorkspace,
        scope: a.scope,
      })),
    });
  });

  if (options.httpAuth && options.userInfo) {
    router.use(
      '/wizard',
      createWizardRoutes({
        gitops: options.gitops,
        httpAuth: options.httpAuth,
        userInfo: options.userInfo,
      }),
    );
  }

  if (options.status) {
    router.use('/status', createStatusRoutes({ status: options.status }));
  }

  return router;
}
