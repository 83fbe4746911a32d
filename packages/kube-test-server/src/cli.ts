import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { addOnCrdTypes } from './builtinTypes';
import { readFixtureFile } from './fixtures';
import { startKubeTestServer } from './server';
import { KubeObject, KubeTestServer } from './types';

const usage = `Usage: kube-test-server [options]

Starts the Kubernetes test API server, prints its URL on the first line of stdout and runs
until SIGINT or SIGTERM.

Options:
  -f, --fixtures <file>      YAML or JSON objects to load (repeatable; CRDs register types)
  -p, --port <port>          port on 127.0.0.1 (default: random)
      --add-on-crds          register the add-on CRD kinds (KRO, Flux, Strimzi, CNPG, Cilium, Kyverno)
      --kubeconfig <file>    write a kubeconfig pointing at the server to this file
      --context <name>       context name in that kubeconfig (default: kind-mini-atlas)
      --bookmark-interval-ms <ms>  interval of watch bookmarks (default: 60000)
  -h, --help                 show this help
`;

/**
 * Runs the command line: starts a server from the arguments and returns it (the process keeps
 * running while it listens).
 *
 * @internal
 */
export async function runKubeTestServerCli(
  argv: string[],
  out: (line: string) => void = line => process.stdout.write(`${line}\n`),
): Promise<KubeTestServer | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fixtures: { type: 'string', short: 'f', multiple: true },
      port: { type: 'string', short: 'p' },
      'add-on-crds': { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      'bookmark-interval-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(usage);
    return undefined;
  }
  const objects: KubeObject[] = [];
  for (const file of values.fixtures ?? [])
    objects.push(...(await readFixtureFile(file)));
  const server = await startKubeTestServer({
    port: values.port ? Number(values.port) : 0,
    types: values['add-on-crds'] ? [...addOnCrdTypes] : [],
    objects,
    bookmarkIntervalMs: values['bookmark-interval-ms']
      ? Number(values['bookmark-interval-ms'])
      : undefined,
  });
  if (values.kubeconfig) {
    await writeFile(values.kubeconfig, server.kubeconfig(values.context));
  }
  out(server.url);
  return server;
}
