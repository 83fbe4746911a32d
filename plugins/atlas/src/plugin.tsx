import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { wizardFormFields } from './formFields';

/**
 * The Mini-Atlas frontend plugin: the Platform page, the Workspace view and the cards on catalog
 * entities that show a request's live status.
 *
 * @public
 */
export const atlasPlugin = createFrontendPlugin({
  pluginId: 'atlas',
  extensions: [...wizardFormFields],
});
