import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import { atlasStatusApiRef } from '../../api';
import {
  FakeStatusApi,
  instance,
  workspace,
} from '../../__testUtils__/fakeStatusApi';
import { WorkspaceView } from './WorkspaceView';

const waitingForFlux =
  'waiting for Kustomization team-a/team-a-requests to apply commit b2c3d4e (it applied a1b2c3d)';

function fake() {
  const api = new FakeStatusApi();
  api.workspaces.set(
    'team-a',
    workspace(
      'team-a',
      [
        instance('Infrastructure', 'data'),
        instance('Topic', 'orders', 'flux', waitingForFlux),
        instance('Topic', 'payments'),
        instance(
          'WebApplication',
          'web',
          'resources',
          'Deployment team-a-web: 0/1 replicas available (2/3 ready)',
        ),
      ],
      {
        workspace: {
          ...instance('Workspace', 'team-a'),
          children: [
            {
              id: 'workspaceNamespace',
              apiVersion: 'v1',
              kind: 'Namespace',
              name: 'team-a',
              exists: true,
              health: 'ready',
              summary: 'Active',
              facts: {},
            },
            {
              id: 'requests',
              apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
              kind: 'Kustomization',
              name: 'team-a-requests',
              namespace: 'team-a',
              exists: true,
              health: 'ready',
              summary: 'applied revision main@sha1:a1b2c3d',
              facts: {},
            },
          ],
        },
      },
    ),
  );
  return api;
}

describe('WorkspaceView', () => {
  it('shows the stage pipeline of every request, grouped by abstraction, with the blocking reason in words', async () => {
    await renderInTestApp(<WorkspaceView name="team-a" />, {
      apis: [[atlasStatusApiRef, fake()]],
    });
    const orders = await screen.findByTestId('request-Topic-orders');
    expect(within(orders).getByLabelText('Git: done')).toBeInTheDocument();
    expect(within(orders).getByLabelText('Flux: waiting')).toBeInTheDocument();
    expect(within(orders).getByTestId('holding-reason')).toHaveTextContent(
      `Flux: ${waitingForFlux}`,
    );
    expect(
      within(orders).getByText('gitops/workspaces/team-a/topic-orders.yaml'),
    ).toBeInTheDocument();
    expect(screen.getByText('Topic (2)')).toBeInTheDocument();
    expect(screen.getByText('Web application (1)')).toBeInTheDocument();
    expect(screen.getByText('Infrastructure (1)')).toBeInTheDocument();
    const web = screen.getByTestId('request-WebApplication-web');
    expect(within(web).getByTestId('holding-reason')).toHaveTextContent(
      'Resources: Deployment team-a-web: 0/1 replicas available (2/3 ready)',
    );
    expect(screen.getByTestId('workspace-overall')).toHaveTextContent(
      `2 of 4 requests ready; Topic orders: Flux: ${waitingForFlux}`,
    );
    expect(
      screen.getByText('Kustomization team-a-requests'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('applied revision main@sha1:a1b2c3d'),
    ).toBeInTheDocument();
  });

  it('refetches when its workspace changes, not for another one', async () => {
    const api = fake();
    await renderInTestApp(<WorkspaceView name="team-a" />, {
      apis: [[atlasStatusApiRef, api]],
    });
    await screen.findByTestId('request-Topic-orders');
    const calls = api.calls.length;
    act(() => api.emit({ type: 'changed', workspaces: ['team-b'] }));
    expect(api.calls.length).toBe(calls);
    api.workspaces.set(
      'team-a',
      workspace('team-a', [
        instance('Infrastructure', 'data'),
        instance('Topic', 'orders'),
        instance('Topic', 'payments'),
        instance('WebApplication', 'web'),
      ]),
    );
    act(() => api.emit({ type: 'changed', workspaces: ['team-a'] }));
    await waitFor(() =>
      expect(screen.getByTestId('workspace-overall')).toHaveTextContent(
        'All 4 requests ready',
      ),
    );
    expect(
      within(screen.getByTestId('request-Topic-orders')).queryByTestId(
        'holding-reason',
      ),
    ).not.toBeInTheDocument();
  });

  it('says so when the workspace does not exist', async () => {
    await renderInTestApp(<WorkspaceView name="team-z" />, {
      apis: [[atlasStatusApiRef, fake()]],
    });
    expect(
      await screen.findByText('Error: No workspace named team-z'),
    ).toBeInTheDocument();
  });
});
