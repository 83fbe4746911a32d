/**
 * Mini-Atlas portal views: the Platform page, the Workspace view with each request's stages, the
 * Topic, WebApplication and Infrastructure cards, and the wizard form fields.
 *
 * @packageDocumentation
 */

export { atlasPlugin as default } from './plugin';
export * from './api';
export { rootRouteRef, workspaceRouteRef } from './routes';
export {
  useLiveInstance,
  useLiveWorkspace,
  useLiveWorkspaces,
  type LiveState,
} from './hooks/useLiveStatus';
