import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  ChildStatus,
  InstanceStatus,
} from '@mini-atlas/plugin-atlas-common';
import { Box, Typography } from '@material-ui/core';
import type { ReactNode } from 'react';
import { useLiveInstance } from '../../hooks/useLiveStatus';
import { ClusterBanner } from '../ClusterBanner';
import { HealthChip } from '../HealthChip';
import { StagePipeline } from '../StagePipeline';
import { ChildList } from '../WorkspaceView';
import { entityInstance } from './entityInstance';

function child(item: InstanceStatus, kind: string): ChildStatus | undefined {
  return item.children.find(c => c.kind === kind);
}

function fact<T extends string | number | boolean | string[]>(
  c: ChildStatus | undefined,
  key: string,
): T | undefined {
  return c?.exists ? (c.facts[key] as T | undefined) : undefined;
}

function spec(item: InstanceStatus, path: string): unknown {
  let value: unknown = item.spec;
  for (const part of path.split('.')) {
    value =
      value && typeof value === 'object'
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  return value;
}

function topicReady(topic: ChildStatus | undefined): string {
  if (!topic?.exists) return 'not created yet';
  return fact<boolean>(topic, 'ready') ? 'Yes' : 'No';
}

const shown = (value: unknown, fallback = 'not known yet'): string =>
  value === undefined || value === null || value === ''
    ? fallback
    : String(value);

/** Loads the entity's request live and renders a card around it. */
function InstanceCard(props: {
  title: string;
  body?: (item: InstanceStatus) => ReactNode;
  detailed?: boolean;
}) {
  const { entity } = useEntity();
  const ref = entityInstance(entity);
  const { value, cluster, loading, error } = useLiveInstance(
    ref?.workspace ?? '',
    ref?.kind ?? '',
    ref?.name ?? '',
  );
  if (!ref) {
    return (
      <InfoCard title={props.title}>
        <Typography variant="body2">Not a Mini-Atlas request.</Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title={props.title}>
      {loading && !value && <Progress />}
      {error && !value && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <ClusterBanner cluster={cluster} />
          <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
            <HealthChip health={value.overall.health} />
            {value.overall.health !== 'ready' && (
              <Typography variant="body2" data-testid="overall-message">
                {value.overall.message}
              </Typography>
            )}
          </Box>
          {props.body ? (
            <>
              {props.body(value)}
              <Box mt={1}>
                <StagePipeline stages={value.stages} />
              </Box>
            </>
          ) : (
            <>
              <StagePipeline stages={value.stages} detailed={props.detailed} />
              <Box mt={1}>
                <ChildList items={value.children} />
              </Box>
            </>
          )}
        </>
      )}
    </InfoCard>
  );
}

/**
 * The stages of any Mini-Atlas request (Git -> Flux -> KRO -> Resources), each with its message,
 * and its resources.
 *
 * @public
 */
export function RequestStatusCard() {
  return <InstanceCard title="Platform status" detailed />;
}

/**
 * A Topic: partitions, replicas, retention, Ready and its conditions, and the Kafka cluster,
 * from the KafkaTopic Strimzi reports on (the declared spec until it exists).
 *
 * @public
 */
export function TopicCard() {
  return (
    <InstanceCard
      title="Kafka topic"
      body={item => {
        const topic = child(item, 'KafkaTopic');
        const retentionHours =
          fact<number>(topic, 'retentionHours') ?? spec(item, 'retentionHours');
        const conditions = topic?.conditions ?? [];
        return (
          <>
            <StructuredMetadataTable
              dense
              metadata={{
                'Topic name': shown(fact(topic, 'topicName') ?? item.name),
                Partitions: shown(
                  fact(topic, 'partitions') ?? spec(item, 'partitions'),
                ),
                Replicas: shown(
                  fact(topic, 'replicas') ?? spec(item, 'replicas'),
                ),
                Retention:
                  retentionHours === undefined
                    ? 'not known yet'
                    : `${retentionHours} hours`,
                Ready: topicReady(topic),
                'Kafka cluster': shown(fact(topic, 'kafkaCluster')),
              }}
            />
            {conditions.length > 0 && (
              <Box mt={1} aria-label="conditions">
                {conditions.map(c => (
                  <Typography variant="body2" key={c.type}>
                    {c.type}={c.status}
                    {c.reason ? ` ${c.reason}` : ''}
                    {c.message ? `: ${c.message}` : ''}
                  </Typography>
                ))}
              </Box>
            )}
          </>
        );
      }}
    />
  );
}

/**
 * A WebApplication: replicas (available of desired), URL and image, from its Deployment and
 * Ingress (the declared spec until they exist).
 *
 * @public
 */
export function WebApplicationCard() {
  return (
    <InstanceCard
      title="Web application"
      body={item => {
        const deployment = child(item, 'Deployment');
        const ingress = child(item, 'Ingress');
        const desired =
          fact<number>(deployment, 'desired') ?? spec(item, 'replicas');
        const available =
          fact<number>(deployment, 'available') ??
          item.fields.availableReplicas;
        const url =
          (item.fields.url as string | undefined) ??
          fact<string>(ingress, 'url');
        const images = fact<string[]>(deployment, 'images');
        const image =
          images?.[0] ??
          (spec(item, 'image')
            ? `${spec(item, 'image')}:${shown(spec(item, 'tag'), 'latest')}`
            : undefined);
        return (
          <StructuredMetadataTable
            dense
            metadata={{
              Replicas: `${shown(available, '0')} of ${shown(
                desired,
                '?',
              )} available`,
              URL: url ? <Link to={url}>{url}</Link> : 'not known yet',
              Image: shown(image),
            }}
          />
        );
      }}
    />
  );
}

/**
 * An Infrastructure: the database's phase and ready instances, the name of the credentials
 * Secret (never its content), and the Redis host.
 *
 * @public
 */
export function InfrastructureCard() {
  return (
    <InstanceCard
      title="Infrastructure"
      body={item => {
        const database = child(item, 'Cluster');
        const redis = item.children.find(
          c => c.kind === 'Service' && c.id === 'redisService',
        );
        const readyInstances =
          fact<number>(database, 'readyInstances') ??
          item.fields.readyInstances;
        const instances =
          fact<number>(database, 'instances') ??
          spec(item, 'database.instances');
        return (
          <StructuredMetadataTable
            dense
            metadata={{
              'Database phase': shown(
                fact(database, 'phase') ?? item.fields.databasePhase,
              ),
              'Ready instances': `${shown(readyInstances, '0')} of ${shown(
                instances,
                '?',
              )}`,
              'Credentials secret': shown(
                item.fields.credentialsSecret ??
                  fact(database, 'credentialsSecret'),
              ),
              'Redis host': shown(
                item.fields.redisHost ?? fact(redis, 'address'),
                redis ? 'not known yet' : 'no Redis',
              ),
            }}
          />
        );
      }}
    />
  );
}
