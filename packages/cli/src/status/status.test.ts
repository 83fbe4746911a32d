import { statusCommand } from '../commands/status';
import {
  clusterFixtureHandler,
  loadClusterFixture,
} from '../__testUtils__/clusterFixtures';
import { createTestEnvironment } from '../__testUtils__/testEnvironment';
import { ExitCode } from '../exitCodes';
import { collectStatus } from './collectStatus';
import { renderStatusJson, renderStatusTable } from './renderStatus';
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
      ready: 'True',
      reason: 'Succeeded',
      url: 'http://172.18.0.1:8470/mini-atlas.git',
      revision: 'main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
    });
    const core = status.layers[1].items;
    expect(core[0]).toEqual({
      layer: 'core',
      kind: 'Kustomization',
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      namespace: 'flux-system',
      name: 'core-controllers',
      ready: 'True',
      reason: 'ReconciliationSucceeded',
      message:
        'Applied revision: main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
      revision: 'main@sha1:5c1f0e3a9b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e',
    });
    expect(core[2]).toMatchObject({
      name: 'cilium',
      state: 'deployed',
      reason: 'UpgradeSucceeded',
      revision: 'cilium@1.20.0',
      appliedBy: 'flux-system/core-controllers',
    });
    expect(status.layers[2].items[4]).toMatchObject({
      name: 'workspace',
      state: 'Active',
      ready: 'True',
      serves: 'Workspace.platform.mini-atlas.io/v1alpha1',
    });
    expect(status.layers[3].items[2]).toMatchObject({
      kind: 'Workspace',
      name: 'team-a',
      state: 'ACTIVE',
      ready: 'True',
      reason: 'Ready',
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
      ready: 'False',
      reason: 'GitOperationFailed',
      revision: 'main@sha1:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
    });
    expect(byName['GitRepository/mini-atlas'].message).toMatch(
      /connect: connection refused$/,
    );
    expect(byName['Kustomization/core-controllers']).toMatchObject({
      ready: 'False',
      reason: 'HealthCheckFailed',
    });
    expect(byName['Kustomization/core-config']).toMatchObject({
      ready: 'False',
      reason: 'DependencyNotReady',
      message: "dependency 'flux-system/core-controllers' is not ready",
    });
    // Ready=True, but for generation 1 of 2.
    expect(byName['Kustomization/workspaces']).toMatchObject({
      ready: 'Unknown',
      reason: 'Progressing',
      message: 'generation 2 not reconciled yet',
    });
    expect(byName['Kustomization/team-a-requests']).toMatchObject({
      layer: 'delivery',
      ready: 'False',
      reason: 'BuildFailed',
    });
    expect(byName['HelmRelease/kyverno']).toMatchObject({
      ready: 'False',
      reason: 'InstallFailed',
      state: 'failed',
      message:
        'Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded',
    });
    expect(byName['HelmRelease/strimzi']).toMatchObject({
      ready: 'Unknown',
      reason: 'Progressing',
    });
    // The RGD's Ready condition says nothing: the failing GraphAccepted explains it.
    expect(byName['ResourceGraphDefinition/infrastructure']).toMatchObject({
      state: 'Inactive',
      ready: 'False',
      reason: 'InvalidResourceGraph',
    });
    expect(byName['ResourceGraphDefinition/demo-app']).toMatchObject({
      serves: 'DemoApp.kro.run/v1alpha1',
    });
    expect(byName['Topic/team-a-orders']).toMatchObject({
      state: 'IN_PROGRESS',
      ready: 'False',
      reason: 'NotReady',
    });
    expect(byName['WebApplication/team-b-shop']).toMatchObject({
      state: 'ERROR',
      ready: 'False',
      reason: 'ResolutionFailed',
      message:
        'failed to resolve resource database: secrets "team-b-data-app" not found',
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
      /^ {2}HelmRelease\s+flux-system\s+kyverno\s+failed\s+False\s+InstallFailed\s+Helm install failed/m,
    );
    expect(table).toContain('Could not read:');
    expect(table).toContain(
      '  - HelmRelease flux-system/kyverno (InstallFailed): Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded\n',
    );
    expect(table).toContain(
      '8 of 19 ready; 11 not ready; some objects could not be read.',
    );
    expect(table).toMatch(
      /^ {2}RGD\s+-\s+infrastructure\s+Inactive\s+False\s+InvalidResourceGraph\s+failed to build/m,
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
    expect(json.layers[1].items[0].revision).toBe(
      'main@sha1:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
    );
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
