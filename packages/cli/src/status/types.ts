/**
 * The three layers of the platform (see docs/architecture.md), preceded by `source` (the Flux
 * GitRepositories every layer is read from) and followed by `other` for objects of the
 * watched kinds that belong to none of them.
 *
 * @public
 */
export type Layer = 'source' | 'core' | 'foundation' | 'delivery' | 'other';

/**
 * Readiness as the `Ready` condition states it; `Unknown` also when there is none yet.
 *
 * @public
 */
export type Readiness = 'True' | 'False' | 'Unknown';

/**
 * One object's state in `yarn atlas status`.
 *
 * @public
 */
export interface StatusItem {
  layer: Layer;
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  ready: Readiness;
  /** Reason of the `Ready` condition (or of the failing sub-condition that explains it). */
  reason?: string;
  message?: string;
  /** KRO `status.state` (RGD `Active|Inactive`, instance `ACTIVE|IN_PROGRESS|ERROR|...`), HelmRelease release status, or `Suspended`. */
  state?: string;
  /** Kustomization `status.lastAppliedRevision`; GitRepository `status.artifact.revision`; HelmRelease `<chart>@<version>` last deployed. */
  revision?: string;
  /** GitRepository only: `spec.url`. */
  url?: string;
  /** RGD only: the kind it serves, `<Kind>.<group>/<version>`. */
  serves?: string;
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
