import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { GitopsService } from '@mini-atlas/plugin-atlas-node';
import {
  EntityBuilder,
  markUnknownOwners,
  type EntityBuilderOptions,
  type EntityProblem,
} from './buildEntities';

/**
 * Where the provider learns which Groups exist, to report entities whose owner is unknown.
 *
 * @public
 */
export interface GroupDirectory {
  /**
   * Names (lower case) of the Groups in the default namespace, or undefined when they cannot be
   * read right now (the catalog is still starting, say); then no owner is reported.
   */
  groupNames(): Promise<ReadonlySet<string> | undefined>;
}

/**
 * Options of {@link AtlasEntityProvider}.
 *
 * @public
 */
export interface AtlasEntityProviderOptions extends EntityBuilderOptions {
  gitops: GitopsService;
  logger: LoggerService;
  groups?: GroupDirectory;
  /** How long to gather change notifications into one update, in milliseconds. Default 100. */
  debounceMs?: number;
}

type SyncKind = 'delta' | 'full';

/**
 * The catalog entity provider of Mini-Atlas: every workspace and request in `gitops/` as
 * catalog entities (see {@link EntityBuilder}).
 *
 * It follows Git within seconds: it listens to the gitops service, which signals both the
 * wizard's commits (`notifyChanged` after each commit) and edits by hand (a folder watch), and
 * applies a delta of exactly the entities that changed, appeared or disappeared. {@link
 * AtlasEntityProvider.refresh} (run on a schedule) re-reads the whole folder and replaces every
 * entity, as a safety net for a missed change or a failed update. Updates never overlap.
 *
 * @public
 */
export class AtlasEntityProvider implements EntityProvider {
  private readonly builder: EntityBuilder;
  private connection?: EntityProviderConnection;
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  /** JSON of every entity in the catalog as last applied, by entity ref; undefined before a full update. */
  private applied?: Map<string, string>;
  private pending?: SyncKind;
  private draining = false;
  private requested = 0;
  private waiters: Array<{
    ticket: number;
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  private reported = new Set<string>();
  private currentProblems: EntityProblem[] = [];

  constructor(private readonly options: AtlasEntityProviderOptions) {
    this.builder = new EntityBuilder(options);
  }

  getProviderName(): string {
    return 'mini-atlas-gitops';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    this.unsubscribe = this.options.gitops.onChange(() => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.sync('delta').catch(() => undefined);
      }, this.options.debounceMs ?? 100);
    });
    // A platform that cannot be read (a broken RGD, say) must not keep the catalog from
    // starting: the failure is logged, and the next change or resync tries again.
    await this.sync('full').catch(() => undefined);
  }

  /**
   * Re-reads the whole gitops folder and replaces every entity of this provider (the
   * scheduled safety net). Resolves when the catalog has taken the update.
   */
  async refresh(): Promise<void> {
    // the only way to make the gitops service forget what it has parsed; its other listeners
    // are told that everything may have changed, which is true
    this.options.gitops.notifyChanged();
    await this.sync('full');
  }

  /**
   * Applies what changed since the last update, without re-reading the folder: for instance
   * once the catalog has started and owners can be checked.
   */
  async update(): Promise<void> {
    await this.sync('delta');
  }

  /** The problems found by the last update (also logged once each). */
  problems(): EntityProblem[] {
    return [...this.currentProblems];
  }

  /** Stops listening to the gitops service. */
  close(): void {
    clearTimeout(this.timer);
    this.unsubscribe?.();
  }

  /**
   * Asks for an update of the given kind after the current one (a pending full update absorbs
   * a delta). Resolves once an update that started after this call has finished; rejects if
   * that update failed.
   */
  private sync(kind: SyncKind): Promise<void> {
    if (kind === 'full' || !this.pending) this.pending = kind;
    const ticket = ++this.requested;
    const done = new Promise<void>((resolve, reject) =>
      this.waiters.push({ ticket, resolve, reject }),
    );
    this.kick();
    return done;
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = true;
    this.drain().finally(() => {
      this.draining = false;
      // asked for between the last round and now
      if (this.pending) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const kind = this.applied ? this.pending : 'full';
      this.pending = undefined;
      const upTo = this.requested;
      let failure: unknown;
      try {
        await this.apply(kind);
      } catch (error) {
        failure = error;
        // a failed update leaves the catalog in an unknown state: the next one replaces all
        this.applied = undefined;
        this.options.logger.error('Could not update the platform entities', {
          kind,
          error: String(error),
        });
      }
      const served = this.waiters.filter(w => w.ticket <= upTo);
      this.waiters = this.waiters.filter(w => w.ticket > upTo);
      for (const waiter of served) {
        if (failure) waiter.reject(failure);
        else waiter.resolve();
      }
    }
  }

  private async apply(kind: SyncKind): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    let started = Date.now();
    const phase = () => {
      const ms = Date.now() - started;
      started = Date.now();
      return ms;
    };
    const snapshot = await this.options.gitops.snapshot();
    const readMs = phase();
    const { entities, problems } = this.builder.build(snapshot);
    const groups = await this.options.groups?.groupNames();
    if (groups) problems.push(...markUnknownOwners(entities, groups));
    this.report(problems);

    const next = new Map<string, string>();
    const byRef = new Map<string, Entity>();
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      next.set(ref, JSON.stringify(entity));
      byRef.set(ref, entity);
    }
    const buildMs = phase();

    if (kind === 'full' || !this.applied) {
      await connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({ entity })),
      });
      this.applied = next;
      this.options.logger.info('Replaced the platform entities', {
        entities: entities.length,
        problems: problems.length,
        readMs,
        buildMs,
        applyMs: phase(),
      });
      return;
    }

    const previous = this.applied;
    const added = [...next]
      .filter(([ref, json]) => previous.get(ref) !== json)
      .map(([ref]) => ({ entity: byRef.get(ref)! }));
    const removed = [...previous.keys()]
      .filter(ref => !next.has(ref))
      .map(entityRef => ({ entityRef }));
    if (!added.length && !removed.length) return;
    await connection.applyMutation({ type: 'delta', added, removed });
    this.applied = next;
    this.options.logger.info('Updated the platform entities', {
      changed: added.length,
      removed: removed.length,
      readMs,
      buildMs,
      applyMs: phase(),
    });
  }

  /** Logs each problem once, until it goes away. */
  private report(problems: EntityProblem[]): void {
    this.currentProblems = problems;
    const keys = new Set<string>();
    for (const problem of problems) {
      const key = `${problem.file}\n${problem.entityRef ?? ''}\n${
        problem.message
      }`;
      keys.add(key);
      if (this.reported.has(key)) continue;
      this.options.logger.warn('Platform entity problem', {
        file: problem.file,
        ...(problem.entityRef ? { entity: problem.entityRef } : {}),
        problem: problem.message,
      });
    }
    this.reported = keys;
  }
}
