import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/**
 * The Platform page (`/atlas`).
 *
 * @public
 */
export const rootRouteRef = createRouteRef();

/**
 * The Workspace view (`/atlas/workspaces/:name`).
 *
 * @public
 */
export const workspaceRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/workspaces/:name',
});
