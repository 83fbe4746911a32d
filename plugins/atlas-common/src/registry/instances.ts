import { ATLAS_LABELS } from '../constants';
import type { KubeObject } from '../kube';
import {
  ownerGroupName,
  requestObjectName,
  requestShortName,
} from '../names/names';
import type { Abstraction } from './abstraction';

/**
 * Folders of the gitops tree, relative to its root (`gitops/`).
 *
 * @public
 */
export const GITOPS_LAYOUT = {
  core: 'core',
  foundation: 'foundation',
  workspaces: 'workspaces',
  cluster: 'clusters/mini-atlas',
} as const;

/**
 * What a wizard asks for one request.
 *
 * @public
 */
export interface RequestInput {
  /** The workspace the request belongs to; for a workspace itself, its own name. */
  workspace: string;
  /** The short name the user typed (for a workspace, the workspace name). */
  name: string;
  /** The owner Group, as a name or an entity ref. */
  owner: string;
  spec?: Record<string, unknown>;
}

/**
 * Builds the KRO instance a request becomes, in the shape of `docs/architecture.md`: requests
 * are named `<workspace>-<name>` in the workspace's namespace; a workspace is named after itself
 * and cluster-scoped. Every instance carries the owner label; an abstraction whose schema has a
 * top-level `owner` field gets it filled too.
 *
 * @public
 */
export function buildInstance(
  abstraction: Abstraction,
  input: RequestInput,
): KubeObject {
  const owner = ownerGroupName(input.owner);
  const spec: Record<string, unknown> = { ...input.spec };
  if (abstraction.specSchema.properties?.owner) spec.owner = owner;
  return {
    apiVersion: abstraction.apiVersion,
    kind: abstraction.kind,
    metadata: {
      name: abstraction.isWorkspace
        ? input.workspace
        : requestObjectName(input.workspace, input.name),
      ...(abstraction.isWorkspace ? {} : { namespace: input.workspace }),
      labels: { [ATLAS_LABELS.owner]: owner },
    },
    spec,
  };
}

/**
 * The file an instance lives in, relative to the gitops root:
 * `workspaces/<ws>/workspace.yaml` or `workspaces/<ws>/<kind>-<name>.yaml`.
 *
 * @public
 */
export function instanceFilePath(
  abstraction: Abstraction,
  workspace: string,
  name: string,
): string {
  const kind = abstraction.kind.toLowerCase();
  return abstraction.isWorkspace
    ? `${GITOPS_LAYOUT.workspaces}/${workspace}/${kind}.yaml`
    : `${GITOPS_LAYOUT.workspaces}/${workspace}/${kind}-${name}.yaml`;
}

/**
 * The `kustomization.yaml` that must list an instance file, and the entry it lists it by.
 *
 * @public
 */
export function kustomizationEntry(
  abstraction: Abstraction,
  workspace: string,
  name: string,
): { kustomization: string; entry: string } {
  const file = instanceFilePath(abstraction, workspace, name);
  return abstraction.isWorkspace
    ? {
        kustomization: `${GITOPS_LAYOUT.workspaces}/kustomization.yaml`,
        entry: `${workspace}/${file.split('/').pop()}`,
      }
    : {
        kustomization: `${GITOPS_LAYOUT.workspaces}/${workspace}/kustomization.yaml`,
        entry: file.split('/').pop()!,
      };
}

/**
 * The workspace and short name of an instance read from Git or the cluster.
 *
 * @public
 */
export function instanceIdentity(
  abstraction: Abstraction,
  instance: KubeObject,
): { workspace: string; name: string } | undefined {
  if (abstraction.isWorkspace)
    return { workspace: instance.metadata.name, name: instance.metadata.name };
  const workspace = instance.metadata.namespace;
  if (!workspace) return undefined;
  const name = requestShortName(workspace, instance.metadata.name);
  return name ? { workspace, name } : undefined;
}
