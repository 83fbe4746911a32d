import type { KubeObject } from '@mini-atlas/plugin-atlas-common';

/** A commit SHA used across the fixtures. */
export const SHA_A = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
/** A later commit. */
export const SHA_B = 'b2c3d4e5f60718293a4b5c6d7e8f9012345678a1';

const t = '2026-11-21T09:58:12Z';

/** Flux Kustomization `team-a/team-a-requests`, applied at a revision (kustomize-controller v1.9 status). */
export function kustomization(
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {
      name: 'team-a-requests',
      namespace: 'team-a',
      generation: 1,
      labels: {
        'kro.run/instance-name': 'team-a',
        'kro.run/instance-kind': 'Workspace',
        'kro.run/node-id': 'requests',
      },
    },
    spec: {
      interval: '1m',
      path: './gitops/workspaces/team-a',
      prune: true,
      targetNamespace: 'team-a',
      sourceRef: {
        kind: 'GitRepository',
        name: 'mini-atlas',
        namespace: 'flux-system',
      },
      ...spec,
    },
    status: {
      observedGeneration: 1,
      inventory: {
        entries: [
          {
            id: 'team-a_team-a-web_platform.mini-atlas.io_WebApplication',
            v: 'v1alpha1',
          },
        ],
      },
      ...status,
    },
  };
}

/** Ready=True ReconciliationSucceeded at a revision. */
export function appliedKustomization(sha: string): KubeObject {
  return kustomization({
    lastAppliedRevision: `main@sha1:${sha}`,
    lastAttemptedRevision: `main@sha1:${sha}`,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: `Applied revision: main@sha1:${sha}`,
        lastTransitionTime: t,
        observedGeneration: 1,
      },
    ],
  });
}

/** The GitRepository flux-system/mini-atlas at a revision. */
export function gitRepository(sha: string, ready = true): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'mini-atlas', namespace: 'flux-system', generation: 1 },
    spec: {
      url: 'http://172.18.0.1:8470/mini-atlas.git',
      ref: { branch: 'main' },
    },
    status: {
      observedGeneration: 1,
      artifact: {
        revision: `main@sha1:${sha}`,
        digest: 'sha256:00',
        lastUpdateTime: t,
      },
      conditions: ready
        ? [
            {
              type: 'Ready',
              status: 'True',
              reason: 'Succeeded',
              message: `stored artifact for revision 'main@sha1:${sha}'`,
              lastTransitionTime: t,
              observedGeneration: 1,
            },
          ]
        : [
            {
              type: 'FetchFailed',
              status: 'True',
              reason: 'GitOperationFailed',
              message:
                "failed to checkout and determine revision: unable to clone 'http://172.18.0.1:8470/mini-atlas.git': connection refused",
              lastTransitionTime: t,
            },
            {
              type: 'Ready',
              status: 'False',
              reason: 'GitOperationFailed',
              message:
                "failed to checkout and determine revision: unable to clone 'http://172.18.0.1:8470/mini-atlas.git': connection refused",
              lastTransitionTime: t,
            },
          ],
    },
  };
}

/** A KRO instance (WebApplication team-a-web) with the given state and conditions. */
export function kroInstance(
  state: string | undefined,
  conditions: Array<Record<string, unknown>>,
  generation = 1,
): KubeObject {
  return {
    apiVersion: 'platform.mini-atlas.io/v1alpha1',
    kind: 'WebApplication',
    metadata: { name: 'team-a-web', namespace: 'team-a', generation },
    spec: { image: 'ghcr.io/stefanprodan/podinfo', tag: '6.9.2' },
    status: {
      ...(state ? { state } : {}),
      availableReplicas: 1,
      url: 'http://team-a-web.localtest.me',
      conditions,
    },
  };
}

/** KRO's conditions of a ready instance (kro v0.9 docs example). */
export const KRO_READY = [
  {
    type: 'InstanceManaged',
    status: 'True',
    reason: 'Managed',
    message: 'instance is properly managed with finalizers and labels',
    observedGeneration: 1,
    lastTransitionTime: t,
  },
  {
    type: 'GraphResolved',
    status: 'True',
    reason: 'Resolved',
    message: 'runtime graph created and all resources resolved',
    observedGeneration: 1,
    lastTransitionTime: t,
  },
  {
    type: 'ResourcesReady',
    status: 'True',
    reason: 'AllResourcesReady',
    message: 'all resources are created and ready',
    observedGeneration: 1,
    lastTransitionTime: t,
  },
  {
    type: 'Ready',
    status: 'True',
    reason: 'Ready',
    observedGeneration: 1,
    lastTransitionTime: t,
  },
];
