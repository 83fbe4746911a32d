/* eslint-disable @backstage/no-undeclared-imports */
// The benchmark's cluster: a kube-test-server in a process of its own, so the backend's memory
// and CPU are measured alone. Started with fork(); answers commands over the IPC channel.
import fs from 'node:fs/promises';
import {
  startKubeTestServer,
  type KubeObject,
  type ResourceType,
} from '@mini-atlas/kube-test-server';

/** A command from the benchmark. */
export type ServerCommand =
  | { id: number; cmd: 'counts' }
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'count-objects' }
  | {
      id: number;
      cmd: 'patch-status';
      ref: {
        apiVersion: string;
        kind: string;
        name: string;
        namespace?: string;
      };
      status: Record<string, unknown>;
    }
  | { id: number; cmd: 'close' };

async function main() {
  const file = process.argv[2];
  const { types, objects } = JSON.parse(await fs.readFile(file, 'utf8')) as {
    types: ResourceType[];
    objects: KubeObject[];
  };
  const server = await startKubeTestServer({ types });
  const loaded = server.load(objects);
  process.send!({ ready: true, url: server.url, loaded });
  process.on('message', async (message: ServerCommand) => {
    let result: unknown;
    switch (message.cmd) {
      case 'counts':
        result = {
          counts: server.requestCounts(),
          watches: server.openWatches().length,
        };
        break;
      case 'reset':
        server.resetRequests();
        break;
      case 'count-objects':
        result = server.types().reduce(
          (sum, t) =>
            sum +
            server.count({
              apiVersion: t.group ? `${t.group}/${t.version}` : t.version,
              kind: t.kind,
            }),
          0,
        );
        break;
      case 'patch-status':
        result = server.patchStatus(message.ref, message.status).metadata
          .resourceVersion;
        break;
      case 'close':
        await server.close();
        process.send!({ id: message.id, result: true }, () => process.exit(0));
        return;
      default:
        break;
    }
    process.send!({ id: message.id, result });
  });
}

main().catch(error => {
  process.stderr.write(`bench cluster: ${error.stack ?? error}\n`);
  process.exit(1);
});
