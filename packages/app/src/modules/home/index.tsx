import {
  createFrontendModule,
  PageBlueprint,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '@mini-atlas/plugin-atlas';
import { Navigate } from 'react-router-dom';

function ToPlatformPage() {
  const platformPage = useRouteRef(rootRouteRef);
  return <Navigate to={platformPage?.() ?? '/catalog'} replace />;
}

/** The portal opens on the Platform page: every workspace and where its requests stand. */
export const homeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    PageBlueprint.make({
      name: 'home',
      params: { path: '/', loader: async () => <ToPlatformPage /> },
    }),
  ],
});
