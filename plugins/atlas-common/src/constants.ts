/**
 * API group of every platform abstraction's instances (see docs/architecture.md for why it is
 * not KRO's default `kro.run`).
 *
 * @public
 */
export const PLATFORM_GROUP = 'platform.mini-atlas.io';

/**
 * Labels Mini-Atlas puts on namespaces and instances.
 *
 * @public
 */
export const ATLAS_LABELS = {
  /** On a workspace's namespace: the workspace name. */
  workspace: 'mini-atlas.io/workspace',
  /** On a workspace's namespace and on every instance: the owner Group's name. */
  owner: 'mini-atlas.io/owner',
} as const;

/**
 * Annotations on a ResourceGraphDefinition that form the portal's overlay of an abstraction:
 * what its schema cannot say.
 *
 * @public
 */
export const OVERLAY_ANNOTATIONS = {
  title: 'portal.mini-atlas.io/title',
  description: 'portal.mini-atlas.io/description',
  icon: 'portal.mini-atlas.io/icon',
  workspace: 'portal.mini-atlas.io/workspace',
  fields: 'portal.mini-atlas.io/fields',
  catalog: 'portal.mini-atlas.io/catalog',
} as const;

/**
 * Labels KRO puts on every object it creates for an instance.
 *
 * @public
 */
export const KRO_LABELS = {
  owned: 'kro.run/owned',
  instanceName: 'kro.run/instance-name',
  instanceNamespace: 'kro.run/instance-namespace',
  instanceGroup: 'kro.run/instance-group',
  instanceVersion: 'kro.run/instance-version',
  instanceKind: 'kro.run/instance-kind',
  instanceId: 'kro.run/instance-id',
  nodeId: 'kro.run/node-id',
  rgdName: 'kro.run/resource-graph-definition-name',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;
