import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  InstanceResponse,
  StatusEvent,
  WorkspaceListResponse,
  WorkspaceResponse,
} from '@mini-atlas/plugin-atlas-common';
import type { AtlasStatusApi } from './AtlasStatusApi';
import { ServerSentEventParser } from './sse';

/**
 * Talks to `/api/atlas/status` with the app's `fetchApi` (so requests carry the user's token),
 * and reads the push channel as a server-sent event stream through the same `fetchApi`:
 * `EventSource` cannot send the Authorization header.
 *
 * @public
 */
export class AtlasStatusClient implements AtlasStatusApi {
  private readonly listeners = new Set<(event: StatusEvent) => void>();
  private abort?: AbortController;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private failures = 0;

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      /** Longest wait before reconnecting the event stream; default 10 s. */
      maxRetryDelayMs?: number;
    },
  ) {}

  listWorkspaces(): Promise<WorkspaceListResponse> {
    return this.get('/workspaces');
  }

  getWorkspace(name: string): Promise<WorkspaceResponse> {
    return this.get(`/workspaces/${encodeURIComponent(name)}`);
  }

  getInstance(
    workspace: string,
    kind: string,
    name: string,
  ): Promise<InstanceResponse> {
    return this.get(
      `/workspaces/${encodeURIComponent(
        workspace,
      )}/instances/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`,
    );
  }

  subscribe(listener: (event: StatusEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) void this.connect(false);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  private async get<T>(path: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('atlas');
    const response = await this.options.fetchApi.fetch(`${base}/status${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  private emit(event: StatusEvent) {
    for (const listener of [...this.listeners]) listener(event);
  }

  private disconnect() {
    clearTimeout(this.retryTimer);
    this.abort?.abort();
    this.abort = undefined;
  }

  private async connect(reconnecting: boolean) {
    this.disconnect();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const base = await this.options.discoveryApi.getBaseUrl('atlas');
      const response = await this.options.fetchApi.fetch(
        `${base}/status/events`,
        { headers: { accept: 'text/event-stream' }, signal: abort.signal },
      );
      if (!response.ok || !response.body)
        throw await ResponseError.fromResponse(response);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new ServerSentEventParser();
      let first = true;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const { data } of parser.push(
          decoder.decode(value, { stream: true }),
        )) {
          const event = JSON.parse(data) as StatusEvent;
          this.emit(event);
          if (first) {
            first = false;
            this.failures = 0;
            // what happened while the stream was down is not known: views refetch
            if (reconnecting)
              this.emit({ type: 'changed', workspaces: [], all: true });
          }
        }
      }
    } catch {
      // a stopped, refused or broken stream: reconnect below unless unsubscribed
    }
    if (abort.signal.aborted || this.listeners.size === 0) return;
    this.failures += 1;
    const delay = Math.min(
      this.options.maxRetryDelayMs ?? 10_000,
      500 * 2 ** (this.failures - 1),
    );
    this.retryTimer = setTimeout(() => void this.connect(true), delay);
  }
}
