import {
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
} from 'commander';
import { downCommand } from './commands/down';
import { serveGitCommand } from './commands/serveGit';
import { statusCommand } from './commands/status';
import { upCommand } from './commands/up';
import { validateCommand } from './commands/validate';
import { parseDuration } from './duration';
import { AtlasEnvironment, createDefaultEnvironment } from './environment';
import { ExitCode } from './exitCodes';
import { kindContext, platform } from './platform';

function durationOption(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function portOption(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError('expected a port number (0-65535)');
  }
  return port;
}

/**
 * Runs `atlas` with the given arguments (without `node` and the script) and resolves with the
 * exit code. Commands are registered here.
 *
 * @public
 */
export async function runAtlas(
  args: string[],
  env: AtlasEnvironment,
): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const program = new Command('atlas')
    .description(
      'Bring the Mini-Atlas platform up on a laptop with Docker, and look at it.',
    )
    .exitOverride()
    .showHelpAfterError('(run `yarn atlas --help` for usage)')
    .configureOutput({
      writeOut: text => env.output.write(text),
      writeErr: text => env.output.error(text.replace(/\n$/, '')),
    });

  program
    .command('up')
    .description(
      'Create the Kind cluster, install Cilium and Flux, serve this repository to Flux and wait for every layer',
    )
    .option('--name <name>', 'Kind cluster name', platform.defaultClusterName)
    .option(
      '--git-url <url>',
      'Git URL the cluster can reach (default: serve this checkout read-only on the Kind network gateway)',
    )
    .addOption(
      new Option('--git-port <port>', 'port of the served repository')
        .default(platform.gitServer.defaultPort)
        .argParser(portOption),
    )
    .addOption(
      new Option(
        '--timeout <duration>',
        'how long to wait for the layers, e.g. 15m or 1h',
      )
        .default(parseDuration('15m'), '15m')
        .argParser(durationOption),
    )
    .action(async opts => {
      exitCode = await upCommand(env, {
        name: opts.name,
        gitUrl: opts.gitUrl,
        gitPort: opts.gitPort,
        timeoutMs: opts.timeout,
      });
    });

  program
    .command('status')
    .description(
      'Show Flux Kustomizations and HelmReleases, KRO ResourceGraphDefinitions and platform instances per layer',
    )
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['table', 'json'])
        .default('table'),
    )
    .option('--name <name>', 'Kind cluster name', platform.defaultClusterName)
    .option('--context <context>', 'kubeconfig context (default: kind-<name>)')
    .action(async opts => {
      exitCode = await statusCommand(env, {
        context: opts.context ?? kindContext(opts.name),
        output: opts.output,
        width: process.stdout.columns,
      });
    });

  program
    .command('down')
    .description('Delete the Kind cluster and stop the git server `up` started')
    .option('--name <name>', 'Kind cluster name', platform.defaultClusterName)
    .action(async opts => {
      exitCode = await downCommand(env, { name: opts.name });
    });

  program
    .command('serve-git')
    .description(
      'Serve a repository read-only over git smart HTTP (`up` starts this detached)',
    )
    .option('--repo <dir>', 'repository to serve', env.paths.repoRoot)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(
      new Option('--port <port>', 'port to listen on (0 picks one)')
        .default(platform.gitServer.defaultPort)
        .argParser(portOption),
    )
    .action(async opts => {
      exitCode = await serveGitCommand(env, {
        repo: opts.repo,
        host: opts.host,
        port: opts.port,
      });
    });

  program
    .command('validate')
    .description(
      'Validate gitops/ offline: upstream CRD and Kubernetes schemas, RGD expressions and renders, instances, kustomize builds, the Flux chain',
    )
    .option(
      '--crds <dir>',
      'folder of upstream CRD YAML files (default: $ATLAS_CRDS_DIR or ../shared/crds)',
    )
    .action(async opts => {
      exitCode = await validateCommand(env, { crdsDir: opts.crds });
    });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; everything else is a usage error.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    throw error;
  }
  return exitCode;
}

/**
 * Entry point of `packages/cli/bin/atlas`.
 *
 * @param options - the process arguments, the repository root and the bin script's path.
 * @public
 */
export async function main(options: {
  argv: string[];
  repoRoot: string;
  binPath: string;
}): Promise<void> {
  const env = createDefaultEnvironment(options);
  try {
    process.exitCode = await runAtlas(options.argv.slice(2), env);
  } catch (error) {
    env.output.error(
      `atlas: ${
        error instanceof Error ? error.stack ?? error.message : String(error)
      }`,
    );
    process.exitCode = ExitCode.Failed;
  }
}
