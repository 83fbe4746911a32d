import path from 'node:path';
import type { Config } from '@backstage/config';
import {
  coreKindNamespaced,
  createGitWriter,
  type ClusterCache,
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
   * Whether a kind is namespaced (KRO puts namespaced children of a namespaced instance in its
   * namespace): from the cluster's API discovery when a cluster is connected, else known for
   * core Kubernetes kinds only; undefined leaves a child's namespace as its template writes it.
   */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined;
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
  /** The portal's cluster cache, for the scope of custom kinds; optional. */
  cluster?: Pick<ClusterCache, 'isNamespaced'>;
}): WizardService {
  const { gitops, config, cluster } = options;
  return {
    gitops,
    gitopsPath: path
      .relative(gitops.repoRoot, gitops.gitopsDir)
      .split(path.sep)
      .join('/'),
    writer: createGitWriter({ repoRoot: gitops.repoRoot }),
    publish: readPublishSettings(config),
    isNamespaced: (apiVersion, kind) =>
      cluster?.isNamespaced(apiVersion, kind) ??
      coreKindNamespaced(apiVersion, kind),
  };
}
