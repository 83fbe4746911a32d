import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  ATLAS_ENTITY_ANNOTATIONS,
  ATLAS_ENTITY_LABELS,
  ATLAS_ENTITY_TAGS,
  catalogEntityName,
  catalogEntityRef,
  instanceCatalogEntities,
  instanceRefOf,
  isPlainObject,
  ownerGroupName,
  stringifyInstanceRef,
  type Abstraction,
  type InstanceEntity,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import type {
  GitopsInstance,
  GitopsSnapshot,
} from '@mini-atlas/plugin-atlas-node';
import type { SourceLinks } from './sourceLinks';

/** The annotations the Kubernetes tab (`@backstage/plugin-kubernetes`) finds objects by. */
const KUBERNETES_ANNOTATIONS = {
  labelSelector: 'backstage.io/kubernetes-label-selector',
  namespace: 'backstage.io/kubernetes-namespace',
} as const;

/**
 * Something in the desired state that keeps an entity from being complete: reported in the
 * log, never dropped silently.
 *
 * @public
 */
export interface EntityProblem {
  /** The instance file, relative to the repository (`gitops/workspaces/team-a/topic-orders.yaml`). */
  file: string;
  /** The entity concerned, as an entity ref, when there is one. */
  entityRef?: string;
  message: string;
}

/**
 * Options of {@link EntityBuilder}.
 *
 * @public
 */
export interface EntityBuilderOptions {
  /** Paths and link annotations of instance files. */
  links: SourceLinks;
  /** `spec.lifecycle` of Components and APIs. */
  lifecycle: string;
  /** The Group that owns an instance with no owner label in a workspace with no owner. */
  fallbackOwner: string;
}

/**
 * The result of {@link EntityBuilder.build}.
 *
 * @public
 */
export interface BuiltEntities {
  entities: Entity[];
  problems: EntityProblem[];
}

/** Which spec field makes a child kind part of a parent kind. */
const PART_OF_FIELD: Record<string, Record<string, string>> = {
  System: { Component: 'system', Resource: 'system', API: 'system' },
  Domain: { System: 'domain', Domain: 'subdomainOf' },
};

/** Kinds whose spec has `dependsOn`. */
const DEPENDS_ON_KINDS = new Set(['Component', 'Resource']);

function valuesAt(spec: unknown, path: string): string[] {
  let current: unknown = spec;
  for (const part of path.split('.')) {
    if (!isPlainObject(current)) return [];
    current = current[part];
  }
  const values = Array.isArray(current) ? current : [current];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

/**
 * Turns the desired state in Git into catalog entities, following each abstraction's overlay:
 * which entities an instance becomes (kind, type, name), what it depends on (its picker
 * fields), which workspace it is part of and who owns it. Entity kinds are never named in
 * code, so a new RGD becomes entities without a change here.
 *
 * The entities of one instance are computed once per parsed object and abstraction, so a
 * rebuild after one file changed costs little more than the relations.
 *
 * @public
 */
export class EntityBuilder {
  private readonly cache = new WeakMap<
    Abstraction,
    WeakMap<KubeObject, { entities: InstanceEntity[]; problems: string[] }>
  >();

  constructor(private readonly options: EntityBuilderOptions) {}

  private entitiesOf(instance: GitopsInstance) {
    let byObject = this.cache.get(instance.abstraction);
    if (!byObject) {
      byObject = new WeakMap();
      this.cache.set(instance.abstraction, byObject);
    }
    let result = byObject.get(instance.object);
    if (!result) {
      result = instanceCatalogEntities(instance.abstraction, instance.object);
      byObject.set(instance.object, result);
    }
    return result;
  }

  /** Builds every entity of a snapshot, with the problems found on the way. */
  build(snapshot: GitopsSnapshot): BuiltEntities {
    const problems: EntityProblem[] = snapshot.problems.map(p => ({
      file: p.file,
      message: p.message,
    }));
    const all = [...snapshot.workspaces.values(), ...snapshot.instances];
    // instances by workspace, kind and object name: what picker values name
    const byName = new Map<string, GitopsInstance>();
    for (const instance of all) {
      byName.set(
        `${instance.workspace}/${instance.abstraction.kind}/${instance.object.metadata.name}`,
        instance,
      );
    }
    const workspaceMapping = snapshot.registry.workspace().catalog[0];
    const entities: Entity[] = [];
    const seen = new Map<string, string>();

    for (const instance of all) {
      const { file, abstraction } = instance;
      const own = this.entitiesOf(instance);
      for (const message of own.problems) problems.push({ file, message });
      if (!own.entities.length) continue;

      const workspace = snapshot.workspaces.get(instance.workspace);
      let parent: { kind: string; ref: string } | undefined;
      if (!abstraction.isWorkspace) {
        const primary = workspace && this.entitiesOf(workspace).entities[0];
        if (primary) parent = primary;
        else {
          const name = catalogEntityName(
            instance.workspace,
            workspaceMapping.suffix,
          );
          parent = {
            kind: workspaceMapping.kind,
            ref: catalogEntityRef(workspaceMapping.kind, name),
          };
          if (!workspace) {
            problems.push({
              file,
              message: `workspace ${instance.workspace} has no ${
                snapshot.registry.workspace().kind
              } instance in Git`,
            });
          }
        }
      }

      const owner = this.ownerOf(instance, workspace, problems);
      const dependsOn = this.dependenciesOf(instance, byName, problems);

      own.entities.forEach((mapped, index) => {
        const previous = seen.get(mapped.ref);
        if (previous) {
          problems.push({
            file,
            entityRef: mapped.ref,
            message: `entity ${mapped.ref} is also made from ${previous}; only the first is in the catalog`,
          });
          return;
        }
        seen.set(mapped.ref, file);
        entities.push(
          this.entity(instance, mapped, {
            owner,
            parent,
            dependsOn: index === 0 ? dependsOn : [],
            problems,
          }),
        );
      });
    }
    for (const problem of problems)
      problem.file = this.options.links.repoPath(problem.file);
    return { entities, problems };
  }

  private ownerOf(
    instance: GitopsInstance,
    workspace: GitopsInstance | undefined,
    problems: EntityProblem[],
  ): string {
    const candidates: Array<[unknown, string]> = [
      [instance.owner, `label ${ATLAS_ENTITY_LABELS.owner}`],
      [workspace?.owner, `label ${ATLAS_ENTITY_LABELS.owner} of its workspace`],
      [workspace?.object.spec?.owner, 'spec.owner of its workspace'],
    ];
    for (const [value, where] of candidates) {
      if (typeof value !== 'string' || !value) continue;
      try {
        return ownerGroupName(value);
      } catch {
        problems.push({
          file: instance.file,
          message: `owner ${JSON.stringify(
            value,
          )} in ${where} is not a Group name`,
        });
      }
    }
    problems.push({
      file: instance.file,
      message: `no owner: neither the instance nor its workspace names a Group; owned by ${this.options.fallbackOwner} until one does`,
    });
    return ownerGroupName(this.options.fallbackOwner);
  }

  private dependenciesOf(
    instance: GitopsInstance,
    byName: Map<string, GitopsInstance>,
    problems: EntityProblem[],
  ): string[] {
    const refs = new Set<string>();
    for (const [path, field] of Object.entries(instance.abstraction.fields)) {
      if (!field.picker) continue;
      for (const value of valuesAt(instance.object.spec, path)) {
        const target = byName.get(
          `${instance.workspace}/${field.picker}/${value}`,
        );
        const ref = target && this.entitiesOf(target).entities[0]?.ref;
        if (ref) refs.add(ref);
        else {
          problems.push({
            file: instance.file,
            message: `spec.${path} names ${field.picker} ${value}, which is not in workspace ${instance.workspace}`,
          });
        }
      }
    }
    return [...refs];
  }

  private entity(
    instance: GitopsInstance,
    mapped: InstanceEntity,
    context: {
      owner: string;
      parent?: { kind: string; ref: string };
      dependsOn: string[];
      problems: EntityProblem[];
    },
  ): Entity {
    const { abstraction, object, file } = instance;
    const spec: JsonObject = {
      type: mapped.type,
      owner: `group:default/${context.owner}`,
    };
    if (mapped.kind === 'Component' || mapped.kind === 'API')
      spec.lifecycle = this.options.lifecycle;
    if (mapped.kind === 'API')
      spec.definition = JSON.stringify(object.spec ?? {}, null, 2);
    const partOf =
      context.parent && PART_OF_FIELD[context.parent.kind]?.[mapped.kind];
    if (partOf) spec[partOf] = context.parent!.ref;
    if (context.dependsOn.length) {
      if (DEPENDS_ON_KINDS.has(mapped.kind)) spec.dependsOn = context.dependsOn;
      else {
        context.problems.push({
          file,
          entityRef: mapped.ref,
          message: `a ${mapped.kind} has no dependsOn; the picker fields of ${abstraction.kind} are not in the catalog`,
        });
      }
    }

    const annotations: Record<string, string> = {
      ...this.options.links.annotations(file),
      [ATLAS_ENTITY_ANNOTATIONS.instance]: stringifyInstanceRef(
        instanceRefOf(object),
      ),
    };
    if (mapped.kubernetesSelector) {
      annotations[KUBERNETES_ANNOTATIONS.labelSelector] =
        mapped.kubernetesSelector;
      if (object.metadata.namespace)
        annotations[KUBERNETES_ANNOTATIONS.namespace] =
          object.metadata.namespace;
    }

    const description = abstraction.isWorkspace
      ? (typeof object.spec?.description === 'string' &&
          object.spec.description.trim()) ||
        `${abstraction.title} ${instance.workspace}`
      : `${abstraction.title} ${instance.name} in workspace ${
          instance.workspace
        }${mapped.mapping.suffix ? ` (${mapped.type})` : ''}`;

    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: mapped.kind,
      metadata: {
        name: mapped.name,
        namespace: 'default',
        description,
        labels: {
          [ATLAS_ENTITY_LABELS.workspace]: instance.workspace,
          [ATLAS_ENTITY_LABELS.owner]: context.owner,
        },
        annotations,
        tags: [abstraction.kind.toLowerCase()],
      },
      spec,
    };
  }
}

/**
 * Tags the entities whose owner Group is not among `groups` (names in the default namespace,
 * lower case) with `owner-unknown`, and returns one problem per such entity.
 *
 * @public
 */
export function markUnknownOwners(
  entities: Entity[],
  groups: ReadonlySet<string>,
): EntityProblem[] {
  const problems: EntityProblem[] = [];
  for (const entity of entities) {
    const owner = String(entity.spec?.owner ?? '');
    const name = owner.replace(/^group:default\//, '').toLowerCase();
    if (groups.has(name)) continue;
    entity.metadata.tags = [
      ...(entity.metadata.tags ?? []),
      ATLAS_ENTITY_TAGS.ownerUnknown,
    ];
    const sourceFile =
      entity.metadata.annotations?.[ATLAS_ENTITY_ANNOTATIONS.sourceFile] ?? '';
    problems.push({
      file: sourceFile,
      entityRef: catalogEntityRef(entity.kind, entity.metadata.name),
      message: `owner ${owner} is not a Group in the catalog`,
    });
  }
  return problems;
}
