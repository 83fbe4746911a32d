import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  discoveryApiRef,
  fetchApiRef,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { AtlasName } from './AtlasName';
import { AtlasWorkspacePicker } from './AtlasWorkspacePicker';

/** The atlas backend's wizard routes, answering from a small table. */
function wizardBackend() {
  const calls: string[] = [];
  const fetchApi = {
    fetch: async (url: string) => {
      calls.push(url);
      const { pathname, searchParams } = new URL(url);
      let body: unknown;
      if (pathname.endsWith('/wizard/names')) {
        const name = searchParams.get('name') ?? searchParams.get('workspace');
        if (name === 'orders') {
          body = {
            problems: [],
            takenBy: 'Topic team-a-orders',
            available: false,
          };
        } else if (name !== name?.toLowerCase()) {
          body = {
            problems: [`name "${name}" must be lower case`],
            available: false,
          };
        } else {
          body = { problems: [], available: true };
        }
      } else if (pathname.endsWith('/wizard/workspaces')) {
        body = {
          items: [
            { name: 'team-a', owner: 'team-a', description: 'A', mayAdd: true },
            {
              name: 'team-b',
              owner: 'team-b',
              description: 'B',
              mayAdd: false,
            },
          ],
        };
      }
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  };
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://backend.test/api/${id}`,
  };
  return {
    calls,
    apis: [
      [fetchApiRef, fetchApi as unknown as FetchApi],
      [discoveryApiRef, discoveryApi as DiscoveryApi],
    ] as const,
  };
}

function nameProps(value: string, onChange = jest.fn()) {
  return {
    formData: value,
    onChange,
    schema: { title: 'Name', type: 'string' },
    uiSchema: { 'ui:options': { kind: 'Topic', names: 'request' } },
    formContext: { formData: { workspace: 'team-a' } },
    idSchema: { $id: 'root_name' },
    rawErrors: [],
    required: true,
  } as any;
}

describe('AtlasName', () => {
  it('tells as the user types whether the name is free', async () => {
    const backend = wizardBackend();
    await renderInTestApp(<AtlasName {...nameProps('payments')} />, {
      apis: backend.apis,
    });
    expect(
      await screen.findByText('Available: it will be named team-a-payments'),
    ).toBeInTheDocument();
    expect(backend.calls).toEqual([
      'http://backend.test/api/atlas/wizard/names?kind=Topic&workspace=team-a&name=payments',
    ]);
  });

  it.each([
    ['orders', 'Already taken by Topic team-a-orders'],
    ['Orders', 'name "Orders" must be lower case'],
  ])('shows why %j cannot be used', async (value, message) => {
    const backend = wizardBackend();
    await renderInTestApp(<AtlasName {...nameProps(value)} />, {
      apis: backend.apis,
    });
    expect(await screen.findByText(message)).toBeInTheDocument();
  });

  it('passes what the user types to the form', async () => {
    const backend = wizardBackend();
    const onChange = jest.fn();
    await renderInTestApp(<AtlasName {...nameProps('', onChange)} />, {
      apis: backend.apis,
    });
    fireEvent.change(screen.getByTestId('atlas-name'), {
      target: { value: 'clicks' },
    });
    expect(onChange).toHaveBeenCalledWith('clicks');
  });
});

describe('AtlasWorkspacePicker', () => {
  it('offers the workspaces, and only those the user may add to can be picked', async () => {
    const backend = wizardBackend();
    await renderInTestApp(
      <AtlasWorkspacePicker
        {...({
          formData: '',
          onChange: jest.fn(),
          schema: { title: 'Workspace', type: 'string' },
          uiSchema: {},
          idSchema: { $id: 'root_workspace' },
          rawErrors: [],
        } as any)}
      />,
      { apis: backend.apis },
    );
    await waitFor(() => expect(backend.calls).toHaveLength(1));
    fireEvent.mouseDown(screen.getByRole('button'));
    const teamA = await screen.findByRole('option', { name: 'team-a — A' });
    const teamB = screen.getByRole('option', {
      name: 'team-b — owned by team-b; you are not a member',
    });
    expect(teamA).not.toHaveAttribute('aria-disabled', 'true');
    expect(teamB).toHaveAttribute('aria-disabled', 'true');
  });
});
