import path from 'node:path';
import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  createGitWriter,
  resolveCrdsDir,
  SchemaCatalog,
  type GitopsService,
  type GitWriter,
} from '@mini-atlas/plugin-atlas-node';

/**
 * How the publish action delivers a request, from `atlas.publish` in app-config.
 *
 * @public
 */
export type PublishSettings =
  | { mode: 'commit' }
  | {
      mode: 'pull-request';
      repoUrl: string;
      targetBranch?: string;
      draft: boolean;
    };

/**
 * What the wizard actions share: the platform in Git, where requests go and how, and the kind
 * information the preview needs.
 *
 * @public
 */
export interface WizardService {
  gitops: GitopsService;
  /** The gitops folder relative to the repository root, with `/` separators (`gitops`). */
  gitopsPath: string;
  writer: GitWriter;
  publish: PublishSettings;
  /**
   * Whether a kind is namespaced, from the upstream CRDs and core Kubernetes (KRO puts namespaced
   * children of a namespaced instance in its namespace). Loaded once, in the background.
   */
  isNamespaced(): Promise<
    (apiVersion: string, kind: string) => boolean | undefined
  >;
}

/**
 * Reads `atlas.publish` from the configuration. Throws on an unknown mode or a pull-request mode
 * without a repository.
 *
 * @public
 */
export function readPublishSettings(config: Config): PublishSettings {
  const mode = config.getOptionalString('atlas.publish.mode') ?? 'commit';
  if (mode === 'commit') return { mode };
  if (mode === 'pull-request') {
    return {
      mode,
      repoUrl: config.getString('atlas.publish.pullRequest.repoUrl'),
      targetBranch: config.getOptionalString(
        'atlas.publish.pullRequest.targetBranch',
      ),
      draft:
        config.getOptionalBoolean('atlas.publish.pullRequest.draft') ?? false,
    };
  }
  throw new Error(
    `atlas.publish.mode must be "commit" or "pull-request", not ${JSON.stringify(
      mode,
    )}`,
  );
}

/**
 * Creates the {@link WizardService}.
 *
 * @public
 */
export function createWizardService(options: {
  gitops: GitopsService;
  config: Config;
  logger: LoggerService;
  /** Folder of upstream CRDs; default: `resolveCrdsDir` beside the repository. */
  crdsDir?: string;
}): WizardService {
  const { gitops, config, logger } = options;
  let catalog:
    | Promise<(apiVersion: string, kind: string) => boolean | undefined>
    | undefined;
  const isNamespaced = () => {
    catalog ??= (async () => {
      try {
        const crdsDir = options.crdsDir ?? resolveCrdsDir(gitops.repoRoot);
        const loaded = await SchemaCatalog.load({ crdsDir });
        return loaded.isNamespaced;
      } catch (e) {
        logger.warn(
          'Previews cannot tell namespaced kinds without the upstream CRDs; children without a namespace are shown without one',
          { error: String(e) },
        );
        return () => undefined;
      }
    })();
    return catalog;
  };
  return {
    gitops,
    gitopsPath: path
      .relative(gitops.repoRoot, gitops.gitopsDir)
      .split(path.sep)
      .join('/'),
    writer: createGitWriter({ repoRoot: gitops.repoRoot }),
    publish: readPublishSettings(config),
    isNamespaced,
  };
}
