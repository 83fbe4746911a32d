import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { resolveCrdsDir } from './crdsDir';
import { SchemaCatalog } from './schemaCatalog';
import { validateGitops } from './validateGitops';

// Loading and compiling the upstream CRD schemas (Cilium's alone is 300 kB) takes seconds.
jest.setTimeout(180_000);

const repoRoot = path.resolve(__dirname, '../../../..');
let crds: SchemaCatalog;

beforeAll(async () => {
  crds = await SchemaCatalog.load({ crdsDir: resolveCrdsDir(repoRoot) });
});

describe('the shipped gitops folder', () => {
  it('validates offline: schemas, expressions, renders, instances, kustomizations and the Flux chain', async () => {
    const report = await validateGitops({
      gitopsDir: path.join(repoRoot, 'gitops'),
      crds,
    });
    expect(report.problems).toEqual([]);
    expect(report.counts.abstractions).toBe(4);
    expect(report.counts.manifests).toBeGreaterThanOrEqual(25);
    expect(report.counts.expressions).toBeGreaterThan(50);
    expect(report.counts.renderedObjects).toBeGreaterThan(15);
    expect(report.counts.fluxKustomizations).toBeGreaterThanOrEqual(5);
  });
});

type Docs = any[];

async function copyGitops(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-gitops-'));
  await fs.cp(path.join(repoRoot, 'gitops'), path.join(dir, 'gitops'), {
    recursive: true,
  });
  return path.join(dir, 'gitops');
}

async function edit(
  gitops: string,
  file: string,
  change: (docs: Docs) => void,
): Promise<void> {
  const full = path.join(gitops, file);
  const docs = parseAllDocuments(await fs.readFile(full, 'utf8')).map(d =>
    d.toJS(),
  );
  change(docs);
  await fs.writeFile(full, docs.map(d => stringify(d)).join('---\n'));
}

const find = (docs: Docs, kind: string, name?: string) =>
  docs.find(d => d.kind === kind && (!name || d.metadata.name === name));
const resource = (docs: Docs, id: string) =>
  docs[0].spec.resources.find((r: any) => r.id === id);

describe('a broken copy fails, naming the file and the reason', () => {
  const cases: Array<[string, string, (dir: string) => Promise<void>, RegExp]> =
    [
      [
        'unknown field in a HelmRelease',
        'core/controllers/kro.yaml',
        d =>
          edit(d, 'core/controllers/kro.yaml', docs => {
            find(docs, 'HelmRelease').spec.colour = 'red';
          }),
        /HelmRelease flux-system\/kro: spec.colour is not a known field/,
      ],
      [
        'missing required field of a CRD',
        'core/config/kafka-bus.yaml',
        d =>
          edit(d, 'core/config/kafka-bus.yaml', docs => {
            delete find(docs, 'KafkaNodePool').spec.roles;
          }),
        /KafkaNodePool kafka\/dual-role: spec.roles is required/,
      ],
      [
        'unknown API version',
        'core/config/kafka-bus.yaml',
        d =>
          edit(d, 'core/config/kafka-bus.yaml', docs => {
            find(docs, 'Kafka').apiVersion = 'kafka.strimzi.io/v1beta2';
          }),
        /no schema for kafka.strimzi.io\/v1beta2 Kafka/,
      ],
      [
        'unknown field in a core kind',
        'core/controllers/namespaces.yaml',
        d =>
          edit(d, 'core/controllers/namespaces.yaml', docs => {
            docs[0].metadata.colour = 'red';
          }),
        /Namespace \S+: metadata.colour is not a known field/,
      ],
      [
        'invalid YAML',
        'workspaces/team-a/topic-orders.yaml',
        d =>
          fs.appendFile(
            path.join(d, 'workspaces/team-a/topic-orders.yaml'),
            '\n  bad: [\n',
          ),
        /invalid YAML/,
      ],
      [
        'CEL that does not parse',
        'foundation/rgds/topic.yaml',
        d =>
          edit(d, 'foundation/rgds/topic.yaml', docs => {
            resource(docs, 'topic').template.spec.partitions =
              '${schema.spec.?partitions}';
          }),
        /resources\[topic\].template.spec.partitions: invalid CEL/,
      ],
      [
        'a reference to an undeclared field',
        'foundation/rgds/topic.yaml',
        d =>
          edit(d, 'foundation/rgds/topic.yaml', docs => {
            resource(docs, 'topic').template.spec.replicas =
              '${schema.spec.replica}';
          }),
        /schema.spec.replica is not a declared field of the schema/,
      ],
      [
        'a reference to an unknown resource id',
        'foundation/rgds/webapplication.yaml',
        d =>
          edit(d, 'foundation/rgds/webapplication.yaml', docs => {
            resource(
              docs,
              'ingress',
            ).template.spec.rules[0].http.paths[0].backend.service.name =
              '${svc.metadata.name}';
          }),
        /unknown identifier "svc"/,
      ],
      [
        'a rendered template that does not fit its target schema',
        'foundation/rgds/webapplication.yaml',
        d =>
          edit(d, 'foundation/rgds/webapplication.yaml', docs => {
            resource(docs, 'deployment').template.spec.replicas =
              '${schema.spec.image}';
          }),
        /resources\[deployment\] rendered for the sample with defaults does not fit apps\/v1 Deployment: spec.replicas must be a whole number/,
      ],
      [
        'a rendered name without the workspace prefix',
        'foundation/rgds/infrastructure.yaml',
        d =>
          edit(d, 'foundation/rgds/infrastructure.yaml', docs => {
            resource(docs, 'redis').template.metadata.name = 'redis';
          }),
        /resources\[redis\] rendered for the .* is named "redis", which does not start with the workspace prefix/,
      ],
      [
        'an overlay picker naming an unknown kind',
        'foundation/rgds/webapplication.yaml',
        d =>
          edit(d, 'foundation/rgds/webapplication.yaml', docs => {
            docs[0].metadata.annotations['portal.mini-atlas.io/fields'] =
              'database: {picker: Database}';
          }),
        /picker of field "database" names Database/,
      ],
      [
        'an instance outside its schema',
        'workspaces/team-a/topic-orders.yaml',
        d =>
          edit(d, 'workspaces/team-a/topic-orders.yaml', docs => {
            docs[0].spec = { partitions: 99 };
          }),
        /Topic team-a\/team-a-orders: spec.partitions must be <= 12/,
      ],
      [
        'an instance without the workspace prefix',
        'workspaces/team-a/topic-orders.yaml',
        d =>
          edit(d, 'workspaces/team-a/topic-orders.yaml', docs => {
            docs[0].metadata.name = 'orders';
          }),
        /must be named "<workspace>-<name>"/,
      ],
      [
        'a kustomization listing a missing file',
        'workspaces/team-a/kustomization.yaml',
        d =>
          edit(d, 'workspaces/team-a/kustomization.yaml', docs => {
            docs[0].resources.push('topic-missing.yaml');
          }),
        /kubectl kustomize failed/,
      ],
      [
        'an instance file no kustomization lists',
        'workspaces/team-a/topic-extra.yaml',
        async d => {
          await fs.copyFile(
            path.join(d, 'workspaces/team-a/topic-orders.yaml'),
            path.join(d, 'workspaces/team-a/topic-extra.yaml'),
          );
          await edit(d, 'workspaces/team-a/topic-extra.yaml', docs => {
            docs[0].metadata.name = 'team-a-extra';
          });
        },
        /is not listed in any kustomization.yaml/,
      ],
      [
        'a dependsOn cycle',
        'clusters/mini-atlas/layers.yaml',
        d =>
          edit(d, 'clusters/mini-atlas/layers.yaml', docs => {
            find(docs, 'Kustomization', 'core-controllers').spec.dependsOn = [
              { name: 'workspaces' },
            ];
          }),
        /dependsOn forms a cycle/,
      ],
      [
        'a dependsOn on a missing Kustomization',
        'clusters/mini-atlas/layers.yaml',
        d =>
          edit(d, 'clusters/mini-atlas/layers.yaml', docs => {
            find(docs, 'Kustomization', 'foundation').spec.dependsOn.push({
              name: 'nope',
            });
          }),
        /foundation: dependsOn flux-system\/nope, which is not declared/,
      ],
      [
        'a path that does not exist',
        'clusters/mini-atlas/layers.yaml',
        d =>
          edit(d, 'clusters/mini-atlas/layers.yaml', docs => {
            find(docs, 'Kustomization', 'core-config').spec.path =
              './gitops/core/nothing';
          }),
        /core-config: path .\/gitops\/core\/nothing does not exist/,
      ],
      [
        'a sourceRef that is not declared',
        'clusters/mini-atlas/layers.yaml',
        d =>
          edit(d, 'clusters/mini-atlas/layers.yaml', docs => {
            find(docs, 'Kustomization', 'workspaces').spec.sourceRef.name =
              'other';
          }),
        /workspaces: sourceRef GitRepository\/flux-system\/other is not declared/,
      ],
      [
        'a layer that does not wait for the CRDs it uses',
        'clusters/mini-atlas/layers.yaml',
        d =>
          edit(d, 'clusters/mini-atlas/layers.yaml', docs => {
            delete find(docs, 'Kustomization', 'foundation').spec.dependsOn;
          }),
        /foundation: uses \S+ but does not depend on flux-system\/core-\w+, which installs its CRDs/,
      ],
    ];

  it.each(cases)('%s', async (_name, file, breakIt, message) => {
    const gitops = await copyGitops();
    try {
      await breakIt(gitops);
      const { problems } = await validateGitops({ gitopsDir: gitops, crds });
      expect(problems).toContainEqual({
        file,
        message: expect.stringMatching(message),
      });
    } finally {
      await fs.rm(path.dirname(gitops), { recursive: true, force: true });
    }
  });
});
