import { AtlasEnvironment } from '../environment';
import { ExitCode, ExitCodeValue } from '../exitCodes';
import { stopGitServer } from '../gitServerProcess';
import { checkPrerequisites } from '../prerequisites';
import { runChecked } from '../runner';

/**
 * Options of `yarn atlas down`.
 *
 * @public
 */
export interface DownOptions {
  /** Kind cluster name (default `mini-atlas`). */
  name: string;
}

/**
 * `yarn atlas down`: deletes the Kind cluster and stops the git server `up` started. Both
 * are attempted even when one fails; the exit code reports the first problem.
 *
 * @public
 */
export async function downCommand(
  env: AtlasEnvironment,
  options: DownOptions,
): Promise<ExitCodeValue> {
  const { runner, output } = env;
  let code: ExitCodeValue = ExitCode.Ok;

  output.info(`[1/2] Delete the Kind cluster "${options.name}"`);
  const checks = await checkPrerequisites(runner, ['docker', 'kind']);
  const missing = checks.filter(check => !check.ok);
  if (missing.length > 0) {
    for (const check of missing)
      output.error(`  MISSING  ${check.tool.padEnd(8)} ${check.problem}`);
    output.error('  The cluster was not deleted.');
    code = ExitCode.MissingPrerequisites;
  } else {
    try {
      const clusters = await runChecked(runner, 'kind', ['get', 'clusters']);
      if (
        clusters.stdout
          .split(/\r?\n/)
          .map(l => l.trim())
          .includes(options.name)
      ) {
        await runChecked(
          runner,
          'kind',
          ['delete', 'cluster', '--name', options.name],
          {
            stream: true,
          },
        );
        output.info(`  deleted the Kind cluster "${options.name}"`);
      } else {
        output.info(
          `  no Kind cluster named "${options.name}"; nothing to delete`,
        );
      }
    } catch (error) {
      output.error(
        `  ${error instanceof Error ? error.message : String(error)}`,
      );
      code = ExitCode.Failed;
    }
  }

  output.info('[2/2] Stop the git server');
  const stopped = await stopGitServer(env);
  if (stopped.ok) {
    output.info(`  ${stopped.message}`);
  } else {
    output.error(`  ${stopped.message}`);
    if (code === ExitCode.Ok) code = ExitCode.Failed;
  }
  return code;
}
