import { overallFromStages } from '@mini-atlas/plugin-atlas-common';
import {
  appliedKustomization,
  gitRepository,
  kroInstance,
  KRO_READY,
  kustomization,
  SHA_A,
  SHA_B,
} from './__fixtures__/objects';
import {
  childStatuses,
  fluxStage,
  gitStage,
  kroStage,
  resourcesStage,
  type FluxStageInput,
} from './stages';

const commit = {
  sha: SHA_B,
  time: '2026-11-21T09:50:00Z',
  subject: 'Add topic orders',
};
const path = 'gitops/workspaces/team-a/topic-orders.yaml';
const t = '2026-11-21T09:58:12Z';

describe('gitStage', () => {
  it('is done at the commit that declared the file', () => {
    expect(gitStage({ path, commit, uncommitted: false })).toEqual({
      stage: 'git',
      state: 'done',
      reason: 'Committed',
      message: `declared in ${path} at commit b2c3d4e (Add topic orders)`,
      since: commit.time,
      facts: { file: path, commit: SHA_B, committedAt: commit.time },
    });
  });

  it('waits for a commit, and fails an invalid spec', () => {
    expect(gitStage({ path, uncommitted: true })).toMatchObject({
      state: 'pending',
      reason: 'NotCommitted',
      message: `${path} is written but not committed yet; Flux only applies commits`,
    });
    expect(gitStage({ path, commit, uncommitted: true }).message).toBe(
      `${path} has changes that are not committed yet (last commit b2c3d4e); Flux only applies commits`,
    );
    expect(
      gitStage({
        path,
        commit,
        uncommitted: false,
        invalid: 'spec.partitions must be <= 12',
      }),
    ).toMatchObject({
      state: 'failed',
      reason: 'InvalidSpec',
    });
    expect(gitStage({ uncommitted: false })).toMatchObject({
      state: 'pending',
      reason: 'NotInGit',
    });
  });
});

describe('fluxStage', () => {
  const base: FluxStageInput = {
    connected: true,
    commit: SHA_B,
    inGit: true,
    kustomizationRef: { namespace: 'team-a', name: 'team-a-requests' },
    workspace: 'team-a',
    isWorkspace: false,
  };

  it('is done when the applied revision contains the commit', () => {
    expect(
      fluxStage({
        ...base,
        kustomization: appliedKustomization(SHA_B),
        source: gitRepository(SHA_B),
        appliedContains: true,
        sourceContains: true,
      }),
    ).toMatchObject({
      state: 'done',
      reason: 'Applied',
      message:
        'Kustomization team-a/team-a-requests applied revision b2c3d4e, which contains commit b2c3d4e',
      facts: {
        kustomization: 'team-a/team-a-requests',
        revision: `main@sha1:${SHA_B}`,
      },
    });
  });

  it('waits for Flux to fetch the commit, then to apply it', () => {
    expect(
      fluxStage({
        ...base,
        kustomization: appliedKustomization(SHA_A),
        source: gitRepository(SHA_A),
        appliedContains: false,
        attemptedContains: false,
        sourceContains: false,
      }),
    ).toMatchObject({
      state: 'pending',
      reason: 'WaitingForSource',
      message:
        'waiting for Flux to fetch commit b2c3d4e: GitRepository flux-system/mini-atlas is at a1b2c3d',
    });
    expect(
      fluxStage({
        ...base,
        kustomization: appliedKustomization(SHA_A),
        source: gitRepository(SHA_B),
        appliedContains: false,
        attemptedContains: false,
        sourceContains: true,
      }),
    ).toMatchObject({
      state: 'pending',
      reason: 'WaitingForApply',
      message:
        'waiting for Kustomization team-a/team-a-requests to apply commit b2c3d4e (it applied a1b2c3d)',
    });
  });

  it('fails when Flux could not apply the commit, with its message', () => {
    const failing = kustomization({
      lastAppliedRevision: `main@sha1:${SHA_A}`,
      lastAttemptedRevision: `main@sha1:${SHA_B}`,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'BuildFailed',
          message:
            'kustomize build failed: map[string]interface {}(nil): yaml: unmarshal errors:\n  line 4: mapping key "name" already defined',
          lastTransitionTime: t,
        },
      ],
    });
    expect(
      fluxStage({
        ...base,
        kustomization: failing,
        source: gitRepository(SHA_B),
        appliedContains: false,
        attemptedContains: true,
        sourceContains: true,
      }),
    ).toMatchObject({
      state: 'failed',
      reason: 'BuildFailed',
      since: t,
    });
  });

  it('names the missing Kustomization and the unreachable cluster', () => {
    expect(fluxStage({ ...base })).toMatchObject({
      state: 'pending',
      reason: 'KustomizationMissing',
      message:
        'waiting for Kustomization team-a/team-a-requests, which KRO creates for workspace team-a once its namespace exists',
    });
    expect(
      fluxStage({
        ...base,
        connected: false,
        connectionReason: 'connect ECONNREFUSED 127.0.0.1:6443',
      }),
    ).toEqual({
      stage: 'flux',
      state: 'unknown',
      reason: 'ClusterUnreachable',
      message:
        'cannot tell: the cluster is not reachable (connect ECONNREFUSED 127.0.0.1:6443)',
    });
    expect(fluxStage({ ...base, commit: undefined })).toMatchObject({
      state: 'pending',
      reason: 'NotCommitted',
    });
  });

  it('reports a source that cannot fetch as failed', () => {
    expect(
      fluxStage({
        ...base,
        kustomization: appliedKustomization(SHA_A),
        source: gitRepository(SHA_A, false),
        appliedContains: false,
        sourceContains: false,
      }),
    ).toMatchObject({ state: 'failed', reason: 'SourceFailed' });
  });
});

describe('kroStage', () => {
  const base = { connected: true, rgdName: 'webapplication', kindServed: true };

  it('is done for an ACTIVE instance whose Ready condition is True', () => {
    expect(
      kroStage({ ...base, live: kroInstance('ACTIVE', KRO_READY) }),
    ).toMatchObject({
      state: 'done',
      message: 'ACTIVE: all resources are created and ready',
      facts: { state: 'ACTIVE', generation: 1, observedGeneration: 1 },
    });
  });

  it('waits while resources are not ready, and for a generation not yet observed', () => {
    const inProgress = kroInstance('IN_PROGRESS', [
      KRO_READY[0],
      KRO_READY[1],
      {
        type: 'ResourcesReady',
        status: 'False',
        reason: 'NotReady',
        message: 'resource deployment is not ready',
        observedGeneration: 1,
        lastTransitionTime: t,
      },
      {
        type: 'Ready',
        status: 'False',
        reason: 'NotReady',
        observedGeneration: 1,
        lastTransitionTime: t,
      },
    ]);
    expect(kroStage({ ...base, live: inProgress })).toMatchObject({
      state: 'pending',
      reason: 'NotReady',
      message: 'IN_PROGRESS: resource deployment is not ready (NotReady)',
    });
    expect(
      kroStage({ ...base, live: kroInstance('ACTIVE', KRO_READY, 2) }),
    ).toMatchObject({
      state: 'pending',
      reason: 'GenerationPending',
    });
  });

  it('fails when KRO cannot resolve the graph', () => {
    const broken = kroInstance('ERROR', [
      KRO_READY[0],
      {
        type: 'GraphResolved',
        status: 'False',
        reason: 'ResolutionFailed',
        message:
          'failed to resolve resource ingress: service.metadata.name not found',
        observedGeneration: 1,
        lastTransitionTime: t,
      },
      {
        type: 'Ready',
        status: 'False',
        reason: 'ResolutionFailed',
        observedGeneration: 1,
        lastTransitionTime: t,
      },
    ]);
    expect(kroStage({ ...base, live: broken })).toMatchObject({
      state: 'failed',
      reason: 'ResolutionFailed',
      message:
        'ERROR: failed to resolve resource ingress: service.metadata.name not found (ResolutionFailed)',
    });
  });

  it('explains a missing instance by the RGD when the kind is not served', () => {
    expect(kroStage({ ...base })).toMatchObject({
      state: 'pending',
      reason: 'NotCreated',
    });
    expect(
      kroStage({
        ...base,
        kindServed: false,
        rgd: {
          apiVersion: 'kro.run/v1alpha1',
          kind: 'ResourceGraphDefinition',
          metadata: { name: 'webapplication' },
          status: {
            state: 'Inactive',
            conditions: [
              {
                type: 'KindReady',
                status: 'False',
                reason: 'Failed',
                message: 'CRD not established',
              },
            ],
          },
        },
      }),
    ).toMatchObject({
      state: 'failed',
      reason: 'KindNotServed',
      message:
        'the cluster does not serve this kind yet: ResourceGraphDefinition webapplication is Inactive: CRD not established (Failed)',
    });
  });
});

describe('children and the Resources stage', () => {
  const expected = [
    {
      id: 'deployment',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'team-a-web',
      namespace: 'team-a',
    },
    {
      id: 'service',
      apiVersion: 'v1',
      kind: 'Service',
      name: 'team-a-web',
      namespace: 'team-a',
    },
  ];
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'team-a-web', namespace: 'team-a', generation: 1 },
    spec: { replicas: 1, images: ['podinfo:6.9.2'] },
    status: {
      observedGeneration: 1,
      availableReplicas: 0,
      updatedReplicas: 1,
      conditions: [],
    },
  };

  it('joins expected and actual children; missing ones hold the stage', () => {
    const children = childStatuses(expected, [deployment], true);
    expect(children.map(c => [c.id, c.exists, c.health, c.summary])).toEqual([
      ['deployment', true, 'progressing', '0/1 replicas available'],
      ['service', false, 'progressing', 'not created yet'],
    ]);
    expect(resourcesStage(children, true)).toMatchObject({
      state: 'pending',
      reason: 'ResourceNotReady',
      message: 'Deployment team-a-web: 0/1 replicas available (0/2 ready)',
    });
  });

  it('is done when every child is ready, and unknown without a cluster', () => {
    const ready = childStatuses(
      expected,
      [
        {
          ...deployment,
          status: { ...deployment.status, availableReplicas: 1 },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'team-a-web', namespace: 'team-a' },
          spec: { ports: [80] },
        },
      ],
      true,
    );
    expect(resourcesStage(ready, true)).toMatchObject({
      state: 'done',
      message: '2 resources ready',
    });
    expect(
      resourcesStage(childStatuses(expected, [], false), false).state,
    ).toBe('unknown');
  });

  it('feeds the overall rule: the first stage not done holds the request', () => {
    const stages = [
      gitStage({ path, commit, uncommitted: false }),
      fluxStage({
        connected: true,
        commit: SHA_B,
        inGit: true,
        kustomizationRef: { namespace: 'team-a', name: 'team-a-requests' },
        kustomization: appliedKustomization(SHA_A),
        source: gitRepository(SHA_B),
        appliedContains: false,
        sourceContains: true,
        isWorkspace: false,
      }),
      kroStage({ connected: true, rgdName: 'topic', kindServed: true }),
      resourcesStage([], true),
    ];
    expect(overallFromStages(stages)).toEqual({
      health: 'progressing',
      stage: 'flux',
      message:
        'Flux: waiting for Kustomization team-a/team-a-requests to apply commit b2c3d4e (it applied a1b2c3d)',
    });
  });
});
