import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  createGitopsService,
  findRepoRoot,
  type GitopsService,
} from './GitopsService';

/**
 * The {@link GitopsService} of the portal: one per backend, shared by every plugin.
 *
 * Configuration (`atlas.gitops`): `repository` (the git working tree the portal writes to;
 * default: the repository the backend runs in), `path` (the platform folder inside it; default
 * `gitops`), `watch` (follow edits by hand; default true).
 *
 * @public
 */
export const gitopsServiceRef = createServiceRef<GitopsService>({
  id: 'atlas.gitops',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      factory({ config, logger, lifecycle }) {
        const gitopsPath =
          config.getOptionalString('atlas.gitops.path') ?? 'gitops';
        const configured = config.getOptionalString('atlas.gitops.repository');
        const repoRoot = configured
          ? path.resolve(configured)
          : findRepoRoot(process.cwd(), gitopsPath);
        if (!repoRoot) {
          throw new Error(
            `No git repository with a ${gitopsPath}/ folder found above ${process.cwd()}; set atlas.gitops.repository`,
          );
        }
        const gitops = createGitopsService({
          repoRoot,
          gitopsPath,
          watch: config.getOptionalBoolean('atlas.gitops.watch') ?? true,
          onWarning: (message, meta) =>
            logger.child({ plugin: 'atlas' }).warn(message, meta),
        });
        logger
          .child({ plugin: 'atlas' })
          .info('Reading the platform from Git', { repoRoot, gitopsPath });
        lifecycle.addShutdownHook(() => gitops.close());
        return gitops;
      },
    }),
});
