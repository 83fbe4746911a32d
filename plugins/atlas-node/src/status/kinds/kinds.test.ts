import type { KubeObject } from '@mini-atlas/plugin-atlas-common';
import {
  cnpgClusterInterpreter,
  deploymentInterpreter,
  gitRepositoryInterpreter,
  helmReleaseInterpreter,
  ingressInterpreter,
  interpreterFor,
  kafkaTopicInterpreter,
  kustomizationInterpreter,
  namespaceInterpreter,
  revisionSha,
  rgdInterpreter,
  trimKroInstance,
} from '.';
import {
  appliedKustomization,
  kustomization,
  SHA_A,
} from '../__fixtures__/objects';

const t = '2026-11-21T09:58:12Z';

const deployment = (
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  generation = 1,
): KubeObject =>
  deploymentInterpreter.trim({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'team-a-web',
      namespace: 'team-a',
      generation,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      managedFields: [{ manager: 'kro' }],
    },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
              env: [{ name: 'X', value: 'y' }],
            },
          ],
        },
      },
      ...spec,
    },
    status,
  });

describe('interpreters', () => {
  it('finds the interpreter by group and kind, any version, and falls back to the generic one', () => {
    expect(interpreterFor('kafka.strimzi.io/v1', 'KafkaTopic')).toBe(
      kafkaTopicInterpreter,
    );
    expect(interpreterFor('kafka.strimzi.io/v1beta2', 'KafkaTopic')).toBe(
      kafkaTopicInterpreter,
    );
    expect(interpreterFor('v1', 'Namespace')).toBe(namespaceInterpreter);
    expect(interpreterFor('postgresql.cnpg.io/v1', 'Cluster')).toBe(
      cnpgClusterInterpreter,
    );
    expect(interpreterFor('example.com/v1', 'Cluster').kind).toBe('*');
  });

  it('Deployment: available replicas against the desired count, trimmed to what it needs', () => {
    const starting = deployment(
      { replicas: 2 },
      {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 1,
        availableReplicas: 1,
        unavailableReplicas: 1,
      },
    );
    expect(starting.metadata).toEqual({
      name: 'team-a-web',
      namespace: 'team-a',
      generation: 1,
    });
    expect(starting.spec).toEqual({
      replicas: 2,
      images: ['ghcr.io/stefanprodan/podinfo:6.9.2'],
    });
    expect(deploymentInterpreter.interpret(starting)).toMatchObject({
      health: 'progressing',
      summary: '1/2 replicas available',
      facts: {
        desired: 2,
        available: 1,
        ready: 1,
        images: ['ghcr.io/stefanprodan/podinfo:6.9.2'],
      },
    });
    const up = deployment(
      { replicas: 2 },
      {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
      },
    );
    expect(deploymentInterpreter.interpret(up)).toMatchObject({
      health: 'ready',
      summary: '2/2 replicas available',
    });
  });

  it('Deployment: a rollout past its deadline fails; a new generation not yet observed is progressing', () => {
    const stalled = deployment(
      { replicas: 1 },
      {
        observedGeneration: 2,
        replicas: 1,
        updatedReplicas: 1,
        availableReplicas: 0,
        conditions: [
          {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
            lastTransitionTime: t,
          },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "team-a-web-5d8f" has timed out progressing.',
            lastTransitionTime: t,
          },
        ],
      },
      2,
    );
    expect(deploymentInterpreter.interpret(stalled)).toMatchObject({
      health: 'failed',
      summary:
        'rollout stalled: ReplicaSet "team-a-web-5d8f" has timed out progressing.',
    });
    const old = deployment(
      { replicas: 1 },
      {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        availableReplicas: 1,
      },
      2,
    );
    expect(deploymentInterpreter.interpret(old)).toMatchObject({
      health: 'progressing',
      summary: '1/1 replicas available; the new version is not rolled out yet',
    });
  });

  it('KafkaTopic: Ready from the Topic Operator, with partitions, replicas, retention and cluster', () => {
    const raw: KubeObject = {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: {
        name: 'team-a-orders',
        namespace: 'kafka',
        generation: 1,
        labels: {
          'strimzi.io/cluster': 'bus',
          'kro.run/instance-name': 'team-a-orders',
          'other/label': 'x',
        },
      },
      spec: {
        partitions: 3,
        replicas: 1,
        config: { 'retention.ms': 604800000, 'cleanup.policy': 'delete' },
      },
      status: {
        observedGeneration: 1,
        topicName: 'team-a-orders',
        topicId: 'p8Zq3xJxR1mYH3uX2bVd1w',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }],
      },
    };
    const trimmed = kafkaTopicInterpreter.trim(raw);
    expect(trimmed.metadata.labels).toEqual({
      'strimzi.io/cluster': 'bus',
      'kro.run/instance-name': 'team-a-orders',
    });
    expect(trimmed.spec).toEqual({
      partitions: 3,
      replicas: 1,
      config: { 'retention.ms': 604800000 },
    });
    expect(kafkaTopicInterpreter.interpret(trimmed)).toEqual({
      health: 'ready',
      summary: 'Ready (3 partitions, 1 replicas)',
      facts: {
        topicName: 'team-a-orders',
        partitions: 3,
        replicas: 1,
        retentionMs: 604800000,
        retentionHours: 168,
        kafkaCluster: 'bus',
        topicId: 'p8Zq3xJxR1mYH3uX2bVd1w',
        ready: true,
      },
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }],
    });
    const fresh = kafkaTopicInterpreter.trim({ ...raw, status: undefined });
    expect(kafkaTopicInterpreter.interpret(fresh)).toMatchObject({
      health: 'progressing',
      summary: 'waiting for the Topic Operator to create the topic',
    });
    const rejected = kafkaTopicInterpreter.trim({
      ...raw,
      status: {
        observedGeneration: 1,
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'KafkaError',
            message:
              'org.apache.kafka.common.errors.InvalidReplicationFactorException: Replication factor: 3 larger than available brokers: 1.',
            lastTransitionTime: t,
          },
        ],
      },
    });
    expect(kafkaTopicInterpreter.interpret(rejected)).toMatchObject({
      health: 'failed',
      summary:
        'not ready: org.apache.kafka.common.errors.InvalidReplicationFactorException: Replication factor: 3 larger than available brokers: 1. (KafkaError)',
    });
  });

  it('CloudNativePG Cluster: healthy phase with all instances ready, the credentials Secret by name only', () => {
    const cluster = (status: Record<string, unknown>) =>
      cnpgClusterInterpreter.trim({
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: {
          name: 'team-a-data-pg',
          namespace: 'team-a',
          generation: 1,
        },
        spec: {
          instances: 2,
          storage: { size: '1Gi' },
          bootstrap: { initdb: { database: 'app', owner: 'app' } },
        },
        status,
      });
    const healthy = cluster({
      phase: 'Cluster in healthy state',
      instances: 2,
      readyInstances: 2,
      currentPrimary: 'team-a-data-pg-1',
      writeService: 'team-a-data-pg-rw',
      readService: 'team-a-data-pg-r',
      certificates: {
        expirations: { 'team-a-data-pg-ca': '2027-02-19 09:53:11 +0000 UTC' },
      },
    });
    expect(healthy.status.certificates).toBeUndefined();
    expect(cnpgClusterInterpreter.interpret(healthy)).toMatchObject({
      health: 'ready',
      summary: 'Cluster in healthy state (2/2 instances ready)',
      facts: {
        instances: 2,
        readyInstances: 2,
        credentialsSecret: 'team-a-data-pg-app',
        primary: 'team-a-data-pg-1',
        writeService: 'team-a-data-pg-rw',
        database: 'app',
        storage: '1Gi',
      },
    });
    expect(
      cnpgClusterInterpreter.interpret(
        cluster({
          phase: 'Creating a new replica',
          instances: 2,
          readyInstances: 1,
        }),
      ),
    ).toMatchObject({
      health: 'progressing',
      summary: 'Creating a new replica (1/2 instances ready)',
    });
    expect(
      cnpgClusterInterpreter.interpret(
        cluster({
          phase: 'Unable to create required cluster objects',
          phaseReason:
            'exceeded quota: team-a-quota, requested: requests.memory=512Mi',
        }),
      ),
    ).toMatchObject({
      health: 'failed',
      summary:
        'Unable to create required cluster objects: exceeded quota: team-a-quota, requested: requests.memory=512Mi',
    });
    expect(cnpgClusterInterpreter.interpret(cluster({}))).toMatchObject({
      health: 'progressing',
    });
  });

  it('Namespace, Ingress and RGD', () => {
    expect(
      namespaceInterpreter.interpret({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team-a' },
        status: { phase: 'Active' },
      }),
    ).toMatchObject({ health: 'ready', summary: 'Active' });
    expect(
      namespaceInterpreter.interpret({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team-a', deletionTimestamp: t },
        status: { phase: 'Terminating' },
      }).health,
    ).toBe('progressing');
    const ingress = ingressInterpreter.trim({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'team-a-web', namespace: 'team-a' },
      spec: {
        ingressClassName: 'cilium',
        rules: [{ host: 'team-a-web.localtest.me', http: { paths: [] } }],
      },
      status: { loadBalancer: { ingress: [{ ip: '172.18.0.2' }] } },
    });
    expect(ingressInterpreter.interpret(ingress)).toMatchObject({
      health: 'ready',
      summary: 'http://team-a-web.localtest.me at 172.18.0.2',
      facts: {
        url: 'http://team-a-web.localtest.me',
        addresses: ['172.18.0.2'],
        ingressClass: 'cilium',
      },
    });
    const rgd = rgdInterpreter.trim({
      apiVersion: 'kro.run/v1alpha1',
      kind: 'ResourceGraphDefinition',
      metadata: { name: 'topic' },
      spec: {
        schema: {
          kind: 'Topic',
          group: 'platform.mini-atlas.io',
          apiVersion: 'v1alpha1',
          spec: { partitions: 'integer' },
        },
        resources: [],
      },
      status: {
        state: 'Inactive',
        conditions: [
          {
            type: 'GraphAccepted',
            status: 'False',
            reason: 'InvalidResourceGraph',
            message: 'schema kafka.strimzi.io/v1 KafkaTopic not found',
            lastTransitionTime: t,
          },
          {
            type: 'Ready',
            status: 'False',
            reason: 'InvalidResourceGraph',
            lastTransitionTime: t,
          },
        ],
      },
    });
    expect(rgd.spec).toEqual({
      schema: {
        kind: 'Topic',
        group: 'platform.mini-atlas.io',
        apiVersion: 'v1alpha1',
      },
    });
    expect(rgdInterpreter.interpret(rgd)).toMatchObject({
      health: 'failed',
      summary:
        'Inactive: schema kafka.strimzi.io/v1 KafkaTopic not found (InvalidResourceGraph)',
      facts: {
        state: 'Inactive',
        serves: 'Topic.platform.mini-atlas.io/v1alpha1',
      },
    });
  });

  it("RGD: Active says which kind it serves, in KRO's default group when none is set", () => {
    const accepted = (schema: Record<string, unknown>) =>
      rgdInterpreter.trim({
        apiVersion: 'kro.run/v1alpha1',
        kind: 'ResourceGraphDefinition',
        metadata: { name: 'demo-app', generation: 1 },
        spec: { schema, resources: [] },
        status: {
          state: 'Active',
          topologicalOrder: ['deployment'],
          conditions: [
            {
              type: 'GraphAccepted',
              status: 'True',
              reason: 'Valid',
              message: 'resource graph and schema are valid',
              observedGeneration: 1,
              lastTransitionTime: t,
            },
            {
              type: 'KindReady',
              status: 'True',
              reason: 'Ready',
              message: 'kind DemoApp has been accepted and ready',
              observedGeneration: 1,
              lastTransitionTime: t,
            },
            {
              type: 'ControllerReady',
              status: 'True',
              reason: 'Running',
              message: 'controller is running',
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
          ],
        },
      });
    expect(
      rgdInterpreter.interpret(
        accepted({ apiVersion: 'v1alpha1', kind: 'DemoApp' }),
      ),
    ).toMatchObject({
      health: 'ready',
      summary: 'Active, serves DemoApp.kro.run/v1alpha1',
      facts: { state: 'Active', serves: 'DemoApp.kro.run/v1alpha1' },
    });
    expect(
      rgdInterpreter.interpret(
        accepted({
          apiVersion: 'v1alpha1',
          kind: 'Workspace',
          group: 'platform.mini-atlas.io',
          scope: 'Cluster',
        }),
      ).summary,
    ).toBe('Active, serves Workspace.platform.mini-atlas.io/v1alpha1');
  });

  it('Flux Kustomization: applied revision, failures and waits; the inventory is not kept', () => {
    const applied = kustomizationInterpreter.trim(appliedKustomization(SHA_A));
    expect(applied.status.inventory).toBeUndefined();
    expect(kustomizationInterpreter.interpret(applied)).toMatchObject({
      health: 'ready',
      summary: `applied revision main@sha1:${SHA_A}`,
      facts: {
        lastAppliedRevision: `main@sha1:${SHA_A}`,
        path: './gitops/workspaces/team-a',
      },
    });
    const failed = kustomization({
      lastAttemptedRevision: `main@sha1:${SHA_A}`,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'BuildFailed',
          message:
            'kustomize build failed: accumulating resources: open /tmp/kustomization-1/gitops/workspaces/team-a/topic-ordres.yaml: no such file or directory',
          lastTransitionTime: t,
        },
      ],
    });
    expect(kustomizationInterpreter.interpret(failed).health).toBe('failed');
    const waiting = kustomization({
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'DependencyNotReady',
          message: "dependency 'flux-system/foundation' is not ready",
          lastTransitionTime: t,
        },
      ],
    });
    expect(kustomizationInterpreter.interpret(waiting)).toMatchObject({
      health: 'progressing',
      summary:
        "dependency 'flux-system/foundation' is not ready (DependencyNotReady)",
    });
  });

  it('Flux: Ready=True of an older generation is not ready; a stall says why it gave up', () => {
    const edited = appliedKustomization(SHA_A);
    edited.metadata.generation = 2;
    expect(kustomizationInterpreter.interpret(edited)).toMatchObject({
      health: 'progressing',
      summary: 'generation 2 not reconciled yet (Ready is for generation 1)',
    });
    const source = gitRepositoryInterpreter.trim({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'mini-atlas', namespace: 'flux-system', generation: 2 },
      spec: { url: 'http://172.18.0.1:8470/mini-atlas.git' },
      status: {
        observedGeneration: 2,
        conditions: [
          {
            type: 'Stalled',
            status: 'True',
            reason: 'URLInvalid',
            message: 'unsupported URL scheme: ftp',
            observedGeneration: 2,
            lastTransitionTime: t,
          },
          {
            type: 'Ready',
            status: 'False',
            reason: 'URLInvalid',
            message: 'unsupported URL scheme: ftp',
            observedGeneration: 2,
            lastTransitionTime: t,
          },
        ],
      },
    });
    // Ready only repeats the stall: said once.
    expect(gitRepositoryInterpreter.interpret(source)).toMatchObject({
      health: 'failed',
      summary: 'stalled: unsupported URL scheme: ftp (URLInvalid)',
    });
  });

  it('reads the SHA of Flux revisions in every format', () => {
    expect(revisionSha(`main@sha1:${SHA_A}`)).toBe(SHA_A);
    expect(revisionSha(`sha1:${SHA_A}`)).toBe(SHA_A);
    expect(revisionSha(`main/${SHA_A}`)).toBe(SHA_A);
    expect(revisionSha('latest@sha256:3b6c')).toBeUndefined();
    expect(revisionSha(undefined)).toBeUndefined();
  });

  it('KRO instances keep their scalar status fields, state and conditions', () => {
    const trimmed = trimKroInstance({
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Infrastructure',
      metadata: {
        name: 'team-a-data',
        namespace: 'team-a',
        labels: { 'mini-atlas.io/owner': 'team-a', 'kro.run/owned': 'true' },
        annotations: { a: 'b' },
      },
      spec: { database: { instances: 1 } },
      status: {
        state: 'ACTIVE',
        databasePhase: 'Cluster in healthy state',
        readyInstances: 1,
        credentialsSecret: 'team-a-data-pg-app',
        nested: { dropped: true },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Ready',
            message: 'x'.repeat(2000),
          },
        ],
      },
    });
    expect(trimmed.metadata).toEqual({
      name: 'team-a-data',
      namespace: 'team-a',
      labels: { 'mini-atlas.io/owner': 'team-a' },
    });
    expect(trimmed.status).toMatchObject({
      state: 'ACTIVE',
      databasePhase: 'Cluster in healthy state',
      readyInstances: 1,
      credentialsSecret: 'team-a-data-pg-app',
    });
    expect(trimmed.status.nested).toBeUndefined();
    expect(trimmed.status.conditions[0].message.length).toBeLessThan(700);
  });
});

/** A HelmRelease of gitops/core/controllers as helm-controller v1.6 writes it (`helm.toolkit.fluxcd.io/v2`). */
function helmRelease(
  name: string,
  targetNamespace: string,
  status: Record<string, unknown>,
  generation = 1,
): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: {
      name,
      namespace: 'flux-system',
      generation,
      uid: '7f3c2d9a-54b1-4e0f-9a2c-1d8e6b3f0a47',
      labels: {
        'kustomize.toolkit.fluxcd.io/name': 'core-controllers',
        'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
      },
      finalizers: ['finalizers.fluxcd.io'],
    },
    spec: {
      interval: '30m',
      releaseName: name,
      targetNamespace,
      chart: {
        spec: {
          chart: name,
          version: '1.20.0',
          sourceRef: { kind: 'HelmRepository', name },
        },
      },
      install: { remediation: { retries: 3 } },
      upgrade: { remediation: { retries: 3, strategy: 'rollback' } },
      values: { kubeProxyReplacement: true },
    },
    status,
  };
}

/** One `status.history` entry (a Helm release snapshot), newest first in the list. */
function snapshot(
  name: string,
  namespace: string,
  version: number,
  status: string,
  chartVersion: string,
) {
  return {
    name,
    namespace,
    version,
    status,
    chartName: name,
    chartVersion,
    appVersion: chartVersion,
    configDigest:
      'sha256:1dfa7a37b8b3c8e0a6d4c94b1c3f0e2d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d',
    digest:
      'sha256:9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
    firstDeployed: '2026-11-21T09:40:02Z',
    lastDeployed: t,
  };
}

describe('HelmRelease', () => {
  it('is found for any version of helm.toolkit.fluxcd.io', () => {
    expect(interpreterFor('helm.toolkit.fluxcd.io/v2', 'HelmRelease')).toBe(
      helmReleaseInterpreter,
    );
  });

  it('upgraded: the newest release of the history, trimmed to it', () => {
    const upgraded = helmReleaseInterpreter.trim(
      helmRelease('cilium', 'kube-system', {
        observedGeneration: 1,
        lastAttemptedGeneration: 1,
        lastAttemptedReleaseAction: 'upgrade',
        lastAttemptedRevision: '1.20.0',
        lastAttemptedConfigDigest:
          'sha256:1dfa7a37b8b3c8e0a6d4c94b1c3f0e2d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d',
        helmChart: 'flux-system/flux-system-cilium',
        storageNamespace: 'kube-system',
        history: [
          snapshot('cilium', 'kube-system', 2, 'deployed', '1.20.0'),
          snapshot('cilium', 'kube-system', 1, 'superseded', '1.19.6'),
        ],
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'UpgradeSucceeded',
            message:
              'Helm upgrade succeeded for release kube-system/cilium.v2 with chart cilium@1.20.0',
            observedGeneration: 1,
            lastTransitionTime: t,
          },
          {
            type: 'Released',
            status: 'True',
            reason: 'UpgradeSucceeded',
            message:
              'Helm upgrade succeeded for release kube-system/cilium.v2 with chart cilium@1.20.0',
            observedGeneration: 1,
            lastTransitionTime: t,
          },
        ],
      }),
    );
    expect(upgraded.spec.values).toBeUndefined();
    expect(upgraded.status.history).toEqual([
      {
        name: 'cilium',
        namespace: 'kube-system',
        version: 2,
        status: 'deployed',
        chartName: 'cilium',
        chartVersion: '1.20.0',
        appVersion: '1.20.0',
      },
    ]);
    expect(helmReleaseInterpreter.interpret(upgraded)).toEqual({
      health: 'ready',
      summary: 'cilium@1.20.0 deployed in kube-system',
      facts: {
        chart: 'cilium@1.20.0',
        appVersion: '1.20.0',
        releaseStatus: 'deployed',
        release: 'kube-system/cilium.v2',
        lastAttemptedRevision: '1.20.0',
      },
      conditions: upgraded.status.conditions,
    });
  });

  it('installing: progressing with what helm-controller is running', () => {
    const installing = helmRelease('strimzi', 'kafka', {
      observedGeneration: -1,
      conditions: [
        {
          type: 'Reconciling',
          status: 'True',
          reason: 'Progressing',
          message: "Running 'install' action with timeout of 10m0s",
          observedGeneration: 1,
          lastTransitionTime: t,
        },
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'Progressing',
          message: "Running 'install' action with timeout of 10m0s",
          observedGeneration: 1,
          lastTransitionTime: t,
        },
      ],
    });
    expect(helmReleaseInterpreter.interpret(installing)).toMatchObject({
      health: 'progressing',
      summary: "Running 'install' action with timeout of 10m0s (Progressing)",
      facts: {},
    });
  });

  it('out of install retries: failed with the Helm error first, then that it gave up', () => {
    const failed = helmRelease('kyverno', 'kyverno', {
      observedGeneration: 1,
      failures: 4,
      installFailures: 4,
      lastAttemptedReleaseAction: 'install',
      lastAttemptedRevision: '3.9.0',
      history: [snapshot('kyverno', 'kyverno', 4, 'failed', '3.9.0')],
      conditions: [
        {
          type: 'Stalled',
          status: 'True',
          reason: 'RetriesExceeded',
          message: 'Failed to install after 4 attempt(s)',
          observedGeneration: 1,
          lastTransitionTime: t,
        },
        {
          type: 'Ready',
          status: 'False',
          reason: 'InstallFailed',
          message:
            'Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded',
          observedGeneration: 1,
          lastTransitionTime: t,
        },
        {
          type: 'Released',
          status: 'False',
          reason: 'InstallFailed',
          message:
            'Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded',
          observedGeneration: 1,
          lastTransitionTime: t,
        },
      ],
    });
    expect(helmReleaseInterpreter.interpret(failed)).toMatchObject({
      health: 'failed',
      summary:
        'Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded (InstallFailed); stalled: Failed to install after 4 attempt(s) (RetriesExceeded)',
      facts: {
        chart: 'kyverno@3.9.0',
        releaseStatus: 'failed',
        release: 'kyverno/kyverno.v4',
        failures: 4,
      },
    });
    // Retries left: still a failure, the same way a Kustomization's BuildFailed is.
    const retrying = helmRelease('kyverno', 'kyverno', {
      ...failed.status,
      failures: 1,
      conditions: [
        {
          type: 'Reconciling',
          status: 'True',
          reason: 'ProgressingWithRetry',
          message:
            'Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded',
          observedGeneration: 1,
          lastTransitionTime: t,
        },
        ...failed.status.conditions.slice(1),
      ],
    });
    expect(helmReleaseInterpreter.interpret(retrying)).toMatchObject({
      health: 'failed',
      summary:
        'Helm install failed for release kyverno/kyverno with chart kyverno@3.9.0: context deadline exceeded (InstallFailed)',
    });
  });

  it('upgrade rolled back: failed, explained by Released, not by the rollback that succeeded', () => {
    const rolledBack = helmRelease(
      'strimzi',
      'kafka',
      {
        observedGeneration: 2,
        failures: 1,
        upgradeFailures: 1,
        lastAttemptedReleaseAction: 'upgrade',
        lastAttemptedRevision: '1.2.0',
        history: [
          snapshot('strimzi', 'kafka', 3, 'deployed', '1.1.0'),
          snapshot('strimzi', 'kafka', 2, 'failed', '1.2.0'),
          snapshot('strimzi', 'kafka', 1, 'superseded', '1.1.0'),
        ],
        conditions: [
          {
            type: 'Reconciling',
            status: 'True',
            reason: 'ProgressingWithRetry',
            message:
              'Helm rollback to previous release kafka/strimzi.v1 with chart strimzi@1.1.0 succeeded',
            observedGeneration: 2,
            lastTransitionTime: t,
          },
          {
            type: 'Ready',
            status: 'False',
            reason: 'RollbackSucceeded',
            message:
              'Helm rollback to previous release kafka/strimzi.v1 with chart strimzi@1.1.0 succeeded',
            observedGeneration: 2,
            lastTransitionTime: t,
          },
          {
            type: 'Released',
            status: 'False',
            reason: 'UpgradeFailed',
            message:
              'Helm upgrade failed for release kafka/strimzi with chart strimzi@1.2.0: timed out waiting for the condition',
            observedGeneration: 2,
            lastTransitionTime: t,
          },
          {
            type: 'Remediated',
            status: 'True',
            reason: 'RollbackSucceeded',
            message:
              'Helm rollback to previous release kafka/strimzi.v1 with chart strimzi@1.1.0 succeeded',
            observedGeneration: 2,
            lastTransitionTime: t,
          },
        ],
      },
      2,
    );
    expect(helmReleaseInterpreter.interpret(rolledBack)).toMatchObject({
      health: 'failed',
      summary:
        'Helm upgrade failed for release kafka/strimzi with chart strimzi@1.2.0: timed out waiting for the condition (UpgradeFailed); Helm rollback to previous release kafka/strimzi.v1 with chart strimzi@1.1.0 succeeded (RollbackSucceeded)',
      facts: { chart: 'strimzi@1.1.0', releaseStatus: 'deployed' },
    });
  });

  it('a changed spec not yet reconciled, or a suspended release, is not ready', () => {
    const deployed = {
      observedGeneration: 1,
      history: [snapshot('kro', 'kro-system', 1, 'deployed', '0.9.3')],
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'InstallSucceeded',
          message:
            'Helm install succeeded for release kro-system/kro.v1 with chart kro@0.9.3',
          observedGeneration: 1,
          lastTransitionTime: t,
        },
      ],
    };
    expect(
      helmReleaseInterpreter.interpret(
        helmRelease('kro', 'kro-system', deployed, 2),
      ),
    ).toMatchObject({
      health: 'progressing',
      summary: 'generation 2 not reconciled yet (Ready is for generation 1)',
    });
    const suspended = helmRelease('kro', 'kro-system', deployed);
    suspended.spec.suspend = true;
    expect(helmReleaseInterpreter.interpret(suspended)).toMatchObject({
      health: 'progressing',
      summary: 'suspended',
      facts: { suspended: true },
    });
  });
});
