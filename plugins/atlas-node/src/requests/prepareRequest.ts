import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  buildInstance,
  isPlainObject,
  ownerGroupName,
  RenderError,
  renderInstance,
  requestFiles,
  requestNameProblems,
  requestObjectName,
  validateSpec,
  workspaceNameProblems,
  type Abstraction,
  type KubeObject,
  type RenderOptions,
  type RenderResult,
  type RequestFiles,
} from '@mini-atlas/plugin-atlas-common';
import type { GitopsSnapshot } from '../gitops/GitopsService';

/**
 * What a wizard submits for one request.
 *
 * @public
 */
export interface WizardRequest {
  /** Kind of the abstraction, as in its RGD (`Topic`). */
  kind: string;
  /** The workspace; for a Workspace, the new workspace's name. */
  workspace: string;
  /** The short name of the request; ignored for a Workspace (its name is the workspace). */
  name?: string;
  /** The owner Group, by name or entity ref. */
  owner: string;
  /** Values of the abstraction's `spec` fields. */
  spec?: unknown;
}

/**
 * A request checked against the platform: everything needed to write it and show its preview.
 *
 * @public
 */
export interface PreparedRequest {
  abstraction: Abstraction;
  workspace: string;
  /** Short name (for a Workspace, the workspace name). */
  name: string;
  /** `metadata.name` of the instance. */
  objectName: string;
  /** Owner Group name. */
  owner: string;
  /** The instance as it is written to Git (the spec as submitted, with `owner` filled). */
  instance: KubeObject;
  /** The files the request touches, relative to the gitops folder. */
  files: RequestFiles;
  /** What KRO will create for it, rendered offline. */
  preview: RenderResult;
}

/**
 * Why a name cannot be used, as the wizard's live check and the render action report it.
 *
 * @public
 */
export interface NameCheck {
  /** Rule violations (format, length, reserved); a name with problems is not `available`. */
  problems: string[];
  /** What already holds the name, when it is taken. */
  takenBy?: string;
  available: boolean;
}

function workspaceOwner(snapshot: GitopsSnapshot, workspace: string) {
  const instance = snapshot.workspaces.get(workspace);
  return instance?.owner ?? instance?.object.spec?.owner;
}

/**
 * Checks a name for a new request of `kind` in `workspace` (or a new workspace): the name rules,
 * that the workspace exists, and that nothing in the workspace has the name yet (names are
 * unique across every abstraction of a workspace).
 *
 * @public
 */
export function checkRequestName(
  snapshot: GitopsSnapshot,
  kind: string,
  workspace: string,
  name?: string,
): NameCheck {
  const abstraction = snapshot.registry.get(kind);
  if (!abstraction) {
    return {
      problems: [`unknown kind ${JSON.stringify(kind)}`],
      available: false,
    };
  }
  if (abstraction.isWorkspace) {
    const problems = workspaceNameProblems(
      workspace,
      snapshot.reservedNamespaces,
    );
    if (problems.length) return { problems, available: false };
    const taken = snapshot.workspaces.get(workspace);
    return taken
      ? { problems: [], takenBy: `Workspace ${workspace}`, available: false }
      : { problems: [], available: true };
  }
  const wsProblems = workspaceNameProblems(workspace, []);
  if (wsProblems.length) return { problems: wsProblems, available: false };
  if (!snapshot.workspaces.has(workspace)) {
    return {
      problems: [`workspace ${JSON.stringify(workspace)} does not exist`],
      available: false,
    };
  }
  const problems = requestNameProblems(workspace, name);
  if (problems.length) return { problems, available: false };
  const taken = snapshot.instances.find(
    i => i.workspace === workspace && i.name === name,
  );
  return taken
    ? {
        problems: [],
        takenBy: `${taken.abstraction.kind} ${taken.object.metadata.name}`,
        available: false,
      }
    : { problems: [], available: true };
}

/** Values of picker fields must name an instance of the picked kind in the same workspace. */
function pickerProblems(
  snapshot: GitopsSnapshot,
  abstraction: Abstraction,
  workspace: string,
  spec: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  for (const [field, overlay] of Object.entries(abstraction.fields)) {
    if (!overlay.picker) continue;
    let value: unknown = spec;
    for (const part of field.split('.'))
      value = isPlainObject(value) ? value[part] : undefined;
    const values = (Array.isArray(value) ? value : [value]).filter(
      v => typeof v === 'string' && v !== '',
    ) as string[];
    const known = snapshot.instances.filter(
      i =>
        i.workspace === workspace &&
        i.abstraction.kind === snapshot.registry.get(overlay.picker!)?.kind,
    );
    for (const v of values) {
      if (!known.some(i => i.object.metadata.name === v)) {
        problems.push(
          `spec.${field}: workspace ${workspace} has no ${
            overlay.picker
          } named ${JSON.stringify(v)}`,
        );
      }
    }
  }
  return problems;
}

/**
 * Checks a wizard request against the platform before anything is written: a known kind, a valid
 * owner, the name rules, an existing workspace, a free name, a spec that fits the RGD schema
 * (defaults, enums, bounds, patterns, CEL rules, no unknown fields, no newlines or template
 * syntax), picker values that exist, and a render of the children KRO will create. Throws
 * `InputError` for bad input and `ConflictError` for a taken name.
 *
 * @public
 */
export function prepareRequest(
  snapshot: GitopsSnapshot,
  request: WizardRequest,
  options: RenderOptions = {},
): PreparedRequest {
  const abstraction =
    typeof request.kind === 'string'
      ? snapshot.registry.get(request.kind)
      : undefined;
  if (!abstraction) {
    throw new InputError(
      `Unknown kind ${JSON.stringify(
        request.kind,
      )}; the platform offers ${snapshot.registry
        .list()
        .map(a => a.kind)
        .join(', ')}`,
    );
  }
  let owner: string;
  try {
    owner = ownerGroupName(String(request.owner ?? ''));
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  if (workspaceNameProblems(owner).length) {
    throw new InputError(
      `owner ${JSON.stringify(request.owner)} is not a valid Group name`,
    );
  }
  const workspace = request.workspace;
  const name = abstraction.isWorkspace ? workspace : request.name;
  if (
    abstraction.isWorkspace &&
    request.name !== undefined &&
    request.name !== '' &&
    request.name !== workspace
  ) {
    throw new InputError(
      `a Workspace is named after itself: name ${JSON.stringify(
        request.name,
      )} must be empty or ${JSON.stringify(workspace)}`,
    );
  }
  const check = checkRequestName(
    snapshot,
    abstraction.kind,
    workspace,
    name ?? '',
  );
  if (check.problems.length) {
    throw new InputError(`${check.problems.join('; ')}`);
  }
  if (check.takenBy) {
    throw new ConflictError(
      `${JSON.stringify(name)} is already taken in ${
        abstraction.isWorkspace ? 'the platform' : `workspace ${workspace}`
      } by ${check.takenBy}`,
    );
  }
  if (request.spec !== undefined && !isPlainObject(request.spec)) {
    throw new InputError('spec must be a map of field values');
  }
  const instance = buildInstance(abstraction, {
    workspace,
    name: name!,
    owner,
    spec: request.spec as Record<string, unknown> | undefined,
  });
  const { spec: defaulted, problems } = validateSpec(
    abstraction.specSchema,
    instance.spec,
  );
  const specProblems = problems.map(p => `${p.path} ${p.message}`);
  if (!specProblems.length)
    specProblems.push(
      ...pickerProblems(snapshot, abstraction, workspace, defaulted),
    );
  if (specProblems.length) {
    throw new InputError(
      `${abstraction.kind} ${instance.metadata.name}: ${specProblems.join(
        '; ',
      )}`,
    );
  }
  let preview: RenderResult;
  try {
    preview = renderInstance(abstraction, instance, options);
  } catch (e) {
    if (e instanceof RenderError) throw new InputError(e.message);
    throw e;
  }
  if (!abstraction.isWorkspace) {
    const collision = childCollision(snapshot, workspace, preview, options);
    if (collision) {
      throw new ConflictError(
        `${JSON.stringify(name)} would make KRO create ${
          collision.object
        }, which ${collision.owner} already creates; choose another name`,
      );
    }
  }
  return {
    abstraction,
    workspace,
    name: name!,
    objectName: abstraction.isWorkspace
      ? workspace
      : requestObjectName(workspace, name!),
    owner,
    instance,
    files: requestFiles(abstraction, workspace, name!),
    preview,
  };
}

/** Identity of an object KRO creates: API group, kind, namespace and name. */
function objectKey(object: KubeObject): string | undefined {
  const name = object.metadata?.name;
  if (typeof name !== 'string' || name.includes('${')) return undefined;
  const group = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')[0]
    : '';
  return `${group}/${object.kind}/${object.metadata.namespace ?? ''}/${name}`;
}

function describeObject(object: KubeObject): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind} ${ns}${object.metadata.name}`;
}

/** Keys of the objects KRO creates for an instance read from Git, rendered once per parsed object. */
const renderedKeys = new WeakMap<KubeObject, Set<string>>();

function childKeys(
  abstraction: Abstraction,
  instance: KubeObject,
  options: RenderOptions,
): Set<string> {
  let keys = renderedKeys.get(instance);
  if (!keys) {
    keys = new Set();
    try {
      for (const resource of renderInstance(abstraction, instance, options)
        .resources) {
        for (const object of resource.objects) {
          const key = objectKey(object);
          if (key) keys.add(key);
        }
      }
    } catch {
      // an instance in Git that does not render creates nothing to collide with
    }
    renderedKeys.set(instance, keys);
  }
  return keys;
}

/**
 * The first object a new request would make KRO create that something in the workspace already
 * creates (same API group, kind, namespace and name): `<ws>-data-redis` asked for as a
 * WebApplication next to an Infrastructure `data`, whose Redis Deployment has that name.
 */
function childCollision(
  snapshot: GitopsSnapshot,
  workspace: string,
  preview: RenderResult,
  options: RenderOptions,
): { object: string; owner: string } | undefined {
  const existing = [
    ...snapshot.instances.filter(i => i.workspace === workspace),
    ...[snapshot.workspaces.get(workspace)].filter(i => i !== undefined),
  ];
  for (const resource of preview.resources) {
    for (const object of resource.objects) {
      const key = objectKey(object);
      if (!key) continue;
      const owner = existing.find(i =>
        childKeys(i.abstraction, i.object, options).has(key),
      );
      if (owner) {
        return {
          object: describeObject(object),
          owner: `${owner.abstraction.kind} ${owner.object.metadata.name}`,
        };
      }
    }
  }
  return undefined;
}

/**
 * Refuses with `NotAllowedError` a request its user may not make: anyone may create a workspace
 * for a Group they belong to; only members of a workspace's owner Group may add to it, and only
 * for a Group they belong to.
 *
 * @param userGroups - names of the Groups the user is a member of
 * @public
 */
export function assertMayRequest(
  snapshot: GitopsSnapshot,
  request: Pick<PreparedRequest, 'abstraction' | 'workspace' | 'owner'>,
  user: { ref?: string; groups: string[] },
): void {
  const who = user.ref ?? 'an anonymous user';
  if (!user.groups.includes(request.owner)) {
    throw new NotAllowedError(
      `${who} is not a member of group ${request.owner}, so cannot request for it`,
    );
  }
  if (request.abstraction.isWorkspace) return;
  const wsOwner = workspaceOwner(snapshot, request.workspace);
  if (!wsOwner || !user.groups.includes(String(wsOwner))) {
    throw new NotAllowedError(
      `${who} is not a member of group ${
        wsOwner ?? '(none)'
      }, which owns workspace ${request.workspace}, so cannot add to it`,
    );
  }
}
