import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { atlasStatusApiRef } from '../../api';
import {
  FakeStatusApi,
  instance,
  summary,
  workspace,
} from '../../__testUtils__/fakeStatusApi';
import { rootRouteRef } from '../../routes';
import { filterWorkspaces, WorkspaceList } from './PlatformPage';

function fake() {
  const api = new FakeStatusApi();
  api.workspaces.set(
    'team-a',
    workspace('team-a', [
      instance('WebApplication', 'web'),
      instance(
        'Topic',
        'orders',
        'flux',
        'waiting for Flux to fetch commit b2c3d4e',
      ),
    ]),
  );
  api.workspaces.set(
    'team-b',
    workspace('team-b', [instance('Infrastructure', 'data')]),
  );
  api.workspaces.set(
    'payments',
    workspace('payments', [], { owner: 'team-b' }),
  );
  return api;
}

describe('WorkspaceList', () => {
  it('lists every workspace with health, owner, counts and where it stands', async () => {
    const api = fake();
    await renderInTestApp(<WorkspaceList />, {
      apis: [[atlasStatusApiRef, api]],
      mountedRoutes: { '/atlas': rootRouteRef },
    });
    const row = (await screen.findByRole('link', { name: 'team-a' })).closest(
      'tr',
    )!;
    expect(within(row).getByText('Progressing')).toBeInTheDocument();
    expect(within(row).getByText('1/2 ready')).toBeInTheDocument();
    expect(within(row).getByText('Topic 1')).toBeInTheDocument();
    expect(
      within(row).getByText(
        '1 of 2 requests ready; Topic orders: Flux: waiting for Flux to fetch commit b2c3d4e',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'team-a' })).toHaveAttribute(
      'href',
      '/atlas/workspaces/team-a',
    );
    expect(screen.getByText('3 of 3 workspaces')).toBeInTheDocument();
  });

  it('filters by text', async () => {
    await renderInTestApp(<WorkspaceList />, {
      apis: [[atlasStatusApiRef, fake()]],
      mountedRoutes: { '/atlas': rootRouteRef },
    });
    await screen.findByRole('link', { name: 'team-a' });
    fireEvent.change(screen.getByLabelText('Filter workspaces'), {
      target: { value: 'fetch commit' },
    });
    expect(screen.getByText('1 of 3 workspaces')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'team-b' }),
    ).not.toBeInTheDocument();
  });

  it('updates a row from a pushed summary without refetching', async () => {
    const api = fake();
    await renderInTestApp(<WorkspaceList />, {
      apis: [[atlasStatusApiRef, api]],
      mountedRoutes: { '/atlas': rootRouteRef },
    });
    await screen.findByRole('link', { name: 'team-a' });
    const calls = api.calls.length;
    const ready = workspace('team-a', [
      instance('WebApplication', 'web'),
      instance('Topic', 'orders'),
    ]);
    act(() =>
      api.emit({
        type: 'changed',
        workspaces: ['team-a'],
        summaries: [summary(ready)],
      }),
    );
    const row = (await screen.findByText('All 2 requests ready')).closest(
      'tr',
    )!;
    expect(within(row).getByText('Ready')).toBeInTheDocument();
    expect(api.calls.length).toBe(calls);
    // an event without summaries (or `all`) refetches
    api.workspaces.delete('payments');
    act(() => api.emit({ type: 'changed', workspaces: [], all: true }));
    await waitFor(() =>
      expect(screen.getByText('2 of 2 workspaces')).toBeInTheDocument(),
    );
  });

  it('shows the platform the workspaces stand on', async () => {
    const api = fake();
    api.platform = [
      {
        kind: 'GitRepository',
        name: 'mini-atlas',
        namespace: 'flux-system',
        health: 'ready',
        summary: 'fetched main@sha1:b2c3',
      },
      {
        kind: 'Kustomization',
        name: 'foundation',
        namespace: 'flux-system',
        health: 'failed',
        summary: 'health check failed',
      },
      {
        kind: 'ResourceGraphDefinition',
        name: 'topic',
        health: 'ready',
        summary: 'Active',
      },
      {
        kind: 'ValidatingPolicy',
        name: 'workspace-naming',
        health: 'progressing',
        summary: 'waiting for Kyverno to load the policy',
      },
    ];
    await renderInTestApp(<WorkspaceList />, {
      apis: [[atlasStatusApiRef, api]],
      mountedRoutes: { '/atlas': rootRouteRef },
    });
    const layers = await screen.findByLabelText('Layers');
    expect(within(layers).getByText('foundation')).toBeInTheDocument();
    expect(
      within(layers).getByTitle('health check failed'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Source')).getByText('mini-atlas'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Policies')).getByTitle(
        'waiting for Kyverno to load the policy',
      ),
    ).toBeInTheDocument();
  });

  it('says when the cluster is not reachable', async () => {
    const api = fake();
    api.cluster = {
      connected: false,
      reason: 'connect ECONNREFUSED 127.0.0.1:6443',
      context: 'kind-mini-atlas',
    };
    await renderInTestApp(<WorkspaceList />, {
      apis: [[atlasStatusApiRef, api]],
      mountedRoutes: { '/atlas': rootRouteRef },
    });
    expect(
      await screen.findByText(
        /The cluster is not reachable: showing what Git declares/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /connect ECONNREFUSED 127.0.0.1:6443 \(context kind-mini-atlas\)/,
      ),
    ).toBeInTheDocument();
  });
});

describe('filterWorkspaces', () => {
  it('filters by health, owner and every word', () => {
    const items = [...fake().workspaces.values()].map(summary);
    expect(
      filterWorkspaces(items, '', 'not-ready', '').map(w => w.name),
    ).toEqual(['team-a']);
    expect(
      filterWorkspaces(items, '', 'ready', 'team-b').map(w => w.name),
    ).toEqual(['team-b', 'payments']);
    expect(
      filterWorkspaces(items, 'team services', 'all', '').map(w => w.name),
    ).toEqual(['team-a', 'team-b', 'payments']);
    expect(
      filterWorkspaces(items, 'team-a services', 'all', '').map(w => w.name),
    ).toEqual(['team-a']);
  });
});
