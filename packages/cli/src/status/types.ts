import type { Condition, Health } from '@mini-atlas/plugin-atlas-common';

/**
 * The three layers of the platform (see docs/architecture.md), preceded by `source` (the Flux
 * GitRepositories every layer is read from) and followed by `other` for objects of the
 * watched kinds that belong to none of them.
 *
 * @public
 */
export type Layer = 'source' | 'core' | 'foundation' | 'delivery' | 'other';

/**
 * One object's state in `yarn atlas status`, as atlas-node's interpreter of its kind (the one
 * the portal uses) reads its status.
 *
 * @public
 */
export interface StatusItem {
  layer: Layer;
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  /** `ready`, `progressing` (reconciling, waiting for a dependency), `failed` or `unknown`. */
  health: Health;
  /** One line for people, in the portal's words; for anything not ready, the failing condition's message and `(reason)`. */
  summary: string;
  /** What the interpreter read off the object: revisions, chart and release, KRO `state`, the kind an RGD serves, ... */
  facts: Record<string, string | number | boolean | string[]>;
  /** `status.conditions` as the controller wrote them, full messages. */
  conditions?: Condition[];
  /** The Flux Kustomization that applied it (`<namespace>/<name>`), from Flux's labels. */
  appliedBy?: string;
}

/**
 * The platform as `yarn atlas status` shows it.
 *
 * @public
 */
export type PlatformStatus =
  | {
      context: string;
      reachable: true;
      /** True when every item is ready and nothing failed to be read. */
      ready: boolean;
      summary: { total: number; ready: number };
      layers: Array<{ layer: Layer; title: string; items: StatusItem[] }>;
      /** What could not be read (a missing CRD, a failing kubectl call). */
      problems: string[];
    }
  | {
      context: string;
      reachable: false;
      error: string;
    };
