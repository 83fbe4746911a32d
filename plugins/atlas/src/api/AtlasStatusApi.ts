import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  InstanceResponse,
  StatusEvent,
  WorkspaceListResponse,
  WorkspaceResponse,
} from '@mini-atlas/plugin-atlas-common';

/**
 * The portal's status API (`/api/atlas/status`), as the views use it.
 *
 * @public
 */
export interface AtlasStatusApi {
  listWorkspaces(): Promise<WorkspaceListResponse>;
  getWorkspace(name: string): Promise<WorkspaceResponse>;
  /** `name` is the object name (`team-a-web`) or the short name (`web`). */
  getInstance(
    workspace: string,
    kind: string,
    name: string,
  ): Promise<InstanceResponse>;
  /**
   * Calls the listener with every push event. One stream is shared by all listeners; after a
   * broken stream it reconnects and sends `{ type: 'changed', all: true }` so views refetch what
   * they may have missed. Returns an unsubscribe function.
   */
  subscribe(listener: (event: StatusEvent) => void): () => void;
}

/**
 * The {@link AtlasStatusApi}.
 *
 * @public
 */
export const atlasStatusApiRef = createApiRef<AtlasStatusApi>().with({
  id: 'plugin.atlas.status',
  pluginId: 'atlas',
});
