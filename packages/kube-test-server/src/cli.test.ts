import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKubeTestServerCli } from './cli';
import { parseFixtures } from './fixtures';

const fixture = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: topics.platform.mini-atlas.io}
spec:
  group: platform.mini-atlas.io
  scope: Namespaced
  names: {kind: Topic, plural: topics}
  versions: [{name: v1alpha1, served: true, storage: true, subresources: {status: {}}}]
---
apiVersion: platform.mini-atlas.io/v1alpha1
kind: Topic
metadata: {name: team-a-orders, namespace: team-a}
spec: {partitions: 3}
status: {state: ACTIVE}
---
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}
`;

describe('fixtures and the command line', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-test-server-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('parses multi-document YAML, JSON arrays and List documents', () => {
    expect(parseFixtures(fixture).map(o => o.kind)).toEqual([
      'CustomResourceDefinition',
      'Topic',
      'Namespace',
    ]);
    expect(
      parseFixtures(
        '[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}]',
      ),
    ).toHaveLength(1);
    expect(() => parseFixtures('kind: Namespace')).toThrow(
      /needs apiVersion, kind and metadata/,
    );
  });

  it('starts a server with fixtures, prints its URL and writes a kubeconfig', async () => {
    const fixtureFile = join(dir, 'cluster.yaml');
    const kubeconfigFile = join(dir, 'kubeconfig');
    await writeFile(fixtureFile, fixture);
    const lines: string[] = [];
    const server = await runKubeTestServerCli(
      [
        '--fixtures',
        fixtureFile,
        '--add-on-crds',
        '--kubeconfig',
        kubeconfigFile,
        '--context',
        'e2e',
      ],
      line => lines.push(line),
    );
    try {
      expect(lines).toEqual([server!.url]);
      const topics = await (
        await fetch(
          `${
            server!.url
          }/apis/platform.mini-atlas.io/v1alpha1/namespaces/team-a/topics`,
        )
      ).json();
      expect(
        topics.items.map((t: any) => [t.metadata.name, t.status.state]),
      ).toEqual([['team-a-orders', 'ACTIVE']]);
      const rgds = await fetch(
        `${server!.url}/apis/kro.run/v1alpha1/resourcegraphdefinitions`,
      );
      expect(rgds.status).toBe(200);
      const kubeconfig = await readFile(kubeconfigFile, 'utf8');
      expect(kubeconfig).toContain(`server: ${server!.url}`);
      expect(kubeconfig).toContain('current-context: e2e');
    } finally {
      await server?.close();
    }
  });

  it('prints usage for --help without starting', async () => {
    const lines: string[] = [];
    expect(
      await runKubeTestServerCli(['--help'], line => lines.push(line)),
    ).toBeUndefined();
    expect(lines[0]).toMatch(/^Usage: kube-test-server/);
  });
});
