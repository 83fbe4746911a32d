import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  checkAbstraction,
  GITOPS_LAYOUT,
  instanceFilePath,
  instanceIdentity,
  isPlainObject,
  renderInstance,
  RenderError,
  splitApiVersion,
  validateSpec,
  ATLAS_LABELS,
  type Abstraction,
  type AbstractionRegistry,
  type KubeObject,
  type SchemaProblem,
} from '@mini-atlas/plugin-atlas-common';
import { parse as parseYaml } from 'yaml';
import {
  isKindConfig,
  isKustomizeConfig,
  parseYamlDocuments,
  readGitopsTree,
  registryFromTree,
  type GitopsDocument,
  type GitopsProblem,
  type GitopsTree,
} from '../gitops/tree';
import { sampleInstances } from './samples';
import { SchemaCatalog } from './schemaCatalog';

const run = promisify(execFile);

/**
 * API groups whose CRDs a Helm chart installs, by chart name. A Flux Kustomization may use a
 * group only after (through `dependsOn`) the Kustomization whose HelmRelease installs it.
 * Flux's own groups come with `flux install` and are always there.
 *
 * @public
 */
export const CHART_CRD_GROUPS: Record<string, string[]> = {
  cilium: ['cilium.io'],
  'strimzi-kafka-operator': ['kafka.strimzi.io'],
  'cloudnative-pg': ['postgresql.cnpg.io'],
  kyverno: [
    'kyverno.io',
    'policies.kyverno.io',
    'reports.kyverno.io',
    'wgpolicyk8s.io',
  ],
  kro: ['kro.run', 'internal.kro.run'],
};

/**
 * Options of {@link validateGitops}.
 *
 * @public
 */
export interface ValidateGitopsOptions {
  /** The gitops folder (`<repo>/gitops`). Flux paths are relative to its parent. */
  gitopsDir: string;
  /** Folder of upstream CRD YAML files. */
  crdsDir?: string;
  /** Or the catalog of CRDs already loaded from it (saves parsing them again). */
  crds?: SchemaCatalog;
  /** The kubectl binary used for `kubectl kustomize`. */
  kubectl?: string;
}

/**
 * What {@link validateGitops} found.
 *
 * @public
 */
export interface GitopsValidationReport {
  problems: GitopsProblem[];
  counts: {
    manifests: number;
    abstractions: number;
    expressions: number;
    renderedObjects: number;
    instances: number;
    kustomizations: number;
    fluxKustomizations: number;
  };
}

function describe(problems: SchemaProblem[]): string {
  return problems
    .map(p => (p.path ? `${p.path} ${p.message}` : p.message))
    .join('; ');
}

function objectName(object: KubeObject): string {
  const ns = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind} ${ns}${object.metadata?.name ?? '?'}`;
}

/** Drops problems at or below the paths KRO fills in only in the cluster. */
function knownProblems(
  problems: SchemaProblem[],
  unknownPaths: string[],
): SchemaProblem[] {
  return problems.filter(
    p => !unknownPaths.some(u => p.path === u || p.path.startsWith(`${u}.`)),
  );
}

/**
 * Validates the gitops folder offline, as a cluster would, and more:
 *
 * - every manifest against the upstream CRD schema or the core Kubernetes schema, strictly;
 * - every RGD: its overlay, each `${...}` parses as CEL and refers only to declared fields and
 *   resource ids; each resource rendered for sample and example instances validates against its
 *   target schema, and names what it creates with the workspace prefix;
 * - every instance in `workspaces/` against its RGD's schema, its file path, namespace and name;
 * - every `kustomization.yaml` builds with `kubectl kustomize`, and lists every file beside it;
 * - the Flux Kustomizations: `dependsOn` acyclic and resolvable, `path` and `sourceRef` exist,
 *   and each one depends on the one installing the CRDs it uses.
 *
 * @public
 */
export async function validateGitops(
  options: ValidateGitopsOptions,
): Promise<GitopsValidationReport> {
  const tree = await readGitopsTree(options.gitopsDir);
  const problems: GitopsProblem[] = [...tree.problems];
  const counts = {
    manifests: 0,
    abstractions: 0,
    expressions: 0,
    renderedObjects: 0,
    instances: 0,
    kustomizations: 0,
    fluxKustomizations: 0,
  };

  const { registry, problem } = registryFromTree(tree);
  if (problem) problems.push(problem);
  const crds =
    options.crds ??
    (await SchemaCatalog.load({ crdsDir: requireCrdsDir(options.crdsDir) }));
  const catalog = crds.withAbstractions(registry?.list() ?? []);

  const manifests = tree.documents.filter(
    d => !isKustomizeConfig(d) && !isKindConfig(d),
  );
  for (const doc of manifests) {
    counts.manifests++;
    const found = catalog.validate(doc.object);
    if (found.length)
      problems.push({
        file: doc.file,
        message: `${objectName(doc.object)}: ${describe(found)}`,
      });
  }

  const rendered: RenderedSample[] = [];
  if (registry) {
    for (const abstraction of registry.list()) {
      counts.abstractions++;
      const file = abstraction.source ?? abstraction.name;
      const defects = checkAbstraction(abstraction);
      for (const p of defects)
        problems.push({ file, message: `${p.location}: ${p.message}` });
      counts.expressions += countExpressions(abstraction);
      if (defects.length) continue; // rendering would only repeat them
      const examples = instanceDocuments(tree, registry).filter(
        d => d.abstraction === abstraction,
      );
      const samples = [
        ...sampleInstances(abstraction),
        ...examples.map(d => ({
          label: `example ${d.file}`,
          instance: d.object,
        })),
      ];
      for (const { label, instance } of samples) {
        const objects = renderChecked(
          abstraction,
          instance,
          label,
          file,
          catalog,
          problems,
          counts,
        );
        if (objects)
          rendered.push({
            abstraction,
            objects,
            instance,
            example: label.startsWith('example '),
          });
      }
    }
    validateInstances(tree, registry, problems, counts);
  }

  const builds = await buildKustomizations(tree, options, problems, counts);
  validateFlux(tree, builds, rendered, problems, counts);
  return { problems, counts };
}

function requireCrdsDir(dir: string | undefined): string {
  if (!dir) throw new Error('validateGitops needs crdsDir or crds');
  return dir;
}

function renderChecked(
  abstraction: Abstraction,
  instance: KubeObject,
  label: string,
  file: string,
  catalog: SchemaCatalog,
  problems: GitopsProblem[],
  counts: GitopsValidationReport['counts'],
): KubeObject[] | undefined {
  let result;
  try {
    result = renderInstance(abstraction, instance, {
      isNamespaced: catalog.isNamespaced,
    });
  } catch (e) {
    if (e instanceof RenderError) {
      problems.push({ file, message: `rendering the ${label}: ${e.message}` });
      return undefined;
    }
    throw e;
  }
  const identity = instanceIdentity(abstraction, result.instance);
  const objects: KubeObject[] = [];
  for (const resource of result.resources) {
    resource.objects.forEach((object, index) => {
      counts.renderedObjects++;
      objects.push(object);
      const unknown = resource.unknown
        .filter(u => u.index === index)
        .map(u => u.path.join('.'));
      const found = knownProblems(catalog.validate(object), unknown);
      if (found.length) {
        problems.push({
          file,
          message: `resources[${
            resource.id
          }] rendered for the ${label} does not fit ${object.apiVersion} ${
            object.kind
          }: ${describe(found)}`,
        });
      }
      const namespaced = catalog.isNamespaced(object.apiVersion, object.kind);
      const prefix = identity && `${identity.workspace}-`;
      if (
        namespaced &&
        prefix &&
        !String(object.metadata?.name ?? '').startsWith(prefix)
      ) {
        problems.push({
          file,
          message: `resources[${resource.id}] rendered for the ${label} is named "${object.metadata?.name}", which does not start with the workspace prefix "${prefix}"`,
        });
      }
    });
  }
  return objects;
}

function countExpressions(abstraction: Abstraction): number {
  return (
    JSON.stringify([abstraction.resources, abstraction.status]).match(
      /\$\{/g,
    ) ?? []
  ).length;
}

function instanceDocuments(tree: GitopsTree, registry: AbstractionRegistry) {
  return tree.documents
    .filter(
      d =>
        d.file.startsWith(`${GITOPS_LAYOUT.workspaces}/`) &&
        !isKustomizeConfig(d),
    )
    .map(d => ({ ...d, abstraction: registry.forObject(d.object) }))
    .filter(
      (d): d is GitopsDocument & { abstraction: Abstraction } =>
        !!d.abstraction,
    );
}

function validateInstances(
  tree: GitopsTree,
  registry: AbstractionRegistry,
  problems: GitopsProblem[],
  counts: GitopsValidationReport['counts'],
) {
  const workspaceKind = registry.workspace();
  const workspaces = new Set(
    tree.documents
      .filter(d => registry.forObject(d.object) === workspaceKind)
      .map(d => d.object.metadata.name),
  );
  for (const doc of tree.documents) {
    if (
      !doc.file.startsWith(`${GITOPS_LAYOUT.workspaces}/`) ||
      isKustomizeConfig(doc)
    )
      continue;
    const abstraction = registry.forObject(doc.object);
    const fail = (message: string) =>
      problems.push({
        file: doc.file,
        message: `${objectName(doc.object)}: ${message}`,
      });
    if (!abstraction) {
      fail(
        `is not an instance of a platform abstraction (${registry
          .list()
          .map(a => a.kind)
          .join(', ')})`,
      );
      continue;
    }
    counts.instances++;
    const { problems: specProblems } = validateSpec(
      abstraction.specSchema,
      doc.object.spec,
    );
    if (specProblems.length) fail(describe(specProblems));
    if (!doc.object.metadata.labels?.[ATLAS_LABELS.owner])
      fail(`has no ${ATLAS_LABELS.owner} label`);
    const folder = doc.file.split('/')[1];
    const identity = instanceIdentity(abstraction, doc.object);
    if (!identity) {
      fail(`must be named "<workspace>-<name>" in its workspace's namespace`);
      continue;
    }
    if (identity.workspace !== folder)
      fail(
        `belongs to workspace ${identity.workspace} but is in folder ${folder}/`,
      );
    if (!abstraction.isWorkspace && !workspaces.has(identity.workspace)) {
      fail(
        `is in workspace ${identity.workspace}, which has no ${workspaceKind.kind}`,
      );
    }
    const expected = instanceFilePath(
      abstraction,
      identity.workspace,
      identity.name,
    );
    if (
      expected !==
      `${GITOPS_LAYOUT.workspaces}/${doc.file.split('/').slice(1).join('/')}`
    ) {
      fail(`should be in ${expected}`);
    }
  }
}

async function buildKustomizations(
  tree: GitopsTree,
  options: ValidateGitopsOptions,
  problems: GitopsProblem[],
  counts: GitopsValidationReport['counts'],
): Promise<Map<string, KubeObject[]>> {
  const builds = new Map<string, KubeObject[]>();
  const configs = tree.files.filter(f => /(^|\/)kustomization\.ya?ml$/.test(f));
  counts.kustomizations = configs.length;
  await Promise.all(
    configs.map(async file => {
      const dir = path.posix.dirname(file);
      try {
        const { stdout } = await run(
          options.kubectl ?? 'kubectl',
          ['kustomize', path.join(tree.root, dir)],
          {
            maxBuffer: 256 * 1024 * 1024,
          },
        );
        builds.set(
          dir === '.' ? '' : dir,
          parseYamlDocuments(stdout, file).objects,
        );
      } catch (e) {
        const err = e as { code?: string; stderr?: string; message: string };
        const reason =
          err.code === 'ENOENT'
            ? `${options.kubectl ?? 'kubectl'} not found`
            : (err.stderr || err.message).trim();
        problems.push({
          file,
          message: `kubectl kustomize failed: ${reason.split('\n')[0]}`,
        });
      }
    }),
  );
  // every instance file of the Delivery layer must be listed by a kustomization.yaml, or Flux never applies it
  const listed = new Set<string>();
  for (const file of configs.filter(f =>
    f.startsWith(`${GITOPS_LAYOUT.workspaces}/`),
  )) {
    const config =
      parseYaml(fs.readFileSync(path.join(tree.root, file), 'utf8')) ?? {};
    for (const entry of config.resources ?? []) {
      listed.add(
        path.posix.normalize(
          path.posix.join(path.posix.dirname(file), String(entry)),
        ),
      );
    }
  }
  for (const file of tree.files) {
    if (
      file.startsWith(`${GITOPS_LAYOUT.workspaces}/`) &&
      !configs.includes(file) &&
      !listed.has(file)
    ) {
      problems.push({
        file,
        message:
          'is not listed in any kustomization.yaml, so Flux never applies it',
      });
    }
  }
  return builds;
}

interface RenderedSample {
  abstraction: Abstraction;
  instance: KubeObject;
  objects: KubeObject[];
  /** Rendered from an instance in the gitops folder rather than a generated sample. */
  example: boolean;
}

interface FluxKustomization {
  name: string;
  namespace: string;
  path: string;
  dependsOn: string[];
  source: string;
  /** Where it is declared. */
  file: string;
  /** The Kustomization whose apply creates it (for those KRO creates from a Workspace). */
  parent?: string;
}

function validateFlux(
  tree: GitopsTree,
  builds: Map<string, KubeObject[]>,
  rendered: RenderedSample[],
  problems: GitopsProblem[],
  counts: GitopsValidationReport['counts'],
) {
  const repoRoot = path.dirname(tree.root);
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const sources = new Set(
    tree.documents
      .filter(
        d =>
          splitApiVersion(String(d.object.apiVersion)).group ===
          'source.toolkit.fluxcd.io',
      )
      .map(
        d =>
          `${d.object.kind}/${key(
            d.object.metadata.namespace ?? 'default',
            d.object.metadata.name,
          )}`,
      ),
  );
  const toFlux = (
    object: KubeObject,
    file: string,
    parent?: string,
  ): FluxKustomization => ({
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? 'default',
    path: String(object.spec?.path ?? '').replace(/^\.\//, ''),
    dependsOn: (object.spec?.dependsOn ?? []).map((d: any) =>
      key(d.namespace ?? object.metadata.namespace ?? 'default', d.name),
    ),
    source: `${object.spec?.sourceRef?.kind}/${key(
      object.spec?.sourceRef?.namespace ??
        object.metadata.namespace ??
        'default',
      object.spec?.sourceRef?.name,
    )}`,
    file,
    parent,
  });
  const isFluxKustomization = (o: KubeObject) =>
    o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1' &&
    o.kind === 'Kustomization';

  const declared = tree.documents
    .filter(d => isFluxKustomization(d.object))
    .map(d => toFlux(d.object, d.file));
  const byKey = new Map(declared.map(k => [key(k.namespace, k.name), k]));
  // Kustomizations KRO creates from the example workspaces, children of the one applying them
  for (const { abstraction, objects, instance, example } of rendered) {
    if (!example) continue;
    for (const object of objects.filter(isFluxKustomization)) {
      const applier = declared.find(k =>
        builds
          .get(k.path.replace(/^gitops\/?/, ''))
          ?.some(
            o =>
              o.kind === instance.kind &&
              o.metadata.name === instance.metadata.name,
          ),
      );
      const flux = toFlux(
        object,
        abstraction.source ?? abstraction.name,
        applier && key(applier.namespace, applier.name),
      );
      byKey.set(key(flux.namespace, flux.name), flux);
    }
  }
  counts.fluxKustomizations = byKey.size;

  const ancestors = (start: FluxKustomization): Set<string> => {
    const seen = new Set<string>();
    const stack = [...start.dependsOn, ...(start.parent ? [start.parent] : [])];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      const k = byKey.get(next);
      if (k) stack.push(...k.dependsOn, ...(k.parent ? [k.parent] : []));
    }
    return seen;
  };

  const providers = new Map<string, string>(); // API group -> Kustomization key
  for (const k of byKey.values()) {
    for (const object of builds.get(k.path.replace(/^gitops\/?/, '')) ?? []) {
      if (object.kind === 'HelmRelease') {
        for (const group of CHART_CRD_GROUPS[chartName(object, tree)] ?? [])
          providers.set(group, key(k.namespace, k.name));
      }
      if (object.kind === 'ResourceGraphDefinition') {
        providers.set(
          String(object.spec?.schema?.group ?? 'kro.run'),
          key(k.namespace, k.name),
        );
      }
    }
  }

  for (const k of byKey.values()) {
    const self = key(k.namespace, k.name);
    const fail = (message: string) =>
      problems.push({
        file: k.file,
        message: `Flux Kustomization ${self}: ${message}`,
      });
    if (!k.path || !fs.existsSync(path.join(repoRoot, k.path)))
      fail(`path ./${k.path} does not exist in the repository`);
    if (!sources.has(k.source)) fail(`sourceRef ${k.source} is not declared`);
    for (const dep of k.dependsOn)
      if (!byKey.has(dep)) fail(`dependsOn ${dep}, which is not declared`);
    const up = ancestors(k);
    if (up.has(self)) fail(`dependsOn forms a cycle through ${self}`);
    const used = new Set<string>();
    for (const object of builds.get(k.path.replace(/^gitops\/?/, '')) ?? []) {
      used.add(splitApiVersion(String(object.apiVersion)).group);
      if (object.kind === 'ResourceGraphDefinition') {
        // KRO checks RGD templates against the CRDs of the kinds they create
        for (const resource of object.spec?.resources ?? []) {
          const apiVersion =
            resource.template?.apiVersion ?? resource.externalRef?.apiVersion;
          if (typeof apiVersion === 'string')
            used.add(splitApiVersion(apiVersion).group);
        }
      }
    }
    for (const group of used) {
      const provider = providers.get(group);
      if (provider && provider !== self && !up.has(provider)) {
        fail(
          `uses ${group} but does not depend on ${provider}, which installs its CRDs`,
        );
      } else if (provider === self) {
        fail(
          `uses ${group} and installs its CRDs in the same apply; move one into a Kustomization it depends on`,
        );
      }
    }
  }
}

function chartName(release: KubeObject, tree: GitopsTree): string {
  const chart = release.spec?.chart?.spec?.chart;
  if (typeof chart === 'string') return chart;
  const ref = release.spec?.chartRef;
  if (isPlainObject(ref)) {
    const source = tree.documents.find(
      d => d.object.kind === ref.kind && d.object.metadata.name === ref.name,
    );
    const url = String(source?.object.spec?.url ?? '');
    return url.split('/').pop() ?? '';
  }
  return '';
}
