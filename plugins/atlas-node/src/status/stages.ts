import type {
  ChildStatus,
  KubeObject,
  StageStatus,
} from '@mini-atlas/plugin-atlas-common';
import {
  explainCondition,
  findCondition,
  generationPending,
  interpreterFor,
  revisionSha,
  rgdInterpreter,
} from './kinds';
import type { FileCommit } from './gitHistory';

/** The first 7 characters of a SHA, as git shows it. */
export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '?';
}

function ref(object: { namespace?: string; name: string }): string {
  return object.namespace ? `${object.namespace}/${object.name}` : object.name;
}

const unreachable = (
  stage: StageStatus['stage'],
  reason?: string,
): StageStatus => ({
  stage,
  state: 'unknown',
  reason: 'ClusterUnreachable',
  message: `cannot tell: the cluster is not reachable${
    reason ? ` (${reason})` : ''
  }`,
});

/**
 * What Git says about a request.
 *
 * @public
 */
export interface GitStageInput {
  /** Path of the file relative to the repository root (`gitops/workspaces/team-a/topic-orders.yaml`); undefined when Git does not declare the request. */
  path?: string;
  commit?: FileCommit;
  /** The file differs from HEAD. */
  uncommitted: boolean;
  /** Why the declared spec does not render (does not fit the RGD's schema). */
  invalid?: string;
}

/**
 * The Git stage: declared in `gitops/`, at which commit.
 *
 * @public
 */
export function gitStage(input: GitStageInput): StageStatus {
  const stage = 'git' as const;
  if (!input.path) {
    return {
      stage,
      state: 'pending',
      reason: 'NotInGit',
      message:
        'not declared in gitops/: it was removed (Flux prunes it at its next reconcile) or created by hand',
    };
  }
  if (input.invalid) {
    return {
      stage,
      state: 'failed',
      reason: 'InvalidSpec',
      message: `${input.path} does not fit the abstraction's schema: ${input.invalid}`,
      facts: { file: input.path },
    };
  }
  if (input.uncommitted || !input.commit) {
    return {
      stage,
      state: 'pending',
      reason: 'NotCommitted',
      message: input.commit
        ? `${
            input.path
          } has changes that are not committed yet (last commit ${shortSha(
            input.commit.sha,
          )}); Flux only applies commits`
        : `${input.path} is written but not committed yet; Flux only applies commits`,
      facts: {
        file: input.path,
        ...(input.commit ? { commit: input.commit.sha } : {}),
      },
    };
  }
  return {
    stage,
    state: 'done',
    reason: 'Committed',
    message: `declared in ${input.path} at commit ${shortSha(
      input.commit.sha,
    )} (${input.commit.subject})`,
    since: input.commit.time,
    facts: {
      file: input.path,
      commit: input.commit.sha,
      committedAt: input.commit.time,
    },
  };
}

/**
 * What Flux says about the commit that declared a request.
 *
 * @public
 */
export interface FluxStageInput {
  connected: boolean;
  connectionReason?: string;
  /** The commit that declared the request, when committed. */
  commit?: string;
  /** Whether Git declares the request at all. */
  inGit: boolean;
  /** The Kustomization that applies the request's file. */
  kustomizationRef: { namespace: string; name: string };
  kustomization?: KubeObject;
  /** The GitRepository the Kustomization reads. */
  source?: KubeObject;
  /** Whether the Kustomization's `lastAppliedRevision` contains the commit (undefined: this repository does not know that revision). */
  appliedContains?: boolean;
  /** The same for `lastAttemptedRevision`. */
  attemptedContains?: boolean;
  /** The same for the GitRepository's artifact revision. */
  sourceContains?: boolean;
  /** For a request, the workspace whose Workspace creates the Kustomization. */
  workspace?: string;
  isWorkspace: boolean;
}

/**
 * The Flux stage: the Kustomization applying the request's folder applied a revision that
 * contains the commit, and is Ready.
 *
 * @public
 */
export function fluxStage(input: FluxStageInput): StageStatus {
  const stage = 'flux' as const;
  if (!input.connected) return unreachable(stage, input.connectionReason);
  const kRef = ref(input.kustomizationRef);
  const k = input.kustomization;
  if (!input.inGit) {
    return {
      stage,
      state: 'pending',
      reason: 'NotInGit',
      message: `nothing to apply: Git does not declare it`,
    };
  }
  if (!input.commit) {
    return {
      stage,
      state: 'pending',
      reason: 'NotCommitted',
      message: 'waiting for a commit: Flux only applies what is committed',
    };
  }
  const commit = shortSha(input.commit);
  if (!k) {
    return {
      stage,
      state: 'pending',
      reason: 'KustomizationMissing',
      message: input.isWorkspace
        ? `Kustomization ${kRef} is not in the cluster: is Flux set up (yarn atlas up)?`
        : `waiting for Kustomization ${kRef}, which KRO creates for workspace ${input.workspace} once its namespace exists`,
      facts: { kustomization: kRef },
    };
  }
  const applied: string | undefined = k.status?.lastAppliedRevision;
  const facts: Record<string, string> = {
    kustomization: kRef,
    ...(applied ? { revision: applied } : {}),
  };
  const ready = findCondition(k, 'Ready');
  if (input.appliedContains === true) {
    return {
      stage,
      state: 'done',
      reason: 'Applied',
      message: `Kustomization ${kRef} applied revision ${shortSha(
        revisionSha(applied),
      )}, which contains commit ${commit}`,
      since: ready?.lastTransitionTime,
      facts,
    };
  }
  if (k.spec?.suspend) {
    return {
      stage,
      state: 'pending',
      reason: 'Suspended',
      message: `Kustomization ${kRef} is suspended: resume it to apply commit ${commit}`,
      facts,
    };
  }
  const stalled = findCondition(k, 'Stalled');
  if (stalled?.status === 'True') {
    return {
      stage,
      state: 'failed',
      reason: stalled.reason ?? 'Stalled',
      message: `Kustomization ${kRef} is stalled: ${explainCondition(stalled)}`,
      since: stalled.lastTransitionTime,
      facts,
    };
  }
  const interpreted = interpreterFor(k.apiVersion, k.kind).interpret(k);
  if (
    interpreted.health === 'failed' &&
    ready?.status === 'False' &&
    input.attemptedContains === true
  ) {
    return {
      stage,
      state: 'failed',
      reason: ready.reason ?? 'ReconciliationFailed',
      message: `Kustomization ${kRef} could not apply commit ${commit}: ${
        ready.message ?? ready.reason
      }`,
      since: ready.lastTransitionTime,
      facts,
    };
  }
  const source = input.source;
  const sourceName = `GitRepository ${
    source ? ref(source.metadata as { namespace?: string; name: string }) : ''
  }`.trim();
  if (input.sourceContains === false || !source) {
    if (!source) {
      return {
        stage,
        state: 'pending',
        reason: 'SourceMissing',
        message: `waiting for Flux's source of Kustomization ${kRef}: its GitRepository is not in the cluster`,
        facts,
      };
    }
    const sourceInterpreted = interpreterFor(
      source.apiVersion,
      source.kind,
    ).interpret(source);
    if (sourceInterpreted.health === 'failed') {
      return {
        stage,
        state: 'failed',
        reason: 'SourceFailed',
        message: `${sourceName} cannot fetch commit ${commit}: ${sourceInterpreted.summary}`,
        facts,
      };
    }
    return {
      stage,
      state: 'pending',
      reason: 'WaitingForSource',
      message: `waiting for Flux to fetch commit ${commit}: ${sourceName} is at ${shortSha(
        revisionSha(source.status?.artifact?.revision),
      )}`,
      facts: {
        ...facts,
        ...(source.status?.artifact?.revision
          ? { sourceRevision: source.status.artifact.revision }
          : {}),
      },
    };
  }
  if (applied && input.appliedContains === undefined && revisionSha(applied)) {
    return {
      stage,
      state: 'pending',
      reason: 'UnknownRevision',
      message: `Kustomization ${kRef} applied revision ${shortSha(
        revisionSha(applied),
      )}, which this repository does not have: is Flux watching another branch or repository?`,
      facts,
    };
  }
  const why = interpreted.health === 'ready' ? '' : `; ${interpreted.summary}`;
  return {
    stage,
    state: 'pending',
    reason: 'WaitingForApply',
    message: `waiting for Kustomization ${kRef} to apply commit ${commit} (it applied ${
      applied ? shortSha(revisionSha(applied) ?? applied) : 'nothing yet'
    }${why})`,
    since: ready?.lastTransitionTime,
    facts,
  };
}

/**
 * What KRO says about a request's instance.
 *
 * @public
 */
export interface KroStageInput {
  connected: boolean;
  connectionReason?: string;
  /** The instance in the cluster. */
  live?: KubeObject;
  /** The RGD as the cluster has it. */
  rgd?: KubeObject;
  /** The RGD's name, for messages. */
  rgdName: string;
  /** Whether the cluster serves the instance's kind (KRO generated its CRD). */
  kindServed: boolean;
}

/** Condition reasons on a KRO instance that need a person. */
const KRO_FAILURE_REASONS = new Set(['ManagementFailed', 'ResolutionFailed']);

/**
 * The KRO stage: the instance exists, its `state`, `Ready`/`ResourcesReady` conditions and
 * observed generation.
 *
 * @public
 */
export function kroStage(input: KroStageInput): StageStatus {
  const stage = 'kro' as const;
  if (!input.connected) return unreachable(stage, input.connectionReason);
  const live = input.live;
  if (!live) {
    if (!input.kindServed) {
      const rgd = input.rgd ? rgdInterpreter.interpret(input.rgd) : undefined;
      return {
        stage,
        state: rgd?.health === 'failed' ? 'failed' : 'pending',
        reason: 'KindNotServed',
        message: rgd
          ? `the cluster does not serve this kind yet: ResourceGraphDefinition ${input.rgdName} is ${rgd.summary}`
          : `the cluster does not serve this kind: ResourceGraphDefinition ${input.rgdName} is not in the cluster`,
      };
    }
    return {
      stage,
      state: 'pending',
      reason: 'NotCreated',
      message: 'the instance is not in the cluster yet',
    };
  }
  const state: string | undefined = live.status?.state;
  const ready = findCondition(live, 'Ready');
  const facts: Record<string, string | number> = {
    ...(state ? { state } : {}),
    ...(typeof live.metadata.generation === 'number'
      ? { generation: live.metadata.generation }
      : {}),
    ...(typeof ready?.observedGeneration === 'number'
      ? { observedGeneration: ready.observedGeneration }
      : {}),
  };
  if (live.metadata.deletionTimestamp) {
    return {
      stage,
      state: 'pending',
      reason: 'Deleting',
      message: 'KRO is deleting the instance and its resources',
      facts,
    };
  }
  const conditionTypes = ['InstanceManaged', 'GraphResolved', 'ResourcesReady'];
  const failing = conditionTypes
    .map(type => findCondition(live, type))
    .find(
      c => c && c.status === 'False' && KRO_FAILURE_REASONS.has(c.reason ?? ''),
    );
  if (failing || state === 'ERROR' || state === 'FAILED') {
    const cause =
      failing ??
      conditionTypes
        .map(type => findCondition(live, type))
        .find(c => c && c.status !== 'True') ??
      ready;
    return {
      stage,
      state: 'failed',
      reason: cause?.reason ?? state ?? 'Error',
      message: `${state ?? 'ERROR'}: ${
        explainCondition(cause) || 'KRO reports an error'
      }`,
      since: cause?.lastTransitionTime,
      facts,
    };
  }
  if (ready && generationPending(live, ready.observedGeneration)) {
    return {
      stage,
      state: 'pending',
      reason: 'GenerationPending',
      message: `KRO has not processed the latest change yet (generation ${live.metadata.generation}, observed ${ready.observedGeneration})`,
      facts,
    };
  }
  if (ready?.status === 'True') {
    return {
      stage,
      state: 'done',
      reason: ready.reason ?? 'Ready',
      message: `${state ?? 'ACTIVE'}: ${
        findCondition(live, 'ResourcesReady')?.message ??
        'all resources are created and ready'
      }`,
      since: ready.lastTransitionTime,
      facts,
    };
  }
  if (!state && !ready) {
    const rgd = input.rgd ? rgdInterpreter.interpret(input.rgd) : undefined;
    return {
      stage,
      state: 'pending',
      reason: 'NotReconciled',
      message:
        rgd && rgd.health !== 'ready'
          ? `KRO has not picked it up: ResourceGraphDefinition ${input.rgdName} is ${rgd.summary}`
          : 'waiting for KRO to pick it up',
      facts,
    };
  }
  const waiting =
    ['ResourcesReady', 'GraphResolved', 'InstanceManaged']
      .map(type => findCondition(live, type))
      .find(c => c && c.status !== 'True') ?? ready;
  return {
    stage,
    state: 'pending',
    reason: waiting?.reason ?? 'InProgress',
    message: `${state ?? 'IN_PROGRESS'}: ${
      explainCondition(waiting) || 'KRO is creating the resources'
    }`,
    since: waiting?.lastTransitionTime,
    facts,
  };
}

/**
 * A child KRO creates for an instance, as the offline render expects it.
 *
 * @public
 */
export interface ExpectedChild {
  id: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * Joins the children the render expects with those the cluster has (matched by kind,
 * namespace and name), each with its own health; children KRO created that the render does not
 * know (an RGD changed since) come last.
 *
 * @public
 */
export function childStatuses(
  expected: readonly ExpectedChild[],
  actual: readonly KubeObject[],
  connected: boolean,
): ChildStatus[] {
  const key = (kind: string, name: string, namespace?: string) =>
    `${kind}/${namespace ?? ''}/${name}`;
  const byKey = new Map(
    actual.map(o => [key(o.kind, o.metadata.name, o.metadata.namespace), o]),
  );
  const out: ChildStatus[] = [];
  const describe = (id: string, object: KubeObject): ChildStatus => {
    const interpreted = interpreterFor(
      object.apiVersion,
      object.kind,
    ).interpret(object);
    return {
      id,
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      ...(object.metadata.namespace
        ? { namespace: object.metadata.namespace }
        : {}),
      exists: true,
      health: connected ? interpreted.health : 'unknown',
      summary: interpreted.summary,
      facts: interpreted.facts,
      ...(interpreted.conditions ? { conditions: interpreted.conditions } : {}),
    };
  };
  for (const child of expected) {
    const k = key(child.kind, child.name, child.namespace);
    const found = byKey.get(k);
    if (found) {
      byKey.delete(k);
      out.push(describe(child.id, found));
    } else {
      out.push({
        id: child.id,
        apiVersion: child.apiVersion,
        kind: child.kind,
        name: child.name,
        ...(child.namespace ? { namespace: child.namespace } : {}),
        exists: false,
        health: connected ? 'progressing' : 'unknown',
        summary: connected ? 'not created yet' : 'expected',
        facts: {},
      });
    }
  }
  for (const object of byKey.values()) {
    out.push(
      describe(object.metadata.labels?.['kro.run/node-id'] ?? '', object),
    );
  }
  return out;
}

/**
 * The Resources stage: every child exists and is healthy.
 *
 * @public
 */
export function resourcesStage(
  children: readonly ChildStatus[],
  connected: boolean,
  connectionReason?: string,
): StageStatus {
  const stage = 'resources' as const;
  if (!connected) return unreachable(stage, connectionReason);
  const ready = children.filter(c => c.health === 'ready').length;
  const facts = { ready, total: children.length };
  const failed = children.find(c => c.health === 'failed');
  if (failed) {
    return {
      stage,
      state: 'failed',
      reason: 'ResourceFailed',
      message: `${failed.kind} ${failed.name}: ${failed.summary}`,
      facts,
    };
  }
  const waiting = children.find(c => c.health !== 'ready');
  if (waiting) {
    return {
      stage,
      state: 'pending',
      reason: waiting.exists ? 'ResourceNotReady' : 'ResourceMissing',
      message: `${waiting.kind} ${waiting.name}: ${waiting.summary} (${ready}/${children.length} ready)`,
      facts,
    };
  }
  return {
    stage,
    state: 'done',
    reason: 'AllReady',
    message:
      children.length === 1
        ? '1 resource ready'
        : `${children.length} resources ready`,
    facts,
  };
}
