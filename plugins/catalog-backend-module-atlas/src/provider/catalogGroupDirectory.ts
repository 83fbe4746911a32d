import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { GroupDirectory } from './AtlasEntityProvider';

/**
 * A {@link GroupDirectory} that asks the catalog for its Groups, with the module's own service
 * credentials, and keeps the answer for `ttlMs` (default 10 s) so that a burst of updates asks
 * once. It answers nothing until the catalog has started, nor while the catalog has no Group at
 * all (a fresh database that has not read the org file yet).
 *
 * @public
 */
export function createCatalogGroupDirectory(options: {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Resolves once the catalog answers requests; before, no Groups are asked for. */
  started: Promise<void>;
  ttlMs?: number;
}): GroupDirectory {
  const ttlMs = options.ttlMs ?? 10_000;
  let cached: { at: number; names: ReadonlySet<string> } | undefined;
  let started = false;
  options.started.then(() => {
    started = true;
  });
  return {
    async groupNames() {
      // The catalog connects its providers before it serves requests: asking then would wait
      // for a startup that waits for us.
      if (!started) return undefined;
      if (cached && Date.now() - cached.at < ttlMs) return cached.names;
      try {
        const { items } = await options.catalog.getEntities(
          {
            filter: { kind: 'Group', 'metadata.namespace': 'default' },
            fields: ['metadata.name'],
          },
          { credentials: await options.auth.getOwnServiceCredentials() },
        );
        // none at all: the catalog has not read the org file yet (a fresh database)
        if (!items.length) return undefined;
        const names = new Set(
          items.map(group => group.metadata.name.toLowerCase()),
        );
        cached = { at: Date.now(), names };
        return names;
      } catch (error) {
        // the catalog answers only once the backend is up; owners are checked next time
        options.logger.debug('Cannot read the Groups of the catalog yet', {
          error: String(error),
        });
        return undefined;
      }
    },
  };
}
