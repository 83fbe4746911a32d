import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '@mini-atlas/plugin-atlas-common';
import { parse } from 'yaml';
import { createFakeRepo, renderedEntryPoint } from '../__testUtils__/fakeRepo';
import {
  FakeHandler,
  createTestEnvironment,
} from '../__testUtils__/testEnvironment';
import { ExitCode } from '../exitCodes';
import { UpOptions, upCommand } from './up';

const SHA = 'main@sha1:3f786850e387550fdab836ed7e6dc881de23001b';

function kustomization(
  name: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system', generation: 1 },
    status: {
      observedGeneration: 1,
      ...(status === 'True' ? { lastAppliedRevision: SHA } : {}),
      conditions: [
        { type: 'Ready', status, reason, message, observedGeneration: 1 },
      ],
    },
  };
}

const ready = (name: string) =>
  kustomization(
    name,
    'True',
    'ReconciliationSucceeded',
    `Applied revision: ${SHA}`,
  );
const waiting = (name: string, dependency: string) =>
  kustomization(
    name,
    'False',
    'DependencyNotReady',
    `dependency 'flux-system/${dependency}' is not ready`,
  );

/** The Kustomizations in flux-system at each look, the last one repeating. */
const converging: KubeObject[][] = [
  [
    kustomization(
      'core-controllers',
      'Unknown',
      'Progressing',
      'Reconciliation in progress',
    ),
    waiting('core-config', 'core-controllers'),
    waiting('foundation', 'core-config'),
    waiting('workspaces', 'foundation'),
  ],
  [
    ready('core-controllers'),
    ready('core-config'),
    ready('foundation'),
    waiting('workspaces', 'foundation'),
  ],
  [
    ready('core-controllers'),
    ready('core-config'),
    ready('foundation'),
    ready('workspaces'),
    ready('team-a-requests'),
  ],
  [
    ready('core-controllers'),
    ready('core-config'),
    ready('foundation'),
    ready('workspaces'),
    ready('team-a-requests'),
    ready('team-b-requests'),
  ],
];

interface Scenario {
  clusters?: string;
  ciliumDeployed?: boolean;
  missing?: string[];
  dockerEngineDown?: boolean;
  fail?: (line: string) => boolean;
  looks?: KubeObject[][];
  psOutput?: string;
}

function handler(scenario: Scenario = {}): FakeHandler {
  let looks = 0;
  return (command, args) => {
    const line = [command, ...args].join(' ');
    if (scenario.missing?.includes(command)) {
      return { code: 127, stderr: `${command}: command not found` };
    }
    if (scenario.fail?.(line)) {
      return { code: 1, stderr: `Error: something broke in ${command}\n` };
    }
    switch (line) {
      case 'docker --version':
        return { stdout: 'Docker version 28.3.3, build 980b856\n' };
      case 'docker info --format {{.ServerVersion}}':
        return scenario.dockerEngineDown
          ? {
              code: 1,
              stderr:
                'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
            }
          : { stdout: '28.3.3\n' };
      case 'kind version':
        return { stdout: 'kind v0.32.0 go1.25.1 linux/amd64\n' };
      case 'kubectl version --client':
        return {
          stdout: 'Client Version: v1.36.1\nKustomize Version: v5.7.1\n',
        };
      case 'helm version --short':
        return { stdout: 'v3.19.0+g3d8990f\n' };
      case 'flux version --client':
        return { stdout: 'flux: v2.9.4\n' };
      case 'git --version':
        return { stdout: 'git version 2.50.1\n' };
      case 'kind get clusters':
        return {
          stdout: scenario.clusters ?? '',
          stderr: scenario.clusters ? '' : 'No kind clusters found.\n',
        };
      case 'helm status cilium --namespace kube-system --kube-context kind-mini-atlas -o json':
        return scenario.ciliumDeployed
          ? {
              stdout: JSON.stringify({
                name: 'cilium',
                info: { status: 'deployed' },
                version: 2,
              }),
            }
          : { code: 1, stderr: 'Error: release: not found\n' };
      case 'docker network inspect kind --format {{json .IPAM.Config}}':
        return {
          stdout:
            '[{"Subnet":"fc00:f853:ccd:e793::/64","Gateway":"fc00:f853:ccd:e793::1"},{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]\n',
        };
      case 'kubectl kustomize gitops/clusters/mini-atlas':
        return { stdout: renderedEntryPoint };
      case 'kubectl --context kind-mini-atlas get kustomizations.kustomize.toolkit.fluxcd.io -n flux-system -o json': {
        const states = scenario.looks ?? converging;
        const items = states[Math.min(looks++, states.length - 1)];
        return {
          stdout: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
        };
      }
      default:
        if (line.startsWith('ps -o command= -p ')) {
          return { stdout: scenario.psOutput ?? '' };
        }
        return undefined;
    }
  };
}

const prerequisites = [
  'docker --version',
  'docker info --format {{.ServerVersion}}',
  'kind version',
  'kubectl version --client',
  'helm version --short',
  'flux version --client',
];

const helmInstall =
  'helm upgrade --install cilium cilium --repo https://helm.cilium.io --version 1.20.0 --namespace kube-system --kube-context kind-mini-atlas --values - --set kubeProxyReplacement=true --set k8sServiceHost=mini-atlas-control-plane --set k8sServicePort=6443 --set ipam.mode=kubernetes --wait --timeout 10m';

const getKustomizations =
  'kubectl --context kind-mini-atlas get kustomizations.kustomize.toolkit.fluxcd.io -n flux-system -o json';

describe('upCommand', () => {
  let repo: ReturnType<typeof createFakeRepo>;
  const options: UpOptions = {
    name: 'mini-atlas',
    timeoutMs: 15 * 60_000,
    pollMs: 5000,
  };

  beforeEach(() => {
    repo = createFakeRepo();
  });
  afterEach(() => repo.cleanup());

  it('runs the whole plan on a laptop without a cluster', async () => {
    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: handler(),
    });

    const code = await upCommand(t.env, options);

    expect(t.stderr()).toBe('');
    expect(code).toBe(ExitCode.Ok);
    expect(t.plan()).toEqual([
      ...prerequisites,
      'git --version',
      // 2. Kind cluster
      'kind get clusters',
      'kind create cluster --name mini-atlas --config gitops/clusters/mini-atlas/kind-config.yaml',
      // 3. Cilium, then every node Ready
      'helm status cilium --namespace kube-system --kube-context kind-mini-atlas -o json',
      helmInstall,
      'kubectl --context kind-mini-atlas wait --for=condition=Ready nodes --all --timeout=5m',
      // 4. Flux
      'flux install --context kind-mini-atlas',
      'kubectl --context kind-mini-atlas -n flux-system wait --for=condition=Available deployment --all --timeout=5m',
      // 5. git server on the kind network gateway
      'docker network inspect kind --format {{json .IPAM.Config}}',
      `node packages/cli/bin/atlas serve-git --repo ${repo.root} --host 172.18.0.1 --port 8470 &`,
      'git ls-remote http://172.18.0.1:8470/mini-atlas.git HEAD',
      // 6. the cluster entry point
      'kubectl kustomize gitops/clusters/mini-atlas',
      'kubectl --context kind-mini-atlas apply -f -',
      // 7. one look per poll until every layer is Ready
      getKustomizations,
      getKustomizations,
      getKustomizations,
      getKustomizations,
    ]);

    // Cilium gets the HelmRelease's values on stdin; --set adds the cluster-specific ones.
    const helm = t.calls.find(
      c => c.command === 'helm' && c.args[0] === 'upgrade',
    )!;
    expect(parse(helm.input!)).toEqual({
      kubeProxyReplacement: true,
      k8sServiceHost: 'mini-atlas-control-plane',
      k8sServicePort: 6443,
      ipam: { mode: 'kubernetes' },
      ingressController: { enabled: true },
    });

    // The GitRepository now points at the served repository; the rest is unchanged.
    const apply = t.calls.find(c => c.args.includes('apply'))!;
    expect(apply.input!.match(/^---$/gm)).toHaveLength(2);
    const docs = apply
      .input!.split(/^---\n/m)
      .slice(1)
      .map(d => parse(d));
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual([
      'GitRepository/mini-atlas',
      'Kustomization/core-controllers',
    ]);
    expect(docs[0].spec).toEqual({
      ignore: '/*\n!/gitops/\n',
      interval: '1m',
      ref: { branch: 'main' },
      url: 'http://172.18.0.1:8470/mini-atlas.git',
    });

    // The detached server is recorded under .data/atlas.
    const dataDir = path.join(repo.root, '.data', 'atlas');
    expect(fs.readFileSync(path.join(dataDir, 'git-server.pid'), 'utf8')).toBe(
      '4242\n',
    );
    expect(
      JSON.parse(
        fs.readFileSync(path.join(dataDir, 'git-server.json'), 'utf8'),
      ),
    ).toMatchObject({
      pid: 4242,
      url: 'http://172.18.0.1:8470/mini-atlas.git',
      host: '172.18.0.1',
      port: 8470,
      repo: repo.root,
    });

    const out = t.stdout();
    expect(out).toContain('[1/7] Check prerequisites');
    expect(out).toContain(
      '[7/7] Wait for the layers to be Ready (timeout 15:00): core-controllers, core-config, foundation, workspaces, team-a-requests, team-b-requests',
    );
    expect(out).toMatch(
      /\[0:00\] core-config +progressing +dependency 'flux-system\/core-controllers' is not ready \(DependencyNotReady\)\n/,
    );
    expect(out).toMatch(
      /\[0:00\] team-b-requests +missing +not created yet \(KRO creates it for the Workspace team-b\)/,
    );
    expect(out).toMatch(
      /\[0:05\] core-controllers +ready +applied revision main@sha1:3f786850e387\n/,
    );
    expect(out).toMatch(/\[0:15\] team-b-requests +ready/);
    expect(out).toContain(
      'Flux follows branch "main" of http://172.18.0.1:8470/mini-atlas.git',
    );
    expect(out).toContain('Mini-Atlas is up after 0:15 of reconciliation.');
  });

  it('uses --git-url as given: no local git server, no git prerequisite', async () => {
    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: handler(),
    });

    const code = await upCommand(t.env, {
      ...options,
      gitUrl: 'https://github.com/example/mini-atlas.git',
    });

    expect(code).toBe(ExitCode.Ok);
    expect(t.plan()).toEqual([
      ...prerequisites,
      'kind get clusters',
      'kind create cluster --name mini-atlas --config gitops/clusters/mini-atlas/kind-config.yaml',
      'helm status cilium --namespace kube-system --kube-context kind-mini-atlas -o json',
      helmInstall,
      'kubectl --context kind-mini-atlas wait --for=condition=Ready nodes --all --timeout=5m',
      'flux install --context kind-mini-atlas',
      'kubectl --context kind-mini-atlas -n flux-system wait --for=condition=Available deployment --all --timeout=5m',
      'kubectl kustomize gitops/clusters/mini-atlas',
      'kubectl --context kind-mini-atlas apply -f -',
      getKustomizations,
      getKustomizations,
      getKustomizations,
      getKustomizations,
    ]);
    const apply = t.calls.find(c => c.args.includes('apply'))!;
    expect(apply.input).toContain(
      'url: https://github.com/example/mini-atlas.git',
    );
    expect(
      fs.existsSync(path.join(repo.root, '.data', 'atlas', 'git-server.pid')),
    ).toBe(false);
  });

  it('keeps what exists on a second run: cluster, Cilium release and git server', async () => {
    const first = createTestEnvironment({
      repoRoot: repo.root,
      handler: handler(),
    });
    await upCommand(first.env, options);

    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: handler({
        clusters: 'mini-atlas\nother\n',
        ciliumDeployed: true,
        psOutput: `node packages/cli/bin/atlas serve-git --repo ${repo.root} --host 172.18.0.1 --port 8470\n`,
      }),
    });
    t.alive.add(4242);

    const code = await upCommand(t.env, options);

    expect(code).toBe(ExitCode.Ok);
    expect(t.plan()).toEqual([
      ...prerequisites,
      'git --version',
      'kind get clusters',
      'kind export kubeconfig --name mini-atlas',
      'helm status cilium --namespace kube-system --kube-context kind-mini-atlas -o json',
      'kubectl --context kind-mini-atlas wait --for=condition=Ready nodes --all --timeout=5m',
      'flux install --context kind-mini-atlas',
      'kubectl --context kind-mini-atlas -n flux-system wait --for=condition=Available deployment --all --timeout=5m',
      'docker network inspect kind --format {{json .IPAM.Config}}',
      'ps -o command= -p 4242',
      'git ls-remote http://172.18.0.1:8470/mini-atlas.git HEAD',
      'kubectl kustomize gitops/clusters/mini-atlas',
      'kubectl --context kind-mini-atlas apply -f -',
      getKustomizations,
      getKustomizations,
      getKustomizations,
      getKustomizations,
    ]);
    expect(t.stdout()).toContain(
      'a Kind cluster named "mini-atlas" exists; keeping it',
    );
    expect(t.stdout()).toContain(
      'the Helm release kube-system/cilium is deployed; keeping it',
    );
    expect(t.stdout()).toContain('git server already running (pid 4242)');
  });

  it('replaces a recorded git server whose pid now belongs to another program', async () => {
    const dataDir = path.join(repo.root, '.data', 'atlas');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'git-server.pid'), '4000\n');
    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: handler({ psOutput: '/usr/lib/firefox/firefox\n' }),
    });
    t.alive.add(4000);

    expect(await upCommand(t.env, options)).toBe(ExitCode.Ok);
    expect(t.plan()).toContain('ps -o command= -p 4000');
    expect(t.killed).toEqual([]);
    expect(t.plan()).toContain(
      `node packages/cli/bin/atlas serve-git --repo ${repo.root} --host 172.18.0.1 --port 8470 &`,
    );
    expect(fs.readFileSync(path.join(dataDir, 'git-server.pid'), 'utf8')).toBe(
      '4242\n',
    );
  });

  it('stops before any cluster command when prerequisites are missing, naming each with a hint', async () => {
    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: handler({ missing: ['kind', 'flux'], dockerEngineDown: true }),
    });

    const code = await upCommand(t.env, options);

    expect(code).toBe(ExitCode.MissingPrerequisites);
    expect(t.plan()).toEqual([
      'docker --version',
      'docker info --format {{.ServerVersion}}',
      'kind version',
      'kubectl version --client',
      'helm version --short',
      'flux version --client',
      'git --version',
    ]);
    const err = t.stderr();
    expect(err).toMatch(
      /MISSING +docker +docker is installed but its engine does not answer \(`docker info` failed\); start Docker Desktop or the docker service/,
    );
    expect(err).toContain('Cannot connect to the Docker daemon');
    expect(err).toMatch(
      /MISSING +kind +kind was not found on PATH; install kind v0\.32 or newer: https:\/\/kind\.sigs\.k8s\.io/,
    );
    expect(err).toMatch(
      /MISSING +flux +flux was not found on PATH; install the Flux CLI v2\.9: https:\/\/fluxcd\.io/,
    );
    expect(err).toContain(
      'Step 1/7 "Check prerequisites" failed: missing: docker, kind, flux. Nothing was changed',
    );
    expect(t.stdout()).toMatch(/ok +helm +v3\.19\.0/);
  });

  it('stops when the gitops entry point is missing from the checkout', async () => {
    repo.cleanup();
    repo = createFakeRepo({
      omit: ['gitops/clusters/mini-atlas/kind-config.yaml'],
    });
    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: handler(),
    });

    expect(await upCommand(t.env, options)).toBe(ExitCode.MissingPrerequisites);
    expect(t.stderr()).toContain(
      'MISSING  gitops/clusters/mini-atlas/kind-config.yaml',
    );
    expect(t.plan().some(line => line.startsWith('kind get'))).toBe(false);
  });

  it.each([
    {
      step: 'Step 2/7 "Create the Kind cluster "mini-atlas" (gitops/clusters/mini-atlas/kind-config.yaml)" failed',
      failing: 'kind create cluster',
    },
    {
      step: 'Step 3/7 "Install Cilium 1.20.0 with Helm (CNI and kube-proxy replacement)" failed',
      failing: 'helm upgrade --install',
    },
    { step: 'Step 4/7 "Install Flux" failed', failing: 'flux install' },
    {
      step: 'Step 5/7 "Serve this repository to the cluster (read-only git over HTTP)" failed',
      failing: 'docker network inspect',
    },
    {
      step: 'Step 6/7 "Apply the cluster entry point gitops/clusters/mini-atlas" failed',
      failing: 'kubectl --context kind-mini-atlas apply',
    },
  ])(
    'stops at a failing step and names it: $failing',
    async ({ step, failing }) => {
      const t = createTestEnvironment({
        repoRoot: repo.root,
        handler: handler({ fail: line => line.startsWith(failing) }),
      });

      const code = await upCommand(t.env, options);

      expect(code).toBe(ExitCode.Failed);
      const plan = t.plan();
      expect(plan[plan.length - 1].startsWith(failing)).toBe(true);
      expect(t.stderr()).toContain(step);
      expect(t.stderr()).toContain(
        `exited with code 1:\n    Error: something broke in ${
          failing.split(' ')[0]
        }`,
      );
      expect(t.stderr()).toContain(
        'Fix the cause and run `yarn atlas up` again',
      );
    },
  );

  it('fails step 5 with the server log when the served repository does not answer', async () => {
    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: handler({ fail: line => line.startsWith('git ls-remote') }),
    });
    const dataDir = path.join(repo.root, '.data', 'atlas');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(
      path.join(dataDir, 'git-server.log'),
      'Cannot serve git: listen EADDRNOTAVAIL: address not available 172.18.0.1:8470\n',
    );

    expect(await upCommand(t.env, options)).toBe(ExitCode.Failed);
    expect(
      t.plan().filter(line => line.startsWith('git ls-remote')),
    ).toHaveLength(20);
    expect(t.stderr()).toContain(
      'the git server does not answer at http://172.18.0.1:8470/mini-atlas.git',
    );
    expect(t.stderr()).toContain('listen EADDRNOTAVAIL');
    expect(t.stderr()).toContain('pass --git-url');
  });

  it('on timeout names each layer that is not Ready, with its reason and message', async () => {
    const stuck = [
      ready('core-controllers'),
      kustomization(
        'core-config',
        'False',
        'HealthCheckFailed',
        "health check failed after 9m30s: timeout waiting for: [Kafka/kafka/bus status: 'InProgress']",
      ),
      waiting('foundation', 'core-config'),
      waiting('workspaces', 'foundation'),
    ];
    const base = handler({ looks: [stuck] });
    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: (command, args, runOptions) => {
        const line = [command, ...args].join(' ');
        if (line.includes('get --raw /readyz')) return { stdout: 'ok' };
        if (line.includes('get helmreleases.helm.toolkit.fluxcd.io')) {
          return {
            stdout: JSON.stringify({
              items: [
                {
                  apiVersion: 'helm.toolkit.fluxcd.io/v2',
                  kind: 'HelmRelease',
                  metadata: {
                    name: 'strimzi',
                    namespace: 'flux-system',
                    generation: 1,
                  },
                  status: {
                    observedGeneration: 1,
                    conditions: [
                      {
                        type: 'Ready',
                        status: 'False',
                        reason: 'UpgradeFailed',
                        message:
                          'Helm upgrade failed for release kafka/strimzi with chart strimzi-kafka-operator@1.2.0: timed out waiting for the condition',
                      },
                    ],
                  },
                },
              ],
            }),
          };
        }
        if (line.includes('get resourcegraphdefinitions.kro.run'))
          return { stdout: '{"items":[]}' };
        if (
          line.includes('get kustomizations.kustomize.toolkit.fluxcd.io -A')
        ) {
          return { stdout: JSON.stringify({ items: stuck }) };
        }
        return base(command, args, runOptions);
      },
    });

    const code = await upCommand(t.env, { ...options, timeoutMs: 120_000 });

    expect(code).toBe(ExitCode.Timeout);
    // 0, 5, ..., 120 s: 25 looks, then the status collection for the report.
    expect(t.plan().filter(line => line === getKustomizations)).toHaveLength(
      25,
    );
    const err = t.stderr();
    expect(err).toContain('Step 7/7 timed out after 2:00. Not ready:');
    expect(err).toMatch(
      /core-config +failed +health check failed after 9m30s: timeout waiting for: \[Kafka\/kafka\/bus status: 'InProgress'\] \(HealthCheckFailed\)/,
    );
    expect(err).toMatch(
      /foundation +progressing +dependency 'flux-system\/core-config' is not ready \(DependencyNotReady\)/,
    );
    expect(err).toMatch(
      /team-a-requests +missing +not created yet \(KRO creates it for the Workspace team-a\)/,
    );
    expect(err).not.toMatch(/^ +core-controllers/m);
    expect(err).toContain(
      'Also not ready:\n  HelmRelease flux-system/strimzi  failed: Helm upgrade failed for release kafka/strimzi with chart strimzi-kafka-operator@1.2.0: timed out waiting for the condition (UpgradeFailed)\n',
    );
    expect(err).toContain('`yarn atlas status`');
    expect(t.stdout()).toMatch(
      /\[1:00\] still waiting for core-config, foundation, workspaces, team-a-requests, team-b-requests/,
    );
  });

  it.each([
    [{ name: 'Mini_Atlas' }, '--name "Mini_Atlas" is not a valid cluster name'],
    [
      { gitUrl: 'git@github.com:x/y.git' },
      '--git-url "git@github.com:x/y.git" must start with http://, https:// or ssh://',
    ],
    [{ gitPort: 70000 }, '--git-port 70000 is not a port number'],
  ])(
    'refuses invalid options %j before running anything',
    async (override, message) => {
      const t = createTestEnvironment({
        repoRoot: repo.root,
        handler: handler(),
      });
      expect(await upCommand(t.env, { ...options, ...override })).toBe(
        ExitCode.Usage,
      );
      expect(t.stderr()).toContain(message);
      expect(t.plan()).toEqual([]);
    },
  );

  it('passes the cluster name to Kind, Helm, kubectl and flux', async () => {
    const base = handler();
    const t = createTestEnvironment({
      repoRoot: repo.root,
      handler: (command, args, runOptions) =>
        base(
          command,
          args.map(arg => (arg === 'kind-dev' ? 'kind-mini-atlas' : arg)),
          runOptions,
        ),
    });
    expect(await upCommand(t.env, { ...options, name: 'dev' })).toBe(
      ExitCode.Ok,
    );
    const plan = t.plan();
    expect(plan).toContain(
      'kind create cluster --name dev --config gitops/clusters/mini-atlas/kind-config.yaml',
    );
    expect(plan).toContain(
      helmInstall
        .replace(/kind-mini-atlas/, 'kind-dev')
        .replace(
          'k8sServiceHost=mini-atlas-control-plane',
          'k8sServiceHost=dev-control-plane',
        ),
    );
    expect(plan).toContain('flux install --context kind-dev');
    expect(plan).toContain('kubectl --context kind-dev apply -f -');
  });
});
