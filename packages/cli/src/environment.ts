import path from 'node:path';
import { CommandRunner, createProcessRunner } from './runner';

/**
 * Where the CLI writes what it has to say. `info` goes to stdout, `warn` and `error` to
 * stderr; `write` is raw stdout (JSON, tables), `stream` raw output of a running command.
 *
 * @public
 */
export interface Output {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  write(text: string): void;
  stream(text: string): void;
}

/**
 * Time, injectable so that waiting loops can be tested without waiting.
 *
 * @public
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Local processes started by earlier runs (the detached git server).
 *
 * @public
 */
export interface ProcessControl {
  isAlive(pid: number): boolean;
  kill(pid: number, signal: NodeJS.Signals): void;
}

/**
 * Paths of this checkout the CLI works with.
 *
 * @public
 */
export interface AtlasPaths {
  /** Root of the repository (the folder holding `gitops/`). */
  repoRoot: string;
  /** Git-ignored state: `.data/atlas/` (git server pid, state and log). */
  dataDir: string;
}

/**
 * Everything a command needs from the outside world.
 *
 * @public
 */
export interface AtlasEnvironment {
  runner: CommandRunner;
  output: Output;
  clock: Clock;
  processes: ProcessControl;
  paths: AtlasPaths;
  /** How to start this CLI again as a separate process (used to detach `serve-git`). */
  self: { command: string; args: string[] };
}

/**
 * The paths for a repository root.
 *
 * @public
 */
export function atlasPaths(repoRoot: string): AtlasPaths {
  return { repoRoot, dataDir: path.join(repoRoot, '.data', 'atlas') };
}

/**
 * The real environment: process runner, console streams, wall clock.
 *
 * @param options - `repoRoot` of the checkout and `binPath` of `packages/cli/bin/atlas`.
 * @public
 */
export function createDefaultEnvironment(options: {
  repoRoot: string;
  binPath: string;
}): AtlasEnvironment {
  const output: Output = {
    info: line => process.stdout.write(`${line}\n`),
    warn: line => process.stderr.write(`${line}\n`),
    error: line => process.stderr.write(`${line}\n`),
    write: text => process.stdout.write(text),
    stream: text => process.stderr.write(indent(text)),
  };
  return {
    runner: createProcessRunner({
      cwd: options.repoRoot,
      onStream: output.stream,
    }),
    output,
    clock: {
      now: () => Date.now(),
      sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
    },
    processes: {
      isAlive(pid) {
        try {
          process.kill(pid, 0);
          return true;
        } catch (error) {
          return (error as NodeJS.ErrnoException).code === 'EPERM';
        }
      },
      kill: (pid, signal) => {
        process.kill(pid, signal);
      },
    },
    paths: atlasPaths(options.repoRoot),
    self: { command: process.execPath, args: [options.binPath] },
  };
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '    │ ');
}
