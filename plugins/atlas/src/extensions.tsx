import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import PublicIcon from '@material-ui/icons/Public';
import { AtlasStatusClient, atlasStatusApiRef } from './api';
import {
  isInstanceOf,
  isRequestInstance,
  isWorkspaceInstance,
} from './components/EntityCards/entityInstance';
import { rootRouteRef } from './routes';

/** The status API client. */
export const atlasStatusApi = ApiBlueprint.make({
  name: 'status',
  params: defineParams =>
    defineParams({
      api: atlasStatusApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AtlasStatusClient({ discoveryApi, fetchApi }),
    }),
});

/** The Platform page and the Workspace view under it. */
export const atlasPage = PageBlueprint.make({
  params: {
    path: '/atlas',
    title: 'Platform',
    icon: <PublicIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/AtlasRouter').then(m => <m.AtlasRouter />),
  },
});

/** The stages of any entity made from a Mini-Atlas request. */
export const requestStatusCard = EntityCardBlueprint.make({
  name: 'request-status',
  params: {
    type: 'content',
    filter: isRequestInstance,
    loader: () =>
      import('./components/EntityCards').then(m => <m.RequestStatusCard />),
  },
});

/** The Topic card. */
export const topicCard = EntityCardBlueprint.make({
  name: 'topic',
  params: {
    type: 'info',
    filter: isInstanceOf('Topic'),
    loader: () => import('./components/EntityCards').then(m => <m.TopicCard />),
  },
});

/** The WebApplication card. */
export const webApplicationCard = EntityCardBlueprint.make({
  name: 'web-application',
  params: {
    type: 'info',
    filter: isInstanceOf('WebApplication'),
    loader: () =>
      import('./components/EntityCards').then(m => <m.WebApplicationCard />),
  },
});

/** The Infrastructure card. */
export const infrastructureCard = EntityCardBlueprint.make({
  name: 'infrastructure',
  params: {
    type: 'info',
    filter: isInstanceOf('Infrastructure'),
    loader: () =>
      import('./components/EntityCards').then(m => <m.InfrastructureCard />),
  },
});

/** The Workspace view as a tab of the workspace's System entity. */
export const workspaceContent = EntityContentBlueprint.make({
  name: 'workspace',
  params: {
    path: '/platform',
    title: 'Platform status',
    filter: isWorkspaceInstance,
    loader: () =>
      Promise.all([
        import('./components/WorkspaceView'),
        import('@backstage/plugin-catalog-react'),
      ]).then(([view, catalog]) => {
        const Tab = () => {
          const { entity } = catalog.useEntity();
          return <view.WorkspaceView name={entity.metadata.name} />;
        };
        return <Tab />;
      }),
  },
});
