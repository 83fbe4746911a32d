import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  ScmIntegrations,
  DefaultGithubCredentialsProvider,
} from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import {
  clusterCacheServiceRef,
  gitopsServiceRef,
} from '@mini-atlas/plugin-atlas-node';
import { createPublishRequestAction } from './actions/publishRequest';
import { createRenderRequestAction } from './actions/renderRequest';
import { createWizardService } from './services/wizardService';

/**
 * The scaffolder module of Mini-Atlas: the wizard actions `atlas:request:render` and
 * `atlas:request:publish`.
 *
 * @public
 */
export const scaffolderModuleAtlas = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'atlas',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        gitops: gitopsServiceRef,
        cluster: clusterCacheServiceRef,
      },
      async init({ scaffolder, config, logger, gitops, cluster }) {
        const wizard = createWizardService({ gitops, config, cluster });
        let pullRequestAction;
        if (wizard.publish.mode === 'pull-request') {
          const integrations = ScmIntegrations.fromConfig(config);
          pullRequestAction = createPublishGithubPullRequestAction({
            integrations,
            githubCredentialsProvider:
              DefaultGithubCredentialsProvider.fromIntegrations(integrations),
            config,
          });
        }
        logger.info('Wizard requests are published', {
          mode: wizard.publish.mode,
          repository: gitops.repoRoot,
        });
        scaffolder.addActions(
          createRenderRequestAction({ wizard }),
          createPublishRequestAction({ wizard, pullRequestAction }),
        );
      },
    });
  },
});
