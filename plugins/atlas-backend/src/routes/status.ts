import { InputError } from '@backstage/errors';
import type { StatusEvent } from '@mini-atlas/plugin-atlas-common';
import type { StatusService } from '@mini-atlas/plugin-atlas-node';
import type { Request, Response } from 'express';
import Router from 'express-promise-router';

/** A DNS label, as workspace and object names are. */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;

function checked(value: string, what: string, pattern = NAME): string {
  if (!pattern.test(value) || value.length > 63) {
    throw new InputError(`${JSON.stringify(value)} is not a valid ${what}`);
  }
  return value;
}

/**
 * Options of {@link createStatusRoutes}.
 *
 * @public
 */
export interface StatusRoutesOptions {
  status: StatusService;
  /** Interval of the comment lines that keep an idle event stream open; default 25 s. */
  heartbeatMs?: number;
}

/**
 * The status API, mounted at `/api/atlas/status`:
 *
 * - `GET /workspaces`: every workspace with its health, owner and counts;
 * - `GET /workspaces/:name`: one workspace with each request's stages;
 * - `GET /workspaces/:workspace/instances/:kind/:name`: one request with its children;
 * - `GET /events`: server-sent events (`hello`, `changed`, `cluster`) as the cluster and Git
 *   change.
 *
 * Every answer carries `cluster` (`connected`, `reason`): without a cluster the desired state
 * from Git is served with `connected: false`.
 *
 * @public
 */
export function createStatusRoutes(options: StatusRoutesOptions) {
  const { status } = options;
  const router = Router();

  router.get('/workspaces', async (_req, res) => {
    res.json(await status.listWorkspaces());
  });

  router.get('/workspaces/:name', async (req, res) => {
    res.json(
      await status.getWorkspace(checked(req.params.name, 'workspace name')),
    );
  });

  router.get(
    '/workspaces/:workspace/instances/:kind/:name',
    async (req, res) => {
      res.json(
        await status.getInstance(
          checked(req.params.workspace, 'workspace name'),
          checked(req.params.kind, 'kind', KIND),
          checked(req.params.name, 'name'),
        ),
      );
    },
  );

  router.get('/events', (req: Request, res: Response) => {
    res.status(200);
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform keeps the compression middleware from buffering the stream
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const flushable = res as Response & { flush?: () => void };
    const send = (event: StatusEvent) => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      flushable.flush?.();
    };
    send({ type: 'hello', cluster: status.connection() });
    const unsubscribe = status.onEvent(send);
    const heartbeat = setInterval(() => {
      res.write(': keep-alive\n\n');
      flushable.flush?.();
    }, options.heartbeatMs ?? 25_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  return router;
}
