import { statusCommand } from '../commands/status';
import {
  clusterFixtureHandler,
  loadClusterFixture,
} from '../__testUtils__/clusterFixtures';
import { createTestEnvironment } from '../__testUtils__/testEnvironment';
import { ExitCode } from '../exitCodes';
import { collectStatus } from './collectStatus';
import { renderStatusJson, renderStatusTable } from './renderStatus';
import { summarizeInstance } from './summarize';
import { PlatformStatus } from './types';

const context = 'kind-mini-atlas';

async function statusOf(fixture: string) {
  const t = createTestEnvironment({
    repoRoot: '/repo',
    handler: clusterFixtureHandler(loadClusterFixture(fixture)),
  });
  const status = await collectStatus(t.env.runner, context);
  return { status, plan: t.plan() };
}

describe('collectStatus', () => {
  it('reads the cluster with these kubectl calls, instance kinds taken from the platform RGDs', async () => {
    const { plan } = await statusOf('healthy-cluster');
    expect(plan).toEqual([
      'kubectl --context kind-mini-atlas get --raw /readyz --request-timeout=5s',
      'kubectl --context kind-mini-atlas get gitrepositories.source.toolkit.fluxcd.io -A -o json',
      'kubectl --context kind-mini-atlas get kustomizations.kustomize.toolkit.fluxcd.io -A -o json',
      'kubectl --context kind-mini-atlas get helmreleases.helm.toolkit.fluxcd.io -A -o json',
      'kubectl --context kind-mini-atlas get resourcegraphdefinitions.kro.run -o json',
      'kubectl --context kind-mini-atlas get workspace.platform.mini-atlas.io -A -o json',
      'kubectl --context kind-mini-atlas get infrastructure.platform.mini-atlas.io -A -o json',
      'kubectl --context kind-mini-atlas get topic.platform.mini-atlas.io -A -o json',
      'kubectl --context kind-mini-atlas get webapplication.platform.mini-atlas.io -A -o json',
    ]);
  });

  it('groups a converged cluster by layer, all ready', async () => {
    const { status } = await statusOf('healthy-cluster');
    if (!status.reachable) throw new Error('expected reachable');
    expect(status.ready).toBe(true);
    expect(status.summary).toEqual({ total: 19, ready: 19 });
    expect(status.problems).toEqual([]);
    const names = Object.fromEntries(
      status.layers.map(g => [
        g.layer,
        g.items.map(i => `${i.kind}/${i.name}`),
      ]),
    );
    expect(names).toEqual({
      source: ['GitRepository/mini-atlas'],
      core: [
        'Kustomization/core-controllers',
        'Kustomization/core-config',
        'HelmRelease/cilium',
        'HelmRelease/cloudnative-pg',
        'HelmRelease/kro',
        'HelmRelease/kyverno',
        'HelmRelease/strimzi',
      ],
      foundation: [
        'Kustomization/foundation',
        'ResourceGraphDefinition/infrastructure',
        'ResourceGraphDefinition/topic',
        'ResourceGraphDefinition/webapplication',
        'ResourceGraphDefinition/workspace',
      ],
      delivery: [
        'Kustomization/workspaces',
        'Kustomization/team-a-requests',
        'Workspace/team-a',
        'Infrastructure/team-a-data',
        'Topic/team-a-orders',
        'WebApplication/team-a-web',
      ],
    });
    expect(status.layers[0].items[0]).toMatchObject({
      layer: 'source',
      health: 'ready',
      summary: 'fetched main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
      facts: {
        url: 'http://172.18.0.1:8470/mini-atlas.git',
        revision: 'main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
      },
    });
    const core = status.layers[1].items;
    expect(core[0]).toEqual({
      layer: 'core',
      kind: 'Kustomization',
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      namespace: 'flux-system',
      name: 'core-controllers',
      health: 'ready',
      summary:
        'applied revision main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
      facts: {
        lastAppliedRevision:
          'main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
        lastAttemptedRevision:
          'main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
        path: './gitops/core/controllers',
      },
      conditions: [
        expect.objectContaining({
          type: 'Ready',
          status: 'True',
          reason: 'ReconciliationSucceeded',
          message:
            'Applied revision: main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
        }),
        expect.objectContaining({ type: 'Healthy', status: 'True' }),
      ],
    });
    expect(core[2]).toMatchObject({
      name: 'cilium',
      health: 'ready',
      summary: 'cilium@1.20.0 deployed in kube-system',
      facts: {
        chart: 'cilium@1.20.0',
        releaseStatus: 'deployed',
        release: 'kube-system/cilium.v2',
      },
      appliedBy: 'flux-system/core-controllers',
    });
    expect(status.layers[2].items[4]).toMatchObject({
      name: 'workspace',
      health: 'ready',
      summary: 'Active, serves Workspace.platform.mini-atlas.io/v1alpha1',
      facts: { state: 'Active' },
    });
    expect(status.layers[3].items[2]).toMatchObject({
      kind: 'Workspace',
      name: 'team-a',
      health: 'ready',
      summary: 'ACTIVE: all resources are created and ready',
      facts: { state: 'ACTIVE', generation: 1, observedGeneration: 1 },
      appliedBy: 'flux-system/workspaces',
    });
  });

  it('explains what is not ready on a degraded cluster', async () => {
    const { status } = await statusOf('degraded-cluster');
    if (!status.reachable) throw new Error('expected reachable');
    expect(status.ready).toBe(false);
    const byName = Object.fromEntries(
      status.layers.flatMap(g => g.items).map(i => [`${i.kind}/${i.name}`, i]),
    );
    expect(byName['GitRepository/mini-atlas']).toMatchObject({
      health: 'failed',
      facts: { revision: 'main@sha1:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d' },
    });
    expect(byName['GitRepository/mini-atlas'].summary).toMatch(
      /^failed to checkout and determine revision: .*connect: connection refused \(GitOperationFailed\)$/,
    );
    expect(byName['Kustomization/core-controllers']).toMatchObject({
      health: 'failed',
      summary:
        "health check failed after 15m0.02s: timeout waiting for: [HelmRelease/flux-system/kyverno status: 'Failed'] (HealthCheckFailed)",
    });
    // Waiting for a dependency is not a failure of its own.
    expect(byName['Kustomization/core-config']).toMatchObject({
      health: 'progressing',
      summary:
        "dependency 'flux-system/core-controllers' is not ready (DependencyNotReady)",
    });
    // Ready=True, but for generation 1 of 2.
    expect(byName['Kustomization/workspaces']).toMatchObject({
      health: 'progressing',
      summary: 'generation 2 not reconciled yet (Ready is for generation 1)',
    });
    expect(byName['Kustomization/team-a-requests']).toMatchObject({
      layer: 'delivery',
      health: 'failed',
    });
    expect(byName['Kustomization/team-a-requests'].summary).toMatch(
      /^kustomize build failed: .*topic-payments\.yaml: no such file or directory.* \(BuildFailed\)$/,
    );
    // The Helm error from Ready, then that helm-controller gave up (Stalled).
    expect(byName['HelmRelease/kyverno']).toMatchObject({
      health: 'failed',
      summary:
        'Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded (InstallFailed); stalled: Failed to install after 4 attempt(s) (RetriesExceeded)',
      facts: { releaseStatus: 'failed', failures: 4 },
    });
    expect(byName['HelmRelease/strimzi']).toMatchObject({
      health: 'progressing',
      summary: "Running 'install' action with timeout of 10m0s (Progressing)",
    });
    // The RGD's Ready condition says nothing: the failing GraphAccepted explains it.
    expect(byName['ResourceGraphDefinition/infrastructure']).toMatchObject({
      health: 'failed',
      summary:
        "Inactive: failed to build resourcegraphdefinition 'infrastructure': failed to get schema for resource database: schema not found for postgresql.cnpg.io/v1, Kind=Cluster (InvalidResourceGraph)",
      facts: { state: 'Inactive' },
    });
    expect(byName['ResourceGraphDefinition/demo-app']).toMatchObject({
      health: 'ready',
      facts: { serves: 'DemoApp.kro.run/v1alpha1' },
    });
    expect(byName['Topic/team-a-orders']).toMatchObject({
      health: 'progressing',
      facts: { state: 'IN_PROGRESS' },
    });
    expect(byName['Topic/team-a-orders'].summary).toMatch(
      /^IN_PROGRESS: resource kafkaTopic is not ready: waiting for readyWhen .* \(NotReady\)$/,
    );
    expect(byName['WebApplication/team-b-shop']).toMatchObject({
      health: 'failed',
      summary:
        'ERROR: failed to resolve resource database: secrets "team-b-data-app" not found (ResolutionFailed)',
      facts: { state: 'ERROR' },
    });
    expect(status.problems).toEqual([
      'Infrastructure instances (infrastructure.platform.mini-atlas.io): error: the server doesn\'t have a resource type "infrastructure" (RGD infrastructure is not Active)',
    ]);
  });

  it('says when no cluster answers', async () => {
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: () => ({
        code: 1,
        stderr: 'error: context "kind-mini-atlas" does not exist\n',
      }),
    });
    const status = await collectStatus(t.env.runner, context);
    expect(status).toEqual({
      context,
      reachable: false,
      error: 'error: context "kind-mini-atlas" does not exist',
    });
    expect(t.plan()).toHaveLength(1);
  });

  it('reports a cluster without Flux or KRO as problems, not as a crash', async () => {
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: (_command, args) =>
        args.includes('--raw')
          ? { stdout: 'ok' }
          : {
              code: 1,
              stderr: `error: the server doesn't have a resource type "${args[3]}"\n`,
            },
    });
    const status = await collectStatus(t.env.runner, context);
    if (!status.reachable) throw new Error('expected reachable');
    expect(status.ready).toBe(false);
    expect(status.summary.total).toBe(0);
    expect(status.problems).toHaveLength(4);
    expect(status.problems[0]).toMatch(
      /^Flux GitRepositories: .*\(is Flux installed\?\)$/,
    );
    expect(renderStatusTable(status)).toContain(
      'Nothing of the platform is in the cluster yet (run `yarn atlas up`).',
    );
  });
});

describe('summarizeInstance', () => {
  const fixture = loadClusterFixture('degraded-cluster');
  const [workspace] = fixture.instances.workspace;

  it('is not ready while KRO has not processed the current generation', () => {
    const edited = {
      ...workspace,
      metadata: { ...workspace.metadata, generation: 2 },
    };
    expect(summarizeInstance(edited)).toMatchObject({
      health: 'progressing',
      summary:
        'KRO has not processed the latest change yet (generation 2, observed 1)',
      facts: { state: 'ACTIVE', generation: 2, observedGeneration: 1 },
    });
  });

  it('explains an instance KRO has not picked up by the RGD that serves its kind', () => {
    const rgd = fixture.resourcegraphdefinitions.find(
      r => r.metadata.name === 'infrastructure',
    );
    const untouched = {
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Infrastructure',
      metadata: { name: 'team-a-data', namespace: 'team-a', generation: 1 },
      spec: { database: { instances: 1 } },
    };
    expect(summarizeInstance(untouched, rgd)).toMatchObject({
      layer: 'delivery',
      health: 'progressing',
      summary: expect.stringMatching(
        /^KRO has not picked it up: ResourceGraphDefinition infrastructure is Inactive: failed to build/,
      ),
    });
  });
});

describe('renderStatusTable', () => {
  it('renders a converged cluster', async () => {
    const { status } = await statusOf('healthy-cluster');
    expect(renderStatusTable(status, { width: 160 })).toMatchSnapshot();
  });

  it('renders a degraded cluster, cutting long messages to the width', async () => {
    const { status } = await statusOf('degraded-cluster');
    const table = renderStatusTable(status, { width: 150 });
    expect(table).toMatchSnapshot();
    const tableLines = table.split('\n').filter(line => /^ {2}\w/.test(line));
    expect(tableLines.length).toBeGreaterThan(10);
    for (const line of tableLines) {
      expect(line.length).toBeLessThanOrEqual(150);
    }
    expect(table).toContain('main@sha1:9e8d7c6b5a4f');
    expect(table).not.toContain(
      'main@sha1:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
    );
    expect(table).toMatch(
      /^ {2}HelmRelease\s+flux-system\s+kyverno\s+failed\s+Helm install failed/m,
    );
    expect(table).toContain('Could not read:');
    // Everything not ready, in full: nothing cut, the reasons kept.
    const notReady = table
      .split('Not ready (full messages):\n')[1]
      .split('\n\n')[0]
      .split('\n');
    expect(notReady).toHaveLength(11);
    expect(notReady).toContain(
      '  - HelmRelease flux-system/kyverno (failed): Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded (InstallFailed); stalled: Failed to install after 4 attempt(s) (RetriesExceeded)',
    );
    expect(notReady).toContain(
      "  - Kustomization flux-system/team-a-requests (failed): kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'topic-payments.yaml': open /tmp/kustomization-3815460195/gitops/workspaces/team-a/topic-payments.yaml: no such file or directory': must build at directory: not a valid directory (BuildFailed)",
    );
    expect(table).toContain(
      '8 of 19 ready; 11 not ready; some objects could not be read.',
    );
    expect(table).toMatch(
      /^ {2}RGD\s+-\s+infrastructure\s+failed\s+Inactive: failed to build/m,
    );
  });

  it('renders an unreachable cluster', () => {
    const status: PlatformStatus = {
      context,
      reachable: false,
      error: 'error: context "kind-mini-atlas" does not exist',
    };
    expect(renderStatusTable(status)).toBe(
      [
        'No cluster reachable at kubeconfig context "kind-mini-atlas".',
        '  error: context "kind-mini-atlas" does not exist',
        'Start the platform with `yarn atlas up`, or pass --context for another cluster.',
        '',
      ].join('\n'),
    );
  });
});

describe('renderStatusJson', () => {
  it('is the status model as JSON, full revisions included', async () => {
    const { status } = await statusOf('degraded-cluster');
    const json = JSON.parse(renderStatusJson(status));
    expect(json).toEqual(JSON.parse(JSON.stringify(status)));
    expect(json.reachable).toBe(true);
    expect(json.ready).toBe(false);
    expect(json.layers.map((g: any) => g.layer)).toEqual([
      'source',
      'core',
      'foundation',
      'delivery',
    ]);
    expect(json.layers[1].items[0]).toMatchObject({
      name: 'core-controllers',
      health: 'failed',
      facts: {
        lastAppliedRevision:
          'main@sha1:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
      },
    });
    // The conditions as the controllers wrote them, for scripts that want the reasons.
    expect(json.layers[1].items[3]).toMatchObject({
      name: 'kyverno',
      conditions: expect.arrayContaining([
        expect.objectContaining({
          type: 'Ready',
          status: 'False',
          reason: 'InstallFailed',
        }),
      ]),
    });
  });
});

describe('statusCommand', () => {
  it('prints the table and exits 0 when the cluster answers', async () => {
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: clusterFixtureHandler(loadClusterFixture('healthy-cluster')),
    });
    const code = await statusCommand(t.env, {
      context,
      output: 'table',
      width: 160,
    });
    expect(code).toBe(ExitCode.Ok);
    expect(t.stdout()).toContain('All 19 ready.');
    expect(t.plan()[0]).toBe('kubectl version --client');
  });

  it('prints JSON with -o json', async () => {
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: clusterFixtureHandler(loadClusterFixture('healthy-cluster')),
    });
    const code = await statusCommand(t.env, { context, output: 'json' });
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(t.stdout())).toMatchObject({
      context,
      reachable: true,
      ready: true,
    });
  });

  const refused = (_c: string, args: string[]) =>
    args[0] === 'version'
      ? { stdout: 'Client Version: v1.36.1' }
      : {
          code: 1,
          stderr: 'The connection to the server 127.0.0.1:40123 was refused\n',
        };

  it('exits NoCluster (4) and says so plainly when no cluster answers', async () => {
    const t = createTestEnvironment({ repoRoot: '/repo', handler: refused });
    expect(await statusCommand(t.env, { context, output: 'table' })).toBe(
      ExitCode.NoCluster,
    );
    expect(t.stdout()).toMatch(
      /^No cluster reachable at kubeconfig context "kind-mini-atlas"\./,
    );
    expect(t.stdout()).toContain(
      'The connection to the server 127.0.0.1:40123 was refused',
    );
  });

  it('exits NoCluster (4) with a JSON answer for -o json when no cluster answers', async () => {
    const t = createTestEnvironment({ repoRoot: '/repo', handler: refused });
    expect(await statusCommand(t.env, { context, output: 'json' })).toBe(
      ExitCode.NoCluster,
    );
    expect(JSON.parse(t.stdout())).toEqual({
      context,
      reachable: false,
      error: 'The connection to the server 127.0.0.1:40123 was refused',
    });
  });

  it('exits MissingPrerequisites (3) without kubectl', async () => {
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: () => ({ code: 127 }),
    });
    expect(await statusCommand(t.env, { context, output: 'table' })).toBe(
      ExitCode.MissingPrerequisites,
    );
    expect(t.stderr()).toMatch(
      /kubectl was not found on PATH; install kubectl/,
    );
  });
});
