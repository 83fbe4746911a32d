import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { kindNetworkGateway } from '../dockerNetwork';
import { formatElapsed } from '../duration';
import { AtlasEnvironment } from '../environment';
import { ExitCode, ExitCodeValue } from '../exitCodes';
import { ensureDetachedGitServer } from '../gitServerProcess';
import {
  readCiliumHelmRelease,
  readWorkspaceNames,
  setGitRepositoryUrl,
} from '../gitops';
import { kindContext, platform } from '../platform';
import { Tool, checkPrerequisites } from '../prerequisites';
import { runChecked } from '../runner';
import { collectStatus } from '../status/collectStatus';
import {
  describeLayerState,
  expectedLayerKustomizations,
  waitForLayers,
} from '../waitForLayers';

/**
 * Options of `yarn atlas up`.
 *
 * @public
 */
export interface UpOptions {
  /** Kind cluster name (default `mini-atlas`). */
  name: string;
  /** A Git URL the cluster can reach; when unset, `up` serves this checkout itself. */
  gitUrl?: string;
  /** Port of the served repository on the Kind network gateway (default 8470). */
  gitPort?: number;
  /** How long to wait for the layers to become Ready. */
  timeoutMs: number;
  /** Time between two looks at the layers (default 5 s). */
  pollMs?: number;
}

/** A step failure that is the user's to fix before anything was changed. */
class PrerequisitesMissing extends Error {}

interface Step {
  title: string;
  run(): Promise<void>;
}

const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks `up` options; returns a message for the first invalid one.
 *
 * @public
 */
export function validateUpOptions(options: UpOptions): string | undefined {
  if (!CLUSTER_NAME.test(options.name) || options.name.length > 50) {
    return `--name "${options.name}" is not a valid cluster name (lower case letters, digits and "-", at most 50 characters)`;
  }
  if (
    options.gitUrl !== undefined &&
    !/^(http|https|ssh):\/\/.+/.test(options.gitUrl)
  ) {
    return `--git-url "${options.gitUrl}" must start with http://, https:// or ssh:// (what a Flux GitRepository accepts)`;
  }
  if (
    options.gitPort !== undefined &&
    (!Number.isInteger(options.gitPort) ||
      options.gitPort < 1 ||
      options.gitPort > 65535)
  ) {
    return `--git-port ${options.gitPort} is not a port number`;
  }
  return undefined;
}

/**
 * `yarn atlas up`: brings the platform up on a laptop with Docker, in seven steps: check
 * prerequisites, create the Kind cluster, install Cilium with Helm, install Flux, serve this
 * repository to the cluster (unless `--git-url`), apply `gitops/clusters/mini-atlas`, and
 * wait for the layers. Stops at the first failing step and names it.
 *
 * @public
 */
export async function upCommand(
  env: AtlasEnvironment,
  options: UpOptions,
): Promise<ExitCodeValue> {
  const { runner, output, paths } = env;
  const invalid = validateUpOptions(options);
  if (invalid) {
    output.error(invalid);
    return ExitCode.Usage;
  }

  const name = options.name;
  const context = kindContext(name);
  const serveGit = options.gitUrl === undefined;
  const gitPort = options.gitPort ?? platform.gitServer.defaultPort;
  const cilium = platform.cilium;
  let gitUrl = options.gitUrl ?? '';
  let servedBy = '';

  const steps: Step[] = [
    {
      title: 'Check prerequisites',
      async run() {
        const wanted: Tool[] = ['docker', 'kind', 'kubectl', 'helm', 'flux'];
        if (serveGit) wanted.push('git');
        const checks = await checkPrerequisites(runner, wanted);
        const problems: string[] = [];
        for (const check of checks) {
          if (check.ok) {
            output.info(
              `  ok       ${check.tool.padEnd(8)} ${
                check.version ?? ''
              }`.trimEnd(),
            );
          } else {
            output.error(`  MISSING  ${check.tool.padEnd(8)} ${check.problem}`);
            problems.push(check.tool);
          }
        }
        for (const file of [
          platform.kindConfig,
          path.join(platform.clusterEntryPoint, 'kustomization.yaml'),
        ]) {
          if (!fs.existsSync(path.join(paths.repoRoot, file))) {
            output.error(
              `  MISSING  ${file} (the gitops/ folder of this checkout is incomplete)`,
            );
            problems.push(file);
          }
        }
        if (problems.length > 0) {
          throw new PrerequisitesMissing(
            `missing: ${problems.join(
              ', ',
            )}. Nothing was changed; install what is missing and run \`yarn atlas up\` again.`,
          );
        }
      },
    },
    {
      title: `Create the Kind cluster "${name}" (${platform.kindConfig})`,
      async run() {
        const clusters = await runChecked(runner, 'kind', ['get', 'clusters']);
        if (
          clusters.stdout
            .split(/\r?\n/)
            .map(l => l.trim())
            .includes(name)
        ) {
          output.info(`  a Kind cluster named "${name}" exists; keeping it`);
          await runChecked(runner, 'kind', [
            'export',
            'kubeconfig',
            '--name',
            name,
          ]);
          return;
        }
        await runChecked(
          runner,
          'kind',
          [
            'create',
            'cluster',
            '--name',
            name,
            '--config',
            platform.kindConfig,
          ],
          { stream: true },
        );
      },
    },
    {
      title: `Install Cilium ${cilium.version} with Helm (CNI and kube-proxy replacement)`,
      async run() {
        const existing = await runner.run('helm', [
          'status',
          cilium.release,
          '--namespace',
          cilium.namespace,
          '--kube-context',
          context,
          '-o',
          'json',
        ]);
        if (
          existing.code === 0 &&
          releaseStatus(existing.stdout) === 'deployed'
        ) {
          output.info(
            `  the Helm release ${cilium.namespace}/${cilium.release} is deployed; keeping it`,
          );
        } else {
          // The HelmRelease's values first (so helm-controller later adopts the same release),
          // then the kube-proxy replacement values for this cluster name, which win.
          const release = readCiliumHelmRelease(paths.repoRoot);
          if (!release) {
            output.warn(
              `  no HelmRelease for the ${cilium.chart} chart in ${platform.coreControllersDir}; installing with the kube-proxy replacement values only`,
            );
          } else {
            output.info(
              `  values from ${release.file}, plus kube-proxy replacement for "${name}"`,
            );
            if (release.version && release.version !== cilium.version) {
              output.warn(
                `  ${release.file} pins chart version ${release.version}, up installs ${cilium.version}; Flux will change it when it takes the release over`,
              );
            }
          }
          await runChecked(
            runner,
            'helm',
            [
              'upgrade',
              '--install',
              cilium.release,
              cilium.chart,
              '--repo',
              cilium.repo,
              '--version',
              cilium.version,
              '--namespace',
              cilium.namespace,
              '--kube-context',
              context,
              ...(release ? ['--values', '-'] : []),
              '--set',
              'kubeProxyReplacement=true',
              '--set',
              `k8sServiceHost=${name}-control-plane`,
              '--set',
              'k8sServicePort=6443',
              '--set',
              'ipam.mode=kubernetes',
              '--wait',
              '--timeout',
              '10m',
            ],
            {
              stream: true,
              ...(release ? { input: stringify(release.values) } : {}),
            },
          );
        }
        await runChecked(
          runner,
          'kubectl',
          [
            '--context',
            context,
            'wait',
            '--for=condition=Ready',
            'nodes',
            '--all',
            '--timeout=5m',
          ],
          { stream: true },
        );
      },
    },
    {
      title: 'Install Flux',
      async run() {
        await runChecked(runner, 'flux', ['install', '--context', context], {
          stream: true,
        });
        await runChecked(
          runner,
          'kubectl',
          [
            '--context',
            context,
            '-n',
            platform.fluxNamespace,
            'wait',
            '--for=condition=Available',
            'deployment',
            '--all',
            '--timeout=5m',
          ],
          { stream: true },
        );
      },
    },
    {
      title: serveGit
        ? 'Serve this repository to the cluster (read-only git over HTTP)'
        : `Use the Git repository ${gitUrl}`,
      async run() {
        if (!serveGit) {
          output.info(
            `  Flux will read ${gitUrl} (--git-url); no local git server is started`,
          );
          return;
        }
        const host = await kindNetworkGateway(runner);
        const served = await ensureDetachedGitServer(env, {
          host,
          port: gitPort,
        });
        gitUrl = served.url;
        servedBy = `pid ${served.pid}`;
        output.info(`  serving ${paths.repoRoot} at ${gitUrl}`);
      },
    },
    {
      title: `Apply the cluster entry point ${platform.clusterEntryPoint}`,
      async run() {
        const built = await runChecked(runner, 'kubectl', [
          'kustomize',
          platform.clusterEntryPoint,
        ]);
        const rendered = setGitRepositoryUrl(built.stdout, gitUrl);
        await runChecked(
          runner,
          'kubectl',
          ['--context', context, 'apply', '-f', '-'],
          {
            input: rendered.manifests,
            stream: true,
          },
        );
        if (rendered.branch) {
          output.info(
            `  Flux follows branch "${rendered.branch}" of ${gitUrl}: it sees what is committed there, not uncommitted changes`,
          );
        }
      },
    },
  ];

  for (const [index, step] of steps.entries()) {
    output.info(`[${index + 1}/${steps.length + 1}] ${step.title}`);
    try {
      await step.run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      output.error(
        `Step ${index + 1}/${steps.length + 1} "${
          step.title
        }" failed: ${message}`,
      );
      if (error instanceof PrerequisitesMissing)
        return ExitCode.MissingPrerequisites;
      output.error(
        'Fix the cause and run `yarn atlas up` again (it keeps what is already there), or `yarn atlas down` to start over.',
      );
      return ExitCode.Failed;
    }
  }

  const total = steps.length + 1;
  const workspaces = readWorkspaceNames(paths.repoRoot);
  const expected = expectedLayerKustomizations(workspaces);
  output.info(
    `[${total}/${total}] Wait for the layers to be Ready (timeout ${formatElapsed(
      options.timeoutMs,
    )}): ${expected.join(', ')}`,
  );
  const started = env.clock.now();
  const waited = await waitForLayers(env, {
    context,
    expected,
    timeoutMs: options.timeoutMs,
    pollMs: options.pollMs,
  });

  if (!waited.ok) {
    const stuck = waited.states.filter(
      s => !(s.present && s.health === 'ready'),
    );
    const width = Math.max(...stuck.map(s => s.name.length));
    output.error(
      `Step ${total}/${total} timed out after ${formatElapsed(
        options.timeoutMs,
      )}. Not ready:`,
    );
    for (const state of stuck)
      output.error(`  ${describeLayerState(state, width)}`);
    const status = await collectStatus(runner, context);
    if (status.reachable) {
      const others = status.layers
        .flatMap(group => group.items)
        .filter(
          item => item.kind !== 'Kustomization' && item.health !== 'ready',
        );
      if (others.length > 0) {
        output.error('Also not ready:');
        for (const item of others) {
          output.error(
            `  ${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${
              item.name
            }  ${item.health}: ${item.summary}`,
          );
        }
      }
    }
    output.error(
      'The cluster is up and Flux keeps reconciling; follow it with `yarn atlas status`, or run `yarn atlas up` again to keep waiting.',
    );
    return ExitCode.Timeout;
  }

  output.info('');
  output.info(
    `Mini-Atlas is up after ${formatElapsed(
      env.clock.now() - started,
    )} of reconciliation.`,
  );
  output.info(`  kubectl context: ${context}`);
  output.info(
    `  Git source:      ${gitUrl}${
      servedBy ? ` (served by ${servedBy}, log .data/atlas/git-server.log)` : ''
    }`,
  );
  output.info(
    '  `yarn atlas status` shows every layer; `yarn atlas down` removes the cluster.',
  );
  return ExitCode.Ok;
}

function releaseStatus(helmStatusJson: string): string | undefined {
  try {
    return JSON.parse(helmStatusJson)?.info?.status;
  } catch {
    return undefined;
  }
}
