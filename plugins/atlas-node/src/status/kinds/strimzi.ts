import { pick, trimConditions, trimMetadata } from '../../cluster/trim';
import {
  explainCondition,
  findCondition,
  generationPending,
} from './conditions';
import type { KindInterpreter } from './types';

/** Label naming the Kafka cluster a KafkaTopic belongs to. */
const STRIMZI_CLUSTER_LABEL = 'strimzi.io/cluster';

/**
 * KafkaTopic (`kafka.strimzi.io/v1`): `Ready` condition written by the Topic Operator;
 * `spec.partitions`, `spec.replicas`, `spec.config["retention.ms"]`, the cluster from the
 * `strimzi.io/cluster` label, `status.topicName`, and an ongoing `status.replicasChange`.
 *
 * @public
 */
export const kafkaTopicInterpreter: KindInterpreter = {
  group: 'kafka.strimzi.io',
  kind: 'KafkaTopic',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: {
      ...pick(o.spec, ['topicName', 'partitions', 'replicas']),
      ...(o.spec?.config?.['retention.ms'] !== undefined
        ? { config: { 'retention.ms': o.spec.config['retention.ms'] } }
        : {}),
    },
    status: {
      ...pick(o.status, [
        'topicName',
        'topicId',
        'observedGeneration',
        'replicasChange.state',
        'replicasChange.targetReplicas',
        'replicasChange.message',
      ]),
      conditions: trimConditions(o.status?.conditions) ?? [],
    },
  }),
  interpret(o) {
    const topicName: string =
      o.status?.topicName ?? o.spec?.topicName ?? o.metadata.name;
    const retention = Number(o.spec?.config?.['retention.ms']);
    const facts: Record<string, string | number | boolean> = {
      topicName,
      ...(typeof o.spec?.partitions === 'number'
        ? { partitions: o.spec.partitions }
        : {}),
      ...(typeof o.spec?.replicas === 'number'
        ? { replicas: o.spec.replicas }
        : {}),
      ...(Number.isFinite(retention)
        ? { retentionMs: retention, retentionHours: retention / 3_600_000 }
        : {}),
      ...(o.metadata.labels?.[STRIMZI_CLUSTER_LABEL]
        ? { kafkaCluster: o.metadata.labels[STRIMZI_CLUSTER_LABEL] }
        : {}),
      ...(o.status?.topicId ? { topicId: o.status.topicId } : {}),
    };
    const conditions = o.status?.conditions ?? [];
    const ready = findCondition(o, 'Ready');
    facts.ready = ready?.status === 'True';
    const change = o.status?.replicasChange;
    if (ready?.status === 'False') {
      return {
        health: 'failed',
        summary: `not ready: ${explainCondition(ready)}`,
        facts,
        conditions,
      };
    }
    if (generationPending(o)) {
      return {
        health: 'progressing',
        summary: 'the Topic Operator has not applied the latest change yet',
        facts,
        conditions,
      };
    }
    if (change?.state) {
      return {
        health: 'progressing',
        summary: `changing replicas to ${change.targetReplicas} (${change.state})`,
        facts,
        conditions,
      };
    }
    if (ready?.status === 'True') {
      return {
        health: 'ready',
        summary: `Ready (${facts.partitions ?? '?'} partitions, ${
          facts.replicas ?? '?'
        } replicas)`,
        facts,
        conditions,
      };
    }
    return {
      health: 'progressing',
      summary: 'waiting for the Topic Operator to create the topic',
      facts,
      conditions,
    };
  },
};
