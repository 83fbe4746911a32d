import { KubeObject, ResourceType } from '../types';

const platform = 'platform.mini-atlas.io/v1alpha1';

/** The Mini-Atlas instance kinds, as KRO would register them from the RGDs. */
export const platformTypes: ResourceType[] = [
  { kind: 'Workspace', plural: 'workspaces', namespaced: false },
  { kind: 'WebApplication', plural: 'webapplications', namespaced: true },
  { kind: 'Infrastructure', plural: 'infrastructures', namespaced: true },
  { kind: 'Topic', plural: 'topics', namespaced: true },
].map(t => ({ group: 'platform.mini-atlas.io', version: 'v1alpha1', ...t }));

function ready(extra: Record<string, unknown> = {}) {
  return {
    state: 'ACTIVE',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Ready',
        message: 'all resources are ready',
        lastTransitionTime: '2025-01-01T00:00:00Z',
        observedGeneration: 1,
      },
    ],
    ...extra,
  };
}

function child(
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string,
  instance: { kind: string; name: string },
  body: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      namespace,
      labels: {
        'kro.run/owned': 'true',
        'kro.run/instance-name': instance.name,
        'kro.run/instance-namespace': namespace,
        'kro.run/instance-kind': instance.kind,
        'kro.run/instance-group': 'platform.mini-atlas.io',
        'app.kubernetes.io/managed-by': 'kro',
      },
    },
    ...body,
  };
}

/**
 * A cluster the size of the status benchmark: per workspace 7 workspace objects, 8 instances
 * (4 WebApplication, 2 Topic, 2 Infrastructure) and 34 children: 49 objects, so 49,000 for 1,000
 * workspaces.
 */
export function benchmarkCluster(workspaces: number): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let w = 0; w < workspaces; w++) {
    const ws = `team-${String(w).padStart(4, '0')}`;
    const owner = { 'mini-atlas.io/owner': ws };
    const wsInstance = { kind: 'Workspace', name: ws };
    objects.push(
      {
        apiVersion: platform,
        kind: 'Workspace',
        metadata: { name: ws, labels: owner },
        spec: { owner: ws, quota: { cpu: '4', memory: '8Gi' } },
        status: ready(),
      },
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ws,
          labels: { ...owner, 'mini-atlas.io/workspace': ws },
        },
      },
      child('v1', 'ResourceQuota', `${ws}-quota`, ws, wsInstance, {
        spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi' } },
      }),
      child('v1', 'LimitRange', `${ws}-limits`, ws, wsInstance, {
        spec: {
          limits: [
            { type: 'Container', default: { cpu: '500m', memory: '512Mi' } },
          ],
        },
      }),
      child(
        'cilium.io/v2',
        'CiliumNetworkPolicy',
        `${ws}-isolation`,
        ws,
        wsInstance,
        {
          spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] },
        },
      ),
      child(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        `${ws}-requests`,
        ws,
        wsInstance,
        {
          spec: {
            path: `./gitops/workspaces/${ws}`,
            prune: true,
            targetNamespace: ws,
          },
          status: ready({ lastAppliedRevision: 'main@sha1:0123456789abcdef' }),
        },
      ),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace: ws },
        data: {
          'ca.crt':
            '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n',
        },
      },
    );
    for (let i = 0; i < 4; i++) {
      const name = `${ws}-web-${i}`;
      const instance = { kind: 'WebApplication', name };
      objects.push(
        {
          apiVersion: platform,
          kind: 'WebApplication',
          metadata: { name, namespace: ws, labels: owner },
          spec: {
            image: 'ghcr.io/mini-atlas/web:1.0.0',
            replicas: 2,
            host: `${name}.local`,
          },
          status: ready(),
        },
        child('apps/v1', 'Deployment', name, ws, instance, {
          spec: { replicas: 2, selector: { matchLabels: { app: name } } },
          status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
        }),
        child('v1', 'Service', name, ws, instance, {
          spec: {
            selector: { app: name },
            ports: [{ port: 80, targetPort: 8080 }],
          },
        }),
        child('networking.k8s.io/v1', 'Ingress', name, ws, instance, {
          spec: { rules: [{ host: `${name}.local` }] },
        }),
        child('v1', 'ConfigMap', `${name}-config`, ws, instance, {
          data: { LOG_LEVEL: 'info' },
        }),
        child('v1', 'Secret', `${name}-env`, ws, instance, {
          type: 'Opaque',
          data: { TOKEN: 'c2VjcmV0' },
        }),
      );
    }
    for (let i = 0; i < 2; i++) {
      const name = `${ws}-topic-${i}`;
      const instance = { kind: 'Topic', name };
      objects.push(
        {
          apiVersion: platform,
          kind: 'Topic',
          metadata: { name, namespace: ws, labels: owner },
          spec: { partitions: 3, retentionHours: 168 },
          status: ready(),
        },
        child('kafka.strimzi.io/v1', 'KafkaTopic', name, 'kafka', instance, {
          spec: { partitions: 3, replicas: 1 },
          status: ready(),
        }),
        child('v1', 'Secret', `${name}-user`, ws, instance, {
          type: 'Opaque',
          data: { password: 'cGFzcw==' },
        }),
      );
    }
    for (let i = 0; i < 2; i++) {
      const name = `${ws}-infra-${i}`;
      const instance = { kind: 'Infrastructure', name };
      objects.push(
        {
          apiVersion: platform,
          kind: 'Infrastructure',
          metadata: { name, namespace: ws, labels: owner },
          spec: { database: { size: '1Gi' }, redis: { enabled: true } },
          status: ready(),
        },
        child('postgresql.cnpg.io/v1', 'Cluster', `${name}-db`, ws, instance, {
          spec: { instances: 1, storage: { size: '1Gi' } },
          status: ready({ phase: 'Cluster in healthy state' }),
        }),
        child('v1', 'Secret', `${name}-db-app`, ws, instance, {
          type: 'kubernetes.io/basic-auth',
          data: {},
        }),
        child('apps/v1', 'Deployment', `${name}-cache`, ws, instance, {
          spec: { replicas: 1 },
          status: { replicas: 1, readyReplicas: 1 },
        }),
        child('v1', 'Service', `${name}-cache`, ws, instance, {
          spec: { ports: [{ port: 6379 }] },
        }),
        child('v1', 'Secret', `${name}-cache-auth`, ws, instance, {
          type: 'Opaque',
          data: {},
        }),
      );
    }
  }
  objects.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'kafka' },
  });
  return objects;
}
