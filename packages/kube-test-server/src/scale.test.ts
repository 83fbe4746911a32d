import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { request } from 'node:http';
import {
  benchmarkCluster,
  platformTypes,
} from './__testUtils__/benchmarkCluster';
import { waitFor } from './__testUtils__/waitFor';
import { addOnCrdTypes } from './builtinTypes';
import { startKubeTestServer } from './server';
import { KubeTestServer } from './types';

jest.setTimeout(120_000);

const report: string[] = [];
function measure<T>(label: string, fn: () => T): T {
  const started = performance.now();
  const result = fn();
  report.push(`${label}: ${(performance.now() - started).toFixed(0)} ms`);
  return result;
}
async function measureAsync<T>(
  label: string,
  fn: () => Promise<T>,
): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  report.push(`${label}: ${ms.toFixed(0)} ms`);
  return [result, ms];
}

/** A raw watch stream counting event lines per type, the way a fast client would read it. */
function rawWatch(url: string) {
  const counts: Record<string, number> = {};
  let total = 0;
  let buffered = '';
  const req = request(url, res => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const type = /^\{"type":"(\w+)"/.exec(line)?.[1] ?? 'unparsed';
        counts[type] = (counts[type] ?? 0) + 1;
        total++;
        newline = buffered.indexOf('\n');
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { counts, total: () => total, close: () => req.destroy() };
}

describe('scale: the status benchmark cluster (1,000 workspaces, 8,000 instances, 49,000 objects)', () => {
  let server: KubeTestServer;
  const objects = benchmarkCluster(1000);

  beforeAll(async () => {
    server = await startKubeTestServer({
      types: [...addOnCrdTypes, ...platformTypes],
    });
    measure(`load ${objects.length} objects with load()`, () =>
      server.load(objects),
    );
  });

  afterAll(async () => {
    await server.close();
    // The numbers the README quotes; printed so a run shows them.
    process.stdout.write(
      `\nkube-test-server scale report\n  ${report.join('\n  ')}\n`,
    );
  });

  it('holds every object', () => {
    expect(objects.length).toBe(49_001);
    expect(server.count({ apiVersion: 'v1', kind: 'Secret' })).toBe(10_000);
    expect(
      server.count({
        apiVersion: 'platform.mini-atlas.io/v1alpha1',
        kind: 'WebApplication',
      }),
    ).toBe(4_000);
    expect(
      server.count({ apiVersion: 'v1', kind: 'ConfigMap' }, 'team-0042'),
    ).toBe(5);
  });

  it('lists every object of every type over HTTP quickly', async () => {
    const types = server.types();
    const [total, ms] = await measureAsync(
      `HTTP list of all ${types.length} types cluster-wide (fetch + JSON.parse)`,
      async () => {
        let sum = 0;
        for (const t of types) {
          const base = t.group
            ? `/apis/${t.group}/${t.version}`
            : `/api/${t.version}`;
          const list = await (
            await fetch(`${server.url}${base}/${t.plural}`)
          ).json();
          sum += list.items.length;
        }
        return sum;
      },
    );
    // 49,001 generated objects plus the four default namespaces.
    expect(total).toBe(49_005);
    expect(ms).toBeLessThan(10_000);
  });

  it('lists a 10,000-object type in one page and in pages of 500', async () => {
    const [secrets, ms] = await measureAsync(
      'HTTP list of 10,000 Secrets in one answer',
      async () => (await fetch(`${server.url}/api/v1/secrets`)).json(),
    );
    expect(secrets.items).toHaveLength(10_000);
    expect(ms).toBeLessThan(5_000);

    const [pages] = await measureAsync(
      'HTTP list of 10,000 Secrets in pages of 500',
      async () => {
        let token = '';
        let count = 0;
        let n = 0;
        do {
          const page = await (
            await fetch(
              `${server.url}/api/v1/secrets?limit=500${
                token ? `&continue=${encodeURIComponent(token)}` : ''
              }`,
            )
          ).json();
          count += page.items.length;
          token = page.metadata.continue ?? '';
          n++;
        } while (token);
        return { count, n };
      },
    );
    expect(pages).toEqual({ count: 10_000, n: 20 });

    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    const [typed] = await measureAsync(
      'client-node listSecretForAllNamespaces (10,000, deserialized)',
      () => kc.makeApiClient(CoreV1Api).listSecretForAllNamespaces(),
    );
    expect(typed.items).toHaveLength(10_000);
  });

  it('selects one workspace by label among 8,000 instances', async () => {
    const [list] = await measureAsync(
      'HTTP list of WebApplications by label selector (1 of 1,000 owners)',
      async () =>
        (
          await fetch(
            `${server.url}/apis/platform.mini-atlas.io/v1alpha1/webapplications?labelSelector=mini-atlas.io%2Fowner%3Dteam-0500`,
          )
        ).json(),
    );
    expect(list.items.map((i: any) => i.metadata.name)).toEqual(
      [0, 1, 2, 3].map(i => `team-0500-web-${i}`),
    );
  });

  it('fans out 8,000 status changes to 20 watches', async () => {
    const api = 'platform.mini-atlas.io/v1alpha1';
    const base = `${server.url}/apis/platform.mini-atlas.io/v1alpha1`;
    const from = server.resourceVersion;
    const watches = [
      // 10 cluster-wide watches on each instance kind's plural (what the portal's cache does) ...
      ...Array.from({ length: 10 }, (_, i) =>
        rawWatch(
          `${base}/${
            ['webapplications', 'topics', 'infrastructures'][i % 3]
          }?watch=true&resourceVersion=${from}`,
        ),
      ),
      // ... and 10 watches of one namespace each.
      ...Array.from({ length: 10 }, (_, i) =>
        rawWatch(
          `${base}/namespaces/team-${String(i).padStart(
            4,
            '0',
          )}/webapplications?watch=true&resourceVersion=${from}`,
        ),
      ),
    ];
    await server.waitForWatches(20);

    const instances = objects.filter(
      o => o.apiVersion === api && o.kind !== 'Workspace',
    );
    expect(instances).toHaveLength(8_000);
    const started = performance.now();
    measure(
      '8,000 patchStatus() calls (store write + fan-out to 20 watches)',
      () => {
        for (const o of instances) {
          server.patchStatus(
            {
              apiVersion: api,
              kind: o.kind,
              name: o.metadata.name!,
              namespace: o.metadata.namespace,
            },
            { state: 'IN_PROGRESS' },
          );
        }
      },
    );
    // Each cluster-wide watch sees every change of its kind, each namespace watch its 4 web apps.
    const expected = watches.map((_, i) =>
      i < 10 ? [4_000, 2_000, 2_000][i % 3] : 4,
    );
    await waitFor(() => watches.every((w, i) => w.total() === expected[i]), {
      timeoutMs: 30_000,
      describe: () => watches.map(w => w.total()).join(','),
    });
    const ms = performance.now() - started;
    const delivered = expected.reduce((a, b) => a + b, 0);
    report.push(
      `fan-out: ${delivered} events to 20 watches delivered in ${ms.toFixed(
        0,
      )} ms (${Math.round((delivered / ms) * 1000)} events/s)`,
    );
    expect(watches[0].counts).toEqual({ MODIFIED: 4_000 });
    for (const w of watches) w.close();
    expect(ms).toBeLessThan(20_000);
  });
});
