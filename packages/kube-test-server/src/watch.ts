import { ServerResponse } from 'node:http';
import { KubeApiError, expired, tooLargeResourceVersion } from './errors';
import { Selectors, matchesSelectors } from './selectors';
import {
  Entry,
  ObjectStore,
  StoreEvent,
  StoreWatcher,
  TypeState,
  entryJson,
  eventLine,
} from './store';
import { WatchInfo } from './types';

/** What a watch request asked for. */
export interface WatchParameters {
  namespace?: string;
  selectors: Selectors;
  labelSelector?: string;
  fieldSelector?: string;
  /** `''` (unset), `'0'` or a number. */
  resourceVersion: string;
  allowWatchBookmarks: boolean;
  /** `sendInitialEvents`: undefined when the client did not say. */
  sendInitialEvents?: boolean;
  timeoutSeconds: number;
  bookmarkIntervalMs: number;
}

/**
 * One open watch: a chunked answer of newline-delimited JSON events. Events are buffered and
 * written once per turn of the event loop, so a burst of changes goes out in few chunks.
 */
export class WatchStream implements StoreWatcher {
  readonly namespace?: string;
  readonly info: WatchInfo;
  private readonly filtered: boolean;
  private pending: string[] = [];
  private flushScheduled = false;
  private closed = false;
  private unsubscribe?: () => void;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly state: TypeState,
    private readonly params: WatchParameters,
    private readonly onClosed: (stream: WatchStream) => void,
  ) {
    this.namespace = params.namespace;
    this.filtered =
      params.selectors.labels.length > 0 || params.selectors.fields.length > 0;
    this.info = {
      resource: state.def.resource,
      namespace: params.namespace,
      labelSelector: params.labelSelector,
      fieldSelector: params.fieldSelector,
      resourceVersion: params.resourceVersion,
      allowWatchBookmarks: params.allowWatchBookmarks,
      openedAt: Date.now(),
    };
  }

  /** Sends the headers, the replayed or initial events, then follows the store. */
  start(store: ObjectStore): void {
    this.res.on('close', () => this.cleanUp());
    this.res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
    });
    this.res.flushHeaders();

    const requested = this.params.resourceVersion;
    if (requested !== '' && requested !== '0') {
      const rv = Number(requested);
      if (rv < this.state.oldestRV) {
        this.fail(
          expired(`too old resource version: ${rv} (${this.state.oldestRV})`),
        );
        return;
      }
      if (rv > store.rv) {
        this.fail(tooLargeResourceVersion(rv, store.rv));
        return;
      }
      for (const event of this.state.eventsAfter(rv)) this.onEvent(event);
    } else if (this.params.sendInitialEvents !== false) {
      for (const entry of this.state.entries(this.namespace)) {
        if (
          !this.filtered ||
          matchesSelectors(this.params.selectors, entry.object)
        ) {
          this.enqueue(this.line('ADDED', entry));
        }
      }
      if (this.params.sendInitialEvents && this.params.allowWatchBookmarks) {
        this.bookmark(store.rv, true);
      }
    }
    this.unsubscribe = this.state.subscribe(this);

    const timeout = setTimeout(
      () => this.end(),
      this.params.timeoutSeconds * 1000,
    );
    this.timers.push(timeout);
    if (this.params.allowWatchBookmarks) {
      const interval = setInterval(
        () => this.bookmark(store.rv),
        this.params.bookmarkIntervalMs,
      );
      this.timers.push(interval);
    }
    for (const timer of this.timers) timer.unref();
  }

  onEvent(event: StoreEvent): void {
    if (this.namespace !== undefined && event.namespace !== this.namespace)
      return;
    if (!this.filtered) {
      this.enqueue(eventLine(event));
      return;
    }
    const matchesNow = matchesSelectors(
      this.params.selectors,
      event.entry.object,
    );
    if (event.type === 'MODIFIED') {
      // Like the watch cache: an object entering the selection is ADDED, one leaving it DELETED.
      const matchedBefore =
        event.previous !== undefined &&
        matchesSelectors(this.params.selectors, event.previous.object);
      if (matchedBefore && !matchesNow)
        this.enqueue(this.line('DELETED', event.entry));
      else if (!matchedBefore && matchesNow)
        this.enqueue(this.line('ADDED', event.entry));
      else if (matchesNow) this.enqueue(eventLine(event));
      return;
    }
    if (matchesNow) this.enqueue(eventLine(event));
  }

  onTypeRemoved(): void {
    this.end();
  }

  /** Sends a BOOKMARK carrying `rv` (with the initial-events-end annotation if asked). */
  bookmark(rv: number, initialEventsEnd = false): void {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEventsEnd)
      metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const object = {
      kind: this.state.def.kind,
      apiVersion: this.state.def.apiVersion,
      metadata,
    };
    this.enqueue(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  }

  /** Ends the stream cleanly (what a watch timeout does). */
  end(): void {
    if (this.closed) return;
    this.flush();
    this.res.end();
    this.cleanUp();
  }

  /** Ends the stream abruptly: the connection is destroyed mid-answer. */
  destroy(): void {
    if (this.closed) return;
    this.cleanUp();
    this.res.socket?.destroy();
    this.res.destroy();
  }

  private fail(error: KubeApiError): void {
    this.enqueue(
      `${JSON.stringify({ type: 'ERROR', object: error.toStatus() })}\n`,
    );
    this.end();
  }

  private line(type: StoreEvent['type'], entry: Entry): string {
    return `{"type":"${type}","object":${entryJson(entry)}}\n`;
  }

  private enqueue(line: string): void {
    if (this.closed) return;
    this.pending.push(line);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.res.write(chunk);
  }

  private cleanUp(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.onClosed(this);
  }
}
