import { Route, Routes } from 'react-router-dom';
import { PlatformPage } from './PlatformPage';
import { WorkspacePage } from './WorkspaceView';

/**
 * The routes under `/atlas`: the Platform page and the Workspace view.
 *
 * @public
 */
export function AtlasRouter() {
  return (
    <Routes>
      <Route path="/" element={<PlatformPage />} />
      <Route path="/workspaces/:name" element={<WorkspacePage />} />
    </Routes>
  );
}
