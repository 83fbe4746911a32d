import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { gitopsServiceRef } from '@mini-atlas/plugin-atlas-node';
import { AtlasEntityProvider } from './provider/AtlasEntityProvider';
import { createCatalogGroupDirectory } from './provider/catalogGroupDirectory';
import { createSourceLinks } from './provider/sourceLinks';

/**
 * The catalog module of Mini-Atlas: adds the {@link AtlasEntityProvider} to the catalog, with
 * its scheduled full resync (`catalog.providers.atlas`, see config.d.ts).
 *
 * @public
 */
export const catalogModuleAtlas = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'atlas',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        catalogService: catalogServiceRef,
        gitops: gitopsServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        catalog,
        catalogService,
        gitops,
        config,
        logger,
        scheduler,
        auth,
        lifecycle,
      }) {
        const settings = config.getOptionalConfig('catalog.providers.atlas');
        let markStarted = () => {};
        const started = new Promise<void>(resolve => {
          markStarted = resolve;
        });
        const provider = new AtlasEntityProvider({
          gitops,
          logger,
          links: createSourceLinks({
            repoRoot: gitops.repoRoot,
            gitopsDir: gitops.gitopsDir,
            repositoryUrl: settings?.getOptionalString('repositoryUrl'),
            branch: settings?.getOptionalString('branch'),
          }),
          lifecycle: settings?.getOptionalString('lifecycle') ?? 'production',
          fallbackOwner:
            settings?.getOptionalString('fallbackOwner') ?? 'platform-team',
          groups: createCatalogGroupDirectory({
            catalog: catalogService,
            auth,
            logger,
            started,
          }),
        });
        catalog.addEntityProvider(provider);
        lifecycle.addStartupHook(() => {
          markStarted();
          // owners can be checked from now on; failures are logged by the provider
          provider.update().catch(() => undefined);
        });
        lifecycle.addShutdownHook(() => provider.close());

        const schedule = settings?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              settings.getConfig('schedule'),
            )
          : {
              frequency: { minutes: 5 },
              timeout: { minutes: 3 },
              initialDelay: { seconds: 30 },
            };
        await scheduler.scheduleTask({
          id: 'mini-atlas-gitops:refresh',
          ...schedule,
          fn: () => provider.refresh(),
        });
      },
    });
  },
});
