import type { KubeObject } from '../kube';
import {
  abstractionFromRgd,
  AbstractionError,
  type Abstraction,
} from './abstraction';

/**
 * The platform abstractions known to the portal, read from the ResourceGraphDefinitions in
 * `gitops/foundation/` (or from the cluster). Forms, validation, previews, catalog entities and
 * status views all look kinds up here.
 *
 * @public
 */
export class AbstractionRegistry {
  private readonly byKind = new Map<string, Abstraction>();

  /**
   * Builds a registry from RGD objects. Throws {@link AbstractionError} on the first malformed
   * RGD, on two RGDs declaring the same kind, on a picker naming an unknown kind, or when there is
   * not exactly one workspace abstraction.
   */
  static fromRgds(
    rgds: Array<{ object: KubeObject; source?: string }>,
  ): AbstractionRegistry {
    return new AbstractionRegistry(
      rgds.map(r => abstractionFromRgd(r.object, { source: r.source })),
    );
  }

  constructor(abstractions: Abstraction[]) {
    for (const abstraction of abstractions) {
      const key = abstraction.kind.toLowerCase();
      const other = this.byKind.get(key);
      if (other) {
        throw new AbstractionError(
          abstraction.source ?? abstraction.name,
          `kind ${abstraction.kind} is already declared by ${
            other.source ?? other.name
          }`,
        );
      }
      this.byKind.set(key, abstraction);
    }
    for (const abstraction of abstractions) {
      for (const [path, field] of Object.entries(abstraction.fields)) {
        const target = field.picker && this.get(field.picker);
        if (field.picker && (!target || target.isWorkspace)) {
          throw new AbstractionError(
            abstraction.source ?? abstraction.name,
            `picker of field "${path}" names ${field.picker}, which is not a kind of request`,
          );
        }
      }
    }
    const workspaces = abstractions.filter(a => a.isWorkspace);
    if (abstractions.length && workspaces.length !== 1) {
      throw new AbstractionError(
        'gitops/foundation',
        `exactly one abstraction must be the workspace (annotation portal.mini-atlas.io/workspace: "true"), found ${workspaces.length}`,
      );
    }
  }

  /** All abstractions, the workspace first, then by title. */
  list(): Abstraction[] {
    return [...this.byKind.values()].sort(
      (a, b) =>
        Number(b.isWorkspace) - Number(a.isWorkspace) ||
        a.title.localeCompare(b.title),
    );
  }

  /** The abstraction of a kind (case-insensitive), or undefined. */
  get(kind: string): Abstraction | undefined {
    return this.byKind.get(kind.toLowerCase());
  }

  /** The abstraction of an instance, matched on apiVersion and kind. */
  forObject(
    object: Pick<KubeObject, 'apiVersion' | 'kind'>,
  ): Abstraction | undefined {
    const abstraction = this.get(object.kind);
    return abstraction && abstraction.apiVersion === object.apiVersion
      ? abstraction
      : undefined;
  }

  /** The abstraction whose instances are workspaces. */
  workspace(): Abstraction {
    const found = this.list().find(a => a.isWorkspace);
    if (!found) throw new Error('no workspace abstraction is registered');
    return found;
  }

  /** The abstractions a workspace holds requests of. */
  requestKinds(): Abstraction[] {
    return this.list().filter(a => !a.isWorkspace);
  }
}
