import type { KubeObject } from '../kube';

/** A small workspace abstraction for tests. */
export const spaceRgd: KubeObject = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'ResourceGraphDefinition',
  metadata: {
    name: 'space',
    annotations: {
      'portal.mini-atlas.io/title': 'Space',
      'portal.mini-atlas.io/workspace': 'true',
      'portal.mini-atlas.io/catalog': '- {kind: System, type: workspace}',
    },
  },
  spec: {
    schema: {
      apiVersion: 'v1alpha1',
      kind: 'Space',
      group: 'test.mini-atlas.io',
      scope: 'Cluster',
      spec: { owner: 'string | required=true' },
      status: { phase: '${ns.status.phase}' },
    },
    resources: [
      {
        id: 'ns',
        template: {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: '${schema.metadata.name}',
            labels: { owner: '${schema.spec.owner}' },
          },
        },
      },
    ],
  },
};

/** A request abstraction with nested fields, a picker, a collection and a conditional resource. */
export const queueRgd: KubeObject = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'ResourceGraphDefinition',
  metadata: {
    name: 'queue',
    annotations: {
      'portal.mini-atlas.io/title': 'Queue',
      'portal.mini-atlas.io/fields': 'deadLetter: {picker: Queue}',
      'portal.mini-atlas.io/catalog':
        '- {kind: Resource, type: queue}\n- {kind: Resource, type: dashboard, suffix: -dash, when: "${schema.spec.monitoring.enabled}"}',
    },
  },
  spec: {
    schema: {
      apiVersion: 'v1alpha1',
      kind: 'Queue',
      group: 'test.mini-atlas.io',
      spec: {
        size: 'integer | default=2 minimum=1 maximum=5 description="How many consumers"',
        mode: 'string | enum="fifo,standard" default="standard"',
        deadLetter: 'string | default=""',
        tags: '[]string',
        monitoring: {
          enabled: 'boolean | default=true',
          interval: 'string | default="30s" pattern="^[0-9]+s$"',
        },
      },
      status: {
        ready:
          '${has(consumer.status.readyReplicas) ? consumer.status.readyReplicas > 0 : false}',
        endpoint: '${service.metadata.name + "." + schema.metadata.namespace}',
      },
    },
    resources: [
      {
        id: 'consumer',
        template: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: '${schema.metadata.name}' },
          spec: {
            replicas: '${schema.spec.size}',
            selector: { matchLabels: { app: '${schema.metadata.name}' } },
            template: {
              metadata: { labels: { app: '${schema.metadata.name}' } },
              spec: {
                containers: [
                  {
                    name: 'consumer',
                    image: 'example/consumer:1',
                    env: [
                      {
                        name: 'MODE',
                        value: '${schema.spec.mode.upperAscii()}',
                      },
                      { name: 'TAGS', value: '${schema.spec.tags.join(",")}' },
                    ],
                  },
                ],
              },
            },
          },
        },
        readyWhen: [
          '${consumer.status.readyReplicas == consumer.spec.replicas}',
        ],
      },
      {
        id: 'service',
        template: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: '${consumer.metadata.name}-svc' },
          spec: {
            selector: { app: '${schema.metadata.name}' },
            ports: [{ port: 80 }],
            clusterIP: '${consumer.status.podIP}',
          },
        },
      },
      {
        id: 'monitor',
        includeWhen: ['${schema.spec.monitoring.enabled}'],
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '${schema.metadata.name}-monitor' },
          data: {
            interval: '${schema.spec.monitoring.interval}',
            target: '${service.metadata.name}',
          },
        },
      },
      {
        id: 'shards',
        forEach: [{ shard: '${["a", "b"]}' }],
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '${schema.metadata.name + "-" + shard}' },
        },
      },
    ],
  },
};
