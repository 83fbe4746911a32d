import {
  OVERLAY_ANNOTATIONS,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import { kubectlList, resources } from '../kube';
import { platform } from '../platform';
import { CommandFailedError, CommandRunner } from '../runner';
import {
  summarizeInstance,
  summarizeKustomization,
  summarizeObject,
} from './summarize';
import { Layer, PlatformStatus, StatusItem } from './types';

const layerTitles: Record<Layer, string> = {
  source: 'Source (the Git repositories Flux reads)',
  core: 'Core (gitops/core: controllers, add-ons, Kafka)',
  foundation:
    'Foundation (gitops/foundation: abstractions as KRO RGDs, policies)',
  delivery: 'Delivery (gitops/workspaces: workspaces and their requests)',
  other: 'Other',
};

const kustomizationOrder = [...platform.layerKustomizations];

/**
 * Asks the cluster whether it answers at all (`kubectl get --raw /readyz`).
 *
 * @returns undefined when it does, otherwise what went wrong.
 * @public
 */
export async function checkClusterReachable(
  runner: CommandRunner,
  context: string,
): Promise<string | undefined> {
  const result = await runner.run('kubectl', [
    '--context',
    context,
    'get',
    '--raw',
    '/readyz',
    '--request-timeout=5s',
  ]);
  if (result.code === 0) return undefined;
  return (
    (result.stderr || result.stdout).trim() ||
    `kubectl exited with code ${result.code}`
  );
}

/**
 * Reads Flux Kustomizations and HelmReleases, KRO ResourceGraphDefinitions and the platform
 * instances (kinds taken from the RGDs whose `spec.schema.group` is the platform group), reads
 * each one's status with atlas-node's interpreter of its kind, and groups them by layer.
 *
 * @public
 */
export async function collectStatus(
  runner: CommandRunner,
  context: string,
): Promise<PlatformStatus> {
  const unreachable = await checkClusterReachable(runner, context);
  if (unreachable) {
    return { context, reachable: false, error: unreachable };
  }

  const problems: string[] = [];
  const read = async (
    what: string,
    hint: string,
    list: () => Promise<KubeObject[]>,
  ) => {
    try {
      return await list();
    } catch (error) {
      const detail =
        error instanceof CommandFailedError
          ? (error.result.stderr || error.result.stdout).trim()
          : String(error);
      problems.push(`${what}: ${detail}${hint ? ` (${hint})` : ''}`);
      return [];
    }
  };

  const gitRepositories = await read(
    'Flux GitRepositories',
    'is Flux installed?',
    () =>
      kubectlList(runner, context, resources.gitRepositories, {
        allNamespaces: true,
      }),
  );
  const kustomizations = await read(
    'Flux Kustomizations',
    'is Flux installed?',
    () =>
      kubectlList(runner, context, resources.kustomizations, {
        allNamespaces: true,
      }),
  );
  const helmReleases = await read(
    'Flux HelmReleases',
    'is Flux installed?',
    () =>
      kubectlList(runner, context, resources.helmReleases, {
        allNamespaces: true,
      }),
  );
  const rgds = await read(
    'KRO ResourceGraphDefinitions',
    'is KRO installed? core-controllers installs it',
    () => kubectlList(runner, context, resources.resourceGraphDefinitions),
  );

  const instances: KubeObject[] = [];
  const platformRgds = rgds
    .filter(
      rgd =>
        rgd.spec?.schema?.group === platform.instanceGroup &&
        rgd.spec?.schema?.kind,
    )
    .sort(
      (a, b) =>
        instanceKindRank(a) - instanceKindRank(b) || compareByKind(a, b),
    );
  for (const rgd of platformRgds) {
    const kind: string = rgd.spec.schema.kind;
    const resource = `${kind.toLowerCase()}.${platform.instanceGroup}`;
    instances.push(
      ...(await read(
        `${kind} instances (${resource})`,
        rgd.status?.state === 'Active'
          ? ''
          : `RGD ${rgd.metadata.name} is not Active`,
        () => kubectlList(runner, context, resource, { allNamespaces: true }),
      )),
    );
  }

  const rgdOfKind = new Map(
    platformRgds.map(rgd => [rgd.spec.schema.kind as string, rgd]),
  );
  const items: StatusItem[] = [
    ...gitRepositories
      .sort(compareByNamespacedName)
      .map(o => summarizeObject(o, 'source')),
    ...kustomizations.sort(compareKustomizations).map(summarizeKustomization),
    ...helmReleases
      .sort(compareByNamespacedName)
      .map(o => summarizeObject(o, 'core')),
    ...rgds
      .sort(compareByNamespacedName)
      .map(o => summarizeObject(o, 'foundation')),
    ...sortInstances(instances, platformRgds).map(o =>
      summarizeInstance(o, rgdOfKind.get(o.kind)),
    ),
  ];

  const layers = (
    ['source', 'core', 'foundation', 'delivery', 'other'] as Layer[]
  )
    .map(layer => ({
      layer,
      title: layerTitles[layer],
      items: items.filter(item => item.layer === layer),
    }))
    .filter(
      group =>
        (group.layer !== 'other' && group.layer !== 'source') ||
        group.items.length > 0,
    );

  const readyCount = items.filter(item => item.health === 'ready').length;
  return {
    context,
    reachable: true,
    ready:
      problems.length === 0 && items.length > 0 && readyCount === items.length,
    summary: { total: items.length, ready: readyCount },
    layers,
    problems,
  };
}

function compareByNamespacedName(a: KubeObject, b: KubeObject): number {
  return (
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

function compareKustomizations(a: KubeObject, b: KubeObject): number {
  const rank = (o: KubeObject) => {
    const index = kustomizationOrder.indexOf(o.metadata.name as never);
    return index === -1 ? kustomizationOrder.length : index;
  };
  return rank(a) - rank(b) || compareByNamespacedName(a, b);
}

/** The workspace abstraction first: it holds the others. */
function instanceKindRank(rgd: KubeObject): number {
  return rgd.metadata.annotations?.[OVERLAY_ANNOTATIONS.workspace] === 'true'
    ? 0
    : 1;
}

function compareByKind(a: KubeObject, b: KubeObject): number {
  return String(a.spec.schema.kind).localeCompare(String(b.spec.schema.kind));
}

function sortInstances(
  instances: KubeObject[],
  rgds: KubeObject[],
): KubeObject[] {
  const kindOrder = rgds.map(rgd => rgd.spec.schema.kind as string);
  return [...instances].sort(
    (a, b) =>
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
      kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
}
