import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  atlasPage,
  atlasStatusApi,
  infrastructureCard,
  requestStatusCard,
  topicCard,
  webApplicationCard,
  workspaceContent,
} from './extensions';
import { wizardFormFields } from './formFields';
import { rootRouteRef, workspaceRouteRef } from './routes';

/**
 * The Mini-Atlas frontend plugin: the Platform page, the Workspace view and the cards on catalog
 * entities that show a request's live status.
 *
 * @public
 */
export const atlasPlugin = createFrontendPlugin({
  pluginId: 'atlas',
  title: 'Platform',
  routes: { root: rootRouteRef, workspace: workspaceRouteRef },
  extensions: [
    atlasStatusApi,
    atlasPage,
    requestStatusCard,
    topicCard,
    webApplicationCard,
    infrastructureCard,
    workspaceContent,
    ...wizardFormFields,
  ],
});
