import {
  evaluateExpression,
  findExpressions,
  isPlainObject,
  isStandaloneExpression,
  renderInstance,
  type Abstraction,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';

/**
 * How far a request got in the cluster, for {@link simulateInstance}:
 *
 * - `applied`: Flux applied the instance, KRO has not reconciled it (no status, no children);
 * - `creating`: KRO created the children, which are not ready yet (`IN_PROGRESS`);
 * - `ready`: every child is healthy and the instance is `ACTIVE` and Ready.
 *
 * @public
 */
export type SimulatedProgress = 'applied' | 'creating' | 'ready';

/**
 * A resource type for a protocol-level test API server (the shape of
 * `@mini-atlas/kube-test-server`'s `ResourceType`).
 *
 * @public
 */
export interface SimulatedResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const NOW = '2026-11-21T10:00:00Z';

const condition = (
  type: string,
  status: string,
  reason: string,
  message: string,
  observedGeneration = 1,
) => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: NOW,
  observedGeneration,
});

/**
 * The CRDs KRO generates for the abstractions, as test-server types. The plural is what KRO's
 * CRD generation produces for these kinds (lower case, pluralised); clients must still read it
 * from discovery.
 *
 * @public
 */
export function simulatedAbstractionTypes(
  abstractions: readonly Abstraction[],
): SimulatedResourceType[] {
  return abstractions.map(a => ({
    group: a.group,
    version: a.version,
    kind: a.kind,
    plural: pluralOf(a.kind.toLowerCase()),
    namespaced: a.scope === 'Namespaced',
  }));
}

function pluralOf(lower: string): string {
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * The status a healthy object of a known kind has, exactly as its controller writes it
 * (Kubernetes, Flux, Strimzi, CloudNativePG); `ready: false` gives the status of one still
 * starting.
 *
 * @public
 */
export function simulatedStatus(
  object: KubeObject,
  options: { ready: boolean; revision?: string },
): Record<string, unknown> | undefined {
  const { ready } = options;
  switch (object.kind) {
    case 'Namespace':
      return { phase: 'Active' };
    case 'Deployment': {
      const replicas = object.spec?.replicas ?? 1;
      const up = ready ? replicas : 0;
      return {
        observedGeneration: 1,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: up,
        availableReplicas: up,
        ...(ready ? {} : { unavailableReplicas: replicas }),
        conditions: [
          ready
            ? condition(
                'Available',
                'True',
                'MinimumReplicasAvailable',
                'Deployment has minimum availability.',
              )
            : condition(
                'Available',
                'False',
                'MinimumReplicasUnavailable',
                'Deployment does not have minimum availability.',
              ),
          condition(
            'Progressing',
            'True',
            ready ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
            ready
              ? `ReplicaSet "${object.metadata.name}-7d9f8b6c5d" has successfully progressed.`
              : `ReplicaSet "${object.metadata.name}-7d9f8b6c5d" is progressing.`,
          ),
        ].map(({ observedGeneration: _o, ...c }) => c),
      };
    }
    case 'KafkaTopic':
      return ready
        ? {
            observedGeneration: 1,
            topicName: object.spec?.topicName ?? object.metadata.name,
            topicId: 'p8Zq3xJxR1mYH3uX2bVd1w',
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                lastTransitionTime: NOW,
              },
            ],
          }
        : undefined;
    case 'Cluster': {
      if (!object.apiVersion.startsWith('postgresql.cnpg.io/'))
        return undefined;
      const instances = object.spec?.instances ?? 1;
      return ready
        ? {
            phase: 'Cluster in healthy state',
            instances,
            readyInstances: instances,
            currentPrimary: `${object.metadata.name}-1`,
            writeService: `${object.metadata.name}-rw`,
            readService: `${object.metadata.name}-r`,
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'ClusterIsReady',
                message: 'Cluster is Ready',
                lastTransitionTime: NOW,
              },
            ],
          }
        : {
            phase: 'Setting up primary',
            phaseReason: 'Creating primary instance',
            instances,
            readyInstances: 0,
            conditions: [
              {
                type: 'Ready',
                status: 'False',
                reason: 'ClusterIsNotReady',
                message: 'Cluster Is Not Ready',
                lastTransitionTime: NOW,
              },
            ],
          };
    }
    case 'Kustomization': {
      const revision = options.revision;
      return ready && revision
        ? {
            observedGeneration: 1,
            lastAppliedRevision: revision,
            lastAttemptedRevision: revision,
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'ReconciliationSucceeded',
                message: `Applied revision: ${revision}`,
                lastTransitionTime: NOW,
              },
            ],
          }
        : {
            observedGeneration: 1,
            conditions: [
              {
                type: 'Reconciling',
                status: 'True',
                reason: 'Progressing',
                message: 'Fetching manifests for revision',
                lastTransitionTime: NOW,
              },
              {
                type: 'Ready',
                status: 'Unknown',
                reason: 'Progressing',
                message: 'Reconciliation in progress',
                lastTransitionTime: NOW,
              },
            ],
          };
    }
    case 'ResourceQuota':
      return {
        hard: object.spec?.hard ?? {},
        used: Object.fromEntries(
          Object.keys(object.spec?.hard ?? {}).map(k => [k, '0']),
        ),
      };
    case 'Service':
    case 'Ingress':
      return { loadBalancer: {} };
    default:
      return undefined;
  }
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, plain(v)]),
    );
  }
  if (value && typeof value === 'object' && 'toJSON' in value) {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}

function statusFields(
  template: unknown,
  variables: Record<string, unknown>,
): unknown {
  if (typeof template === 'string') {
    if (!isStandaloneExpression(template)) return template;
    try {
      return plain(
        evaluateExpression(findExpressions(template)[0].expression, variables),
      );
    } catch {
      return undefined;
    }
  }
  if (isPlainObject(template)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const evaluated = statusFields(value, variables);
      if (evaluated !== undefined) out[key] = evaluated;
    }
    return out;
  }
  return template;
}

/**
 * The objects the cluster holds for one request at a given progress: the instance (with the
 * status KRO writes: `state`, `InstanceManaged`, `GraphResolved`, `ResourcesReady`, `Ready` and
 * the RGD's status fields) and the children KRO creates (rendered offline from the RGD, with
 * their controllers' statuses). For tests, end-to-end runs and benchmarks against a test API
 * server.
 *
 * @public
 */
export function simulateInstance(
  abstraction: Abstraction,
  instance: KubeObject,
  progress: SimulatedProgress,
  options: {
    /** Revision Flux applied, for Kustomizations among the children (`main@sha1:<sha>`). */
    revision?: string;
    isNamespaced?: (apiVersion: string, kind: string) => boolean | undefined;
  } = {},
): KubeObject[] {
  const rendered = renderInstance(abstraction, instance, {
    isNamespaced: options.isNamespaced,
  });
  const live: KubeObject = {
    ...rendered.instance,
    metadata: { ...rendered.instance.metadata, generation: 1 },
  };
  if (progress === 'applied') return [live];
  const ready = progress === 'ready';
  const children: KubeObject[] = [];
  const variables: Record<string, unknown> = { schema: live };
  for (const resource of rendered.resources) {
    for (const object of resource.objects) {
      const status = simulatedStatus(object, {
        ready,
        revision: options.revision,
      });
      const child: KubeObject = {
        ...object,
        metadata: { ...object.metadata, generation: 1 },
        ...(status ? { status } : {}),
      };
      children.push(child);
      variables[resource.id] = child;
    }
  }
  const fields = statusFields(abstraction.status, variables);
  live.status = {
    ...(isPlainObject(fields) ? fields : {}),
    state: ready ? 'ACTIVE' : 'IN_PROGRESS',
    conditions: [
      condition(
        'InstanceManaged',
        'True',
        'Managed',
        'instance is properly managed with finalizers and labels',
      ),
      condition(
        'GraphResolved',
        'True',
        'Resolved',
        'runtime graph created and all resources resolved',
      ),
      ready
        ? condition(
            'ResourcesReady',
            'True',
            'AllResourcesReady',
            'all resources are created and ready',
          )
        : condition(
            'ResourcesReady',
            'False',
            'NotReady',
            `resource ${
              children.find(c => c.kind !== 'Namespace')?.metadata.name ??
              'children'
            } is not ready yet`,
          ),
      ready
        ? condition('Ready', 'True', 'Ready', '')
        : condition('Ready', 'False', 'NotReady', 'waiting for resources'),
    ],
  };
  return [live, ...children];
}

/**
 * Flux's own objects for the platform: the GitRepository `flux-system/mini-atlas` at a revision
 * and the `flux-system/workspaces` Kustomization that applied it (or is still progressing when
 * `applied` is false).
 *
 * @public
 */
export function simulateFlux(options: {
  revision: string;
  applied?: boolean;
  gitopsPath?: string;
}): KubeObject[] {
  const path = `./${options.gitopsPath ?? 'gitops'}/workspaces`;
  return [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'mini-atlas', namespace: 'flux-system', generation: 1 },
      spec: {
        interval: '1m',
        url: 'http://172.18.0.1:8470/mini-atlas.git',
        ref: { branch: 'main' },
      },
      status: {
        observedGeneration: 1,
        artifact: {
          revision: options.revision,
          digest:
            'sha256:9f2c1d0b7c3a4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789ab',
          path: 'gitrepository/flux-system/mini-atlas/artifact.tar.gz',
          url: 'http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/mini-atlas/artifact.tar.gz',
          lastUpdateTime: NOW,
          size: 20480,
        },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Succeeded',
            message: `stored artifact for revision '${options.revision}'`,
            lastTransitionTime: NOW,
            observedGeneration: 1,
          },
          {
            type: 'ArtifactInStorage',
            status: 'True',
            reason: 'Succeeded',
            message: `stored artifact for revision '${options.revision}'`,
            lastTransitionTime: NOW,
            observedGeneration: 1,
          },
        ],
      },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'workspaces', namespace: 'flux-system', generation: 1 },
      spec: {
        interval: '5m',
        path,
        prune: true,
        wait: true,
        sourceRef: { kind: 'GitRepository', name: 'mini-atlas' },
      },
      status: simulatedStatus(
        { apiVersion: '', kind: 'Kustomization', metadata: { name: '' } },
        { ready: options.applied ?? true, revision: options.revision },
      ),
    },
  ];
}
