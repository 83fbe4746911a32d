import { AtlasEnvironment } from '../environment';
import { ExitCode, ExitCodeValue } from '../exitCodes';
import { startGitServer } from '../gitServer';

/**
 * Options of `yarn atlas serve-git`.
 *
 * @public
 */
export interface ServeGitOptions {
  /** Repository to serve (default: this checkout). */
  repo: string;
  host: string;
  port: number;
  /** Resolves when the server should stop (default: on SIGINT or SIGTERM). */
  untilStopped?: () => Promise<void>;
}

/**
 * `yarn atlas serve-git`: serves a repository read-only over git smart HTTP in the
 * foreground until stopped. `up` starts it detached.
 *
 * @public
 */
export async function serveGitCommand(
  env: AtlasEnvironment,
  options: ServeGitOptions,
): Promise<ExitCodeValue> {
  const { output } = env;
  let server;
  try {
    server = await startGitServer({
      repo: options.repo,
      host: options.host,
      port: options.port,
      log: line =>
        output.info(`${new Date(env.clock.now()).toISOString()} ${line}`),
    });
  } catch (error) {
    const hints: Record<string, string> = {
      EADDRINUSE: ` (port ${options.port} is taken; choose another with --port, or --git-port for \`up\`)`,
      EADDRNOTAVAIL: ` (${options.host} is not an address of this host; on Docker Desktop the Kind network is inside a VM, so pass --git-url to \`up\` instead)`,
    };
    const hint = hints[(error as NodeJS.ErrnoException).code ?? ''] ?? '';
    output.error(
      `Cannot serve git: ${
        error instanceof Error ? error.message : String(error)
      }${hint}`,
    );
    return ExitCode.Failed;
  }
  output.info(
    `Serving ${options.repo} read-only at ${server.url} (pushes are refused)`,
  );

  await (options.untilStopped ?? waitForSignal)();
  await server.close();
  output.info('Git server stopped.');
  return ExitCode.Ok;
}

function waitForSignal(): Promise<void> {
  return new Promise(resolve => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
