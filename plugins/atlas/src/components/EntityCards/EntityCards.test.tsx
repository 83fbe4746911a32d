import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { act, screen, waitFor, within } from '@testing-library/react';
import { atlasStatusApiRef } from '../../api';
import { FakeStatusApi, instance } from '../../__testUtils__/fakeStatusApi';
import {
  InfrastructureCard,
  RequestStatusCard,
  TopicCard,
  WebApplicationCard,
} from './EntityCards';
import {
  entityInstance,
  isInstanceOf,
  isRequestInstance,
  isWorkspaceInstance,
} from './entityInstance';

const entity = (name: string, ref?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: ref ? { 'mini-atlas.io/instance': ref } : {},
  },
  spec: { type: 'kafka-topic', owner: 'group:default/team-a' },
});

const topicEntity = entity(
  'team-a-orders',
  'platform.mini-atlas.io/v1alpha1/Topic/team-a/team-a-orders',
);

const readyTopic = instance('Topic', 'orders', undefined, '', {
  spec: { partitions: 6, replicas: 1, retentionHours: 72 },
  fields: { ready: true, topicName: 'team-a-orders' },
  children: [
    {
      id: 'topic',
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      name: 'team-a-orders',
      namespace: 'kafka',
      exists: true,
      health: 'ready',
      summary: 'Ready (6 partitions, 1 replicas)',
      facts: {
        topicName: 'team-a-orders',
        partitions: 6,
        replicas: 1,
        retentionMs: 259200000,
        retentionHours: 72,
        kafkaCluster: 'bus',
        ready: true,
      },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: '2026-11-21T10:00:00Z',
        },
      ],
    },
  ],
});

function render(card: JSX.Element, api: FakeStatusApi, forEntity: Entity) {
  return renderInTestApp(
    <EntityProvider entity={forEntity}>{card}</EntityProvider>,
    {
      apis: [[atlasStatusApiRef, api]],
    },
  );
}

/** The text of the metadata table row with this label (the table title-cases labels), without the label. */
const value = (label: string) => {
  const cell = within(screen.getByRole('table')).getByText(
    new RegExp(`^${label}$`, 'i'),
  );
  return `${label}${cell.closest('tr')!.textContent!.slice(label.length)}`;
};

describe('entity cards', () => {
  it('finds the request of an entity from its instance annotation', () => {
    expect(entityInstance(topicEntity)).toEqual({
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Topic',
      namespace: 'team-a',
      name: 'team-a-orders',
      workspace: 'team-a',
    });
    expect(
      entityInstance(
        entity('ws', 'platform.mini-atlas.io/v1alpha1/Workspace/team-a'),
      )?.workspace,
    ).toBe('team-a');
    expect(entityInstance(entity('other'))).toBeUndefined();
    expect(entityInstance(entity('broken', 'not-a-ref'))).toBeUndefined();
    expect(isInstanceOf('Topic')(topicEntity)).toBe(true);
    expect(isInstanceOf('WebApplication')(topicEntity)).toBe(false);
  });

  it('tells requests from workspaces by scope, whatever the kinds are called', () => {
    const workspace = entity(
      'ws',
      'platform.mini-atlas.io/v1alpha1/Space/team-a',
    );
    const job = entity(
      'job',
      'platform.mini-atlas.io/v1alpha1/ScheduledJob/team-a/team-a-nightly',
    );
    expect([isRequestInstance(job), isWorkspaceInstance(job)]).toEqual([
      true,
      false,
    ]);
    expect([
      isRequestInstance(workspace),
      isWorkspaceInstance(workspace),
    ]).toEqual([false, true]);
    expect([
      isRequestInstance(entity('other')),
      isWorkspaceInstance(entity('other')),
    ]).toEqual([false, false]);
  });

  it('Topic card: partitions, replicas, retention, Ready with conditions, Kafka cluster', async () => {
    const api = new FakeStatusApi();
    api.instances.set('team-a/Topic/team-a-orders', readyTopic);
    await render(<TopicCard />, api, topicEntity);
    expect(await screen.findByText('Kafka topic')).toBeInTheDocument();
    expect(value('Partitions')).toBe('Partitions6');
    expect(value('Replicas')).toBe('Replicas1');
    expect(value('Retention')).toBe('Retention72 hours');
    expect(value('Ready')).toBe('ReadyYes');
    expect(value('Kafka cluster')).toBe('Kafka clusterbus');
    expect(screen.getByText('Ready=True')).toBeInTheDocument();
    // ready: the chip says it, no message repeats it
    expect(screen.queryByTestId('overall-message')).not.toBeInTheDocument();
  });

  it('Topic card before the KafkaTopic exists shows the declared spec and the holding stage, then updates live', async () => {
    const api = new FakeStatusApi();
    api.instances.set(
      'team-a/Topic/team-a-orders',
      instance(
        'Topic',
        'orders',
        'flux',
        'waiting for Flux to fetch commit b2c3d4e',
        {
          spec: { partitions: 6, replicas: 1, retentionHours: 72 },
          children: [
            {
              id: 'topic',
              apiVersion: 'kafka.strimzi.io/v1',
              kind: 'KafkaTopic',
              name: 'team-a-orders',
              namespace: 'kafka',
              exists: false,
              health: 'progressing',
              summary: 'not created yet',
              facts: {},
            },
          ],
        },
      ),
    );
    await render(<TopicCard />, api, topicEntity);
    expect(await screen.findByTestId('overall-message')).toHaveTextContent(
      'Flux: waiting for Flux to fetch commit b2c3d4e',
    );
    expect(value('Partitions')).toBe('Partitions6');
    expect(value('Ready')).toBe('Readynot created yet');
    api.instances.set('team-a/Topic/team-a-orders', readyTopic);
    act(() => api.emit({ type: 'changed', workspaces: ['team-a'] }));
    await waitFor(() => expect(value('Ready')).toBe('ReadyYes'));
  });

  it('WebApplication card: replicas, URL and image', async () => {
    const api = new FakeStatusApi();
    api.instances.set(
      'team-a/WebApplication/team-a-web',
      instance(
        'WebApplication',
        'web',
        'resources',
        'Deployment team-a-web: 1/2 replicas available (2/3 ready)',
        {
          spec: {
            image: 'ghcr.io/stefanprodan/podinfo',
            tag: '6.9.2',
            replicas: 2,
          },
          fields: {
            availableReplicas: 1,
            url: 'http://team-a-web.localtest.me',
          },
          children: [
            {
              id: 'deployment',
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'team-a-web',
              namespace: 'team-a',
              exists: true,
              health: 'progressing',
              summary: '1/2 replicas available',
              facts: {
                desired: 2,
                available: 1,
                ready: 1,
                updated: 2,
                images: ['ghcr.io/stefanprodan/podinfo:6.9.2'],
              },
            },
          ],
        },
      ),
    );
    await render(
      <WebApplicationCard />,
      api,
      entity(
        'team-a-web',
        'platform.mini-atlas.io/v1alpha1/WebApplication/team-a/team-a-web',
      ),
    );
    expect(await screen.findByText('1 of 2 available')).toBeInTheDocument();
    expect(
      screen.getByText('http://team-a-web.localtest.me').closest('a'),
    ).toHaveAttribute('href', 'http://team-a-web.localtest.me');
    expect(
      screen.getByText('ghcr.io/stefanprodan/podinfo:6.9.2'),
    ).toBeInTheDocument();
  });

  it('Infrastructure card: database phase, ready instances, the credentials secret name and the Redis host', async () => {
    const api = new FakeStatusApi();
    api.instances.set(
      'team-a/Infrastructure/team-a-data',
      instance('Infrastructure', 'data', undefined, '', {
        spec: { database: { instances: 1 } },
        fields: {
          databasePhase: 'Cluster in healthy state',
          readyInstances: 1,
          credentialsSecret: 'team-a-data-pg-app',
          redisHost: 'team-a-data-redis.team-a.svc:6379',
        },
        children: [
          {
            id: 'database',
            apiVersion: 'postgresql.cnpg.io/v1',
            kind: 'Cluster',
            name: 'team-a-data-pg',
            namespace: 'team-a',
            exists: true,
            health: 'ready',
            summary: 'Cluster in healthy state (1/1 instances ready)',
            facts: {
              phase: 'Cluster in healthy state',
              instances: 1,
              readyInstances: 1,
              credentialsSecret: 'team-a-data-pg-app',
            },
          },
          {
            id: 'redisService',
            apiVersion: 'v1',
            kind: 'Service',
            name: 'team-a-data-redis',
            namespace: 'team-a',
            exists: true,
            health: 'ready',
            summary: 'team-a-data-redis.team-a.svc:6379',
            facts: { address: 'team-a-data-redis.team-a.svc:6379' },
          },
        ],
      }),
    );
    await render(
      <InfrastructureCard />,
      api,
      entity(
        'team-a-data-db',
        'platform.mini-atlas.io/v1alpha1/Infrastructure/team-a/team-a-data',
      ),
    );
    expect(
      await screen.findByText('Cluster in healthy state'),
    ).toBeInTheDocument();
    expect(screen.getByText('1 of 1')).toBeInTheDocument();
    expect(screen.getByText('team-a-data-pg-app')).toBeInTheDocument();
    expect(
      screen.getByText('team-a-data-redis.team-a.svc:6379'),
    ).toBeInTheDocument();
  });

  it('Platform status card: every stage with its message, and the resources', async () => {
    const api = new FakeStatusApi();
    api.instances.set('team-a/Topic/team-a-orders', readyTopic);
    await render(<RequestStatusCard />, api, topicEntity);
    expect(await screen.findByText('Platform status')).toBeInTheDocument();
    expect(screen.getByText('flux done', { exact: false })).toBeInTheDocument();
    expect(screen.getByText('KafkaTopic team-a-orders')).toBeInTheDocument();
  });
});
