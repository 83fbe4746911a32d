import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Options for one external command.
 *
 * @public
 */
export interface RunOptions {
  /** Text written to the command's standard input (then closed). */
  input?: string;
  /** Working directory; the runner's default when unset. */
  cwd?: string;
  /** Extra environment variables, added to the current environment. */
  env?: Record<string, string>;
  /** Also pass the command's output through to the user while it runs (long steps). */
  stream?: boolean;
}

/**
 * What an external command did.
 *
 * @public
 */
export interface RunResult {
  /** Exit code; 127 when the program was not found. */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Options for a detached background process.
 *
 * @public
 */
export interface DetachedOptions {
  cwd?: string;
  /** File that receives the process's stdout and stderr (appended). */
  logFile: string;
}

/**
 * The one door to the outside world: every external program the CLI starts goes through
 * this interface, so tests can replace it and assert the exact command plan.
 *
 * @public
 */
export interface CommandRunner {
  /** Runs a program to completion. Never throws for a failing or missing program. */
  run(
    command: string,
    args: string[],
    options?: RunOptions,
  ): Promise<RunResult>;
  /** Starts a program that keeps running after this process exits. */
  spawnDetached(
    command: string,
    args: string[],
    options: DetachedOptions,
  ): Promise<{ pid: number }>;
}

/** Exit code used for a program that could not be found, as shells do. */
export const COMMAND_NOT_FOUND = 127;

/**
 * The command line as a user would type it (for messages only; arguments with spaces quoted).
 *
 * @public
 */
export function formatCommand(command: string, args: string[]): string {
  return [command, ...args]
    .map(part =>
      /^[\w@%+=:,./{}-]+$/.test(part) ? part : JSON.stringify(part),
    )
    .join(' ');
}

/**
 * An external command that exited with a non-zero code.
 *
 * @public
 */
export class CommandFailedError extends Error {
  readonly result: RunResult;
  readonly commandLine: string;

  constructor(command: string, args: string[], result: RunResult) {
    const commandLine = formatCommand(command, args);
    const detail = lastLines(result.stderr || result.stdout, 15);
    super(
      result.code === COMMAND_NOT_FOUND
        ? `${command} was not found on PATH (running: ${commandLine})`
        : `\`${commandLine}\` exited with code ${result.code}${
            detail ? `:\n${detail}` : ''
          }`,
    );
    this.name = 'CommandFailedError';
    this.result = result;
    this.commandLine = commandLine;
  }
}

/**
 * Runs a command and throws {@link CommandFailedError} unless it exits with code 0.
 *
 * @public
 */
export async function runChecked(
  runner: CommandRunner,
  command: string,
  args: string[],
  options?: RunOptions,
): Promise<RunResult> {
  const result = await runner.run(command, args, options);
  if (result.code !== 0) {
    throw new CommandFailedError(command, args, result);
  }
  return result;
}

/** The last `count` non-empty lines of a text, indented for messages. */
export function lastLines(text: string, count: number): string {
  return text
    .split(/\r?\n/)
    .filter(line => line.trim() !== '')
    .slice(-count)
    .map(line => `    ${line}`)
    .join('\n');
}

/**
 * The real runner, based on `child_process.spawn` (no shell).
 *
 * @param options - `cwd` is the default working directory; `onStream` receives the output of
 *   commands run with `stream: true`.
 * @public
 */
export function createProcessRunner(
  options: { cwd?: string; onStream?: (text: string) => void } = {},
): CommandRunner {
  return {
    run(command, args, runOptions = {}) {
      return new Promise<RunResult>(resolve => {
        let stdout = '';
        let stderr = '';
        let settled = false;
        const finish = (code: number) => {
          if (!settled) {
            settled = true;
            resolve({ code, stdout, stderr });
          }
        };
        const child = spawn(command, args, {
          cwd: runOptions.cwd ?? options.cwd,
          env: { ...process.env, ...runOptions.env },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        child.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') {
            stderr += `${command}: command not found\n`;
            finish(COMMAND_NOT_FOUND);
          } else {
            stderr += `${error.message}\n`;
            finish(1);
          }
        });
        child.stdout.setEncoding('utf8');
        child.stderr.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          if (runOptions.stream) options.onStream?.(chunk);
        });
        child.stderr.on('data', (chunk: string) => {
          stderr += chunk;
          if (runOptions.stream) options.onStream?.(chunk);
        });
        child.on('close', (code, signal) => {
          finish(code ?? (signal ? 128 + signalNumber(signal) : 1));
        });
        // A program that exits without reading its input must not crash us with EPIPE.
        child.stdin.on('error', () => {});
        child.stdin.end(runOptions.input ?? '');
      });
    },

    spawnDetached(command, args, detachedOptions) {
      fs.mkdirSync(path.dirname(detachedOptions.logFile), { recursive: true });
      const logFd = fs.openSync(detachedOptions.logFile, 'a');
      return new Promise((resolve, reject) => {
        const child = spawn(command, args, {
          cwd: detachedOptions.cwd ?? options.cwd,
          detached: true,
          stdio: ['ignore', logFd, logFd],
        });
        child.once('error', error => {
          fs.closeSync(logFd);
          reject(error);
        });
        child.once('spawn', () => {
          fs.closeSync(logFd);
          child.unref();
          resolve({ pid: child.pid! });
        });
      });
    },
  };
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return numbers[signal] ?? 0;
}
