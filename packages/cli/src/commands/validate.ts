import path from 'node:path';
import { resolveCrdsDir, validateGitops } from '@mini-atlas/plugin-atlas-node';
import type { AtlasEnvironment } from '../environment';
import { ExitCode, type ExitCodeValue } from '../exitCodes';

/**
 * `atlas validate`: the offline validation of `gitops/` that the test suite runs (upstream CRD
 * and core Kubernetes schemas, RGD expressions and renders, instances, kustomize builds, the Flux
 * chain). Prints every problem with its file, and exits 1 when there is one.
 *
 * @public
 */
export async function validateCommand(
  env: AtlasEnvironment,
  options: { crdsDir?: string } = {},
): Promise<ExitCodeValue> {
  let crdsDir: string;
  try {
    crdsDir = options.crdsDir ?? resolveCrdsDir(env.paths.repoRoot);
  } catch (error) {
    env.output.error((error as Error).message);
    return ExitCode.MissingPrerequisites;
  }
  const report = await validateGitops({
    gitopsDir: path.join(env.paths.repoRoot, 'gitops'),
    crdsDir,
  });
  for (const problem of report.problems) {
    env.output.error(`gitops/${problem.file}: ${problem.message}`);
  }
  const { counts } = report;
  env.output.info(
    `Checked ${counts.manifests} manifests, ${counts.abstractions} abstractions (${counts.expressions} expressions, ${counts.renderedObjects} rendered objects), ` +
      `${counts.instances} instances, ${counts.kustomizations} kustomizations and ${counts.fluxKustomizations} Flux Kustomizations: ` +
      `${report.problems.length} problem${
        report.problems.length === 1 ? '' : 's'
      }`,
  );
  return report.problems.length ? ExitCode.Failed : ExitCode.Ok;
}
