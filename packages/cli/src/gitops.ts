import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { platform } from './platform';

/**
 * The cluster entry point with the GitRepository URL replaced.
 *
 * @public
 */
export interface RenderedEntryPoint {
  /** Multi-document YAML for `kubectl apply -f -`. */
  manifests: string;
  /** The branch the GitRepository follows (`spec.ref.branch`), when set. */
  branch?: string;
}

/**
 * Takes the output of `kubectl kustomize gitops/clusters/mini-atlas` and sets `spec.url` of
 * the GitRepository `flux-system/mini-atlas` to `gitUrl`; everything else is kept as is.
 *
 * @throws Error when the YAML holds no such GitRepository.
 * @public
 */
export function setGitRepositoryUrl(
  manifests: string,
  gitUrl: string,
): RenderedEntryPoint {
  const documents = parseAllDocuments(manifests);
  let found = false;
  let branch: string | undefined;
  for (const doc of documents) {
    if (doc.errors.length > 0) {
      throw new Error(
        `the kustomize output is not valid YAML: ${doc.errors[0].message}`,
      );
    }
    const object = doc.toJS() as any;
    if (
      object?.kind === 'GitRepository' &&
      String(object.apiVersion ?? '').startsWith('source.toolkit.fluxcd.io/') &&
      object.metadata?.name === platform.gitRepositoryName &&
      (object.metadata?.namespace ?? platform.fluxNamespace) ===
        platform.fluxNamespace
    ) {
      doc.setIn(['spec', 'url'], gitUrl);
      branch = object.spec?.ref?.branch;
      found = true;
    }
  }
  if (!found) {
    throw new Error(
      `${platform.clusterEntryPoint} holds no GitRepository ${platform.fluxNamespace}/${platform.gitRepositoryName} (source.toolkit.fluxcd.io); the Flux chain cannot start without it`,
    );
  }
  const kept = documents.filter(doc => doc.contents !== null);
  return {
    manifests: kept
      .map(doc => `---\n${doc.toString({ directives: false })}`)
      .join(''),
    ...(branch ? { branch } : {}),
  };
}

/**
 * The names of the Workspace instances listed in `gitops/workspaces/kustomization.yaml`,
 * i.e. the workspaces whose `<ws>-requests` Kustomization `up` waits for.
 *
 * @public
 */
export function readWorkspaceNames(repoRoot: string): string[] {
  const dir = path.join(repoRoot, platform.workspacesDir);
  const kustomization = readYamlObjects(
    path.join(dir, 'kustomization.yaml'),
  )[0];
  const entries: unknown = kustomization?.resources;
  if (!Array.isArray(entries)) return [];
  const names = new Set<string>();
  for (const entry of entries) {
    if (typeof entry !== 'string' || !/\.ya?ml$/.test(entry)) continue;
    for (const object of readYamlObjects(path.join(dir, entry))) {
      // a workspace is the cluster-scoped platform instance this file lists, whatever its kind
      if (
        String(object?.apiVersion ?? '').startsWith(
          `${platform.instanceGroup}/`,
        ) &&
        !object.metadata?.namespace &&
        typeof object.metadata?.name === 'string'
      ) {
        names.add(object.metadata.name);
      }
    }
  }
  return [...names].sort();
}

function readYamlObjects(file: string): any[] {
  if (!fs.existsSync(file)) return [];
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .filter(doc => doc.errors.length === 0)
    .map(doc => doc.toJS());
}

/**
 * The Cilium HelmRelease of the Core layer, as far as `up` needs it.
 *
 * @public
 */
export interface CiliumHelmRelease {
  /** File it was read from, relative to the repository root. */
  file: string;
  /** `spec.values`, installed first so helm-controller later finds the same release. */
  values: Record<string, unknown>;
  /** `spec.chart.spec.version`. */
  version?: string;
}

/**
 * Finds the HelmRelease of the `cilium` chart in `gitops/core/controllers/`, whose values
 * `up` installs before Flux exists.
 *
 * @returns undefined when there is none.
 * @public
 */
export function readCiliumHelmRelease(
  repoRoot: string,
): CiliumHelmRelease | undefined {
  const dir = path.join(repoRoot, platform.coreControllersDir);
  if (!fs.existsSync(dir)) return undefined;
  for (const entry of fs.readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(entry)) continue;
    for (const object of readYamlObjects(path.join(dir, entry))) {
      if (
        object?.kind === 'HelmRelease' &&
        String(object.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/') &&
        object.spec?.chart?.spec?.chart === platform.cilium.chart &&
        (object.spec?.releaseName ?? object.metadata?.name) ===
          platform.cilium.release
      ) {
        return {
          file: path.posix.join(platform.coreControllersDir, entry),
          values: object.spec.values ?? {},
          ...(object.spec.chart.spec.version
            ? { version: String(object.spec.chart.spec.version) }
            : {}),
        };
      }
    }
  }
  return undefined;
}
