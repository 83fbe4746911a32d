import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import type { StatusEvent } from '@mini-atlas/plugin-atlas-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AtlasStatusClient } from './AtlasStatusClient';

const server = setupServer();
registerMswTestHooks(server);

const base = 'http://backend.test/api/atlas';
const discoveryApi = { getBaseUrl: async () => base };
const fetchApi = {
  fetch: (input: any, init?: any) =>
    fetch(input, {
      ...init,
      headers: { ...init?.headers, authorization: 'Bearer user-token' },
    }),
};

function sse(events: StatusEvent[], keepOpen: boolean) {
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    start(controller) {
      for (const event of events) {
        controller.enqueue(
          encoder.encode(
            `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
          ),
        );
      }
      if (!keepOpen) controller.close();
    },
  });
  return new HttpResponse(stream, {
    headers: { 'content-type': 'text/event-stream' },
  });
}

describe('AtlasStatusClient', () => {
  it('reads the status API with the user token and throws ResponseError on errors', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${base}/status/workspaces/:name`, ({ request, params }) => {
        seen.push(`${request.headers.get('authorization')} ${params.name}`);
        if (params.name === 'team-b')
          return HttpResponse.json(
            {
              error: {
                name: 'NotFoundError',
                message: 'No workspace named team-b',
              },
            },
            { status: 404 },
          );
        return HttpResponse.json({
          cluster: { connected: true },
          item: { name: params.name },
        });
      }),
    );
    const client = new AtlasStatusClient({ discoveryApi, fetchApi });
    await expect(client.getWorkspace('team-a')).resolves.toEqual({
      cluster: { connected: true },
      item: { name: 'team-a' },
    });
    await expect(client.getWorkspace('team-b')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
    expect(seen).toEqual([
      'Bearer user-token team-a',
      'Bearer user-token team-b',
    ]);
  });

  it('shares one event stream, and after it breaks reconnects and asks views to refetch', async () => {
    let connections = 0;
    server.use(
      http.get(`${base}/status/events`, () => {
        connections += 1;
        const hello: StatusEvent = {
          type: 'hello',
          cluster: { connected: true },
        };
        // the first stream ends after one change; the second stays open
        return connections === 1
          ? sse([hello, { type: 'changed', workspaces: ['team-a'] }], false)
          : sse([hello], true);
      }),
    );
    const client = new AtlasStatusClient({ discoveryApi, fetchApi });
    const a: StatusEvent[] = [];
    const b: StatusEvent[] = [];
    const stopA = client.subscribe(e => a.push(e));
    const stopB = client.subscribe(e => b.push(e));
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 5_000;
      const check = () => {
        if (a.length >= 4) resolve();
        else if (Date.now() > deadline)
          reject(new Error(`got ${JSON.stringify(a)}`));
        else setTimeout(check, 20);
      };
      check();
    });
    expect(a.map(e => e.type)).toEqual([
      'hello',
      'changed',
      'hello',
      'changed',
    ]);
    expect(a[3]).toEqual({ type: 'changed', workspaces: [], all: true });
    expect(b).toEqual(a);
    expect(connections).toBe(2);
    stopA();
    stopB();
  });
});
