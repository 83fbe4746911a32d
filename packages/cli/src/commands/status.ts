import { AtlasEnvironment } from '../environment';
import { ExitCode, ExitCodeValue } from '../exitCodes';
import { checkPrerequisites } from '../prerequisites';
import { collectStatus } from '../status/collectStatus';
import { renderStatusJson, renderStatusTable } from '../status/renderStatus';

/**
 * Options of `yarn atlas status`.
 *
 * @public
 */
export interface StatusOptions {
  /** kubeconfig context to read (default `kind-mini-atlas`). */
  context: string;
  /** `table` for people (default), `json` for programs. */
  output: 'table' | 'json';
  /** Line width of the table. */
  width?: number;
}

/**
 * `yarn atlas status`: Flux Kustomizations and HelmReleases, KRO RGDs and platform
 * instances per layer. Exits with {@link ExitCode}.NoCluster when no cluster answers.
 *
 * @public
 */
export async function statusCommand(
  env: AtlasEnvironment,
  options: StatusOptions,
): Promise<ExitCodeValue> {
  const [kubectl] = await checkPrerequisites(env.runner, ['kubectl']);
  if (!kubectl.ok) {
    env.output.error(kubectl.problem ?? 'kubectl is missing');
    return ExitCode.MissingPrerequisites;
  }
  const status = await collectStatus(env.runner, options.context);
  env.output.write(
    options.output === 'json'
      ? renderStatusJson(status)
      : renderStatusTable(status, { width: options.width }),
  );
  return status.reachable ? ExitCode.Ok : ExitCode.NoCluster;
}
