import { parseDocument, stringify, isSeq, YAMLSeq } from 'yaml';
import type { KubeObject } from '../kube';
import type { Abstraction } from './abstraction';
import {
  GITOPS_LAYOUT,
  instanceFilePath,
  kustomizationEntry,
} from './instances';

/**
 * A `kustomization.yaml` a request must be listed in (or, with no `entry`, that must exist).
 *
 * @public
 */
export interface KustomizationChange {
  /** Path of the `kustomization.yaml`, relative to the gitops folder. */
  path: string;
  /** File name the kustomization must list in `resources`, relative to its own folder. */
  entry?: string;
}

/**
 * Every file a request touches in the Delivery layer, relative to the gitops folder: the new
 * instance file, and the kustomizations that must list it. A workspace also gets its own
 * (empty) `kustomization.yaml`, which its `<workspace>-requests` Flux Kustomization applies.
 *
 * @public
 */
export interface RequestFiles {
  /** The new instance file. */
  instance: string;
  kustomizations: KustomizationChange[];
}

/**
 * The files a request of an abstraction touches, following the Git layout of
 * `docs/architecture.md`.
 *
 * @public
 */
export function requestFiles(
  abstraction: Abstraction,
  workspace: string,
  name: string,
): RequestFiles {
  const listed = kustomizationEntry(abstraction, workspace, name);
  const kustomizations: KustomizationChange[] = [
    { path: listed.kustomization, entry: listed.entry },
  ];
  if (abstraction.isWorkspace) {
    kustomizations.push({
      path: `${GITOPS_LAYOUT.workspaces}/${workspace}/kustomization.yaml`,
    });
  }
  return {
    instance: instanceFilePath(abstraction, workspace, name),
    kustomizations,
  };
}

const EMPTY_KUSTOMIZATION =
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n';

/**
 * Adds `entry` to the `resources` of a `kustomization.yaml` (given as text, or undefined for a
 * file that does not exist yet) and returns the new text. Comments and order are kept; an entry
 * already listed is not added twice; with no entry, a missing file is created empty.
 *
 * @public
 */
export function addKustomizationEntry(
  text: string | undefined,
  entry?: string,
): string {
  const doc = parseDocument(text ?? EMPTY_KUSTOMIZATION);
  if (doc.errors.length) {
    throw new Error(
      `kustomization.yaml is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  if (!entry) return doc.toString();
  let resources = doc.get('resources', true);
  if (!isSeq(resources)) {
    resources = new YAMLSeq();
    doc.set('resources', resources);
  }
  const seq = resources as YAMLSeq;
  seq.flow = false;
  if (!seq.items.some(item => String((item as any)?.value ?? item) === entry))
    seq.add(doc.createNode(entry));
  return doc.toString();
}

/**
 * The text of an instance file: one YAML document, as `docs/architecture.md` shows it.
 *
 * @public
 */
export function instanceYaml(instance: KubeObject): string {
  return stringify(instance, { lineWidth: 0 });
}
