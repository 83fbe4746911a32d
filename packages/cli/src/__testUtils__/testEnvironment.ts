import { AtlasEnvironment, Output, atlasPaths } from '../environment';
import { CommandRunner, RunOptions, RunResult } from '../runner';

/**
 * One call the fake runner received.
 */
export interface RecordedCall {
  command: string;
  args: string[];
  input?: string;
  detached?: boolean;
}

/** Answers a call; undefined means success with empty output. */
export type FakeHandler = (
  command: string,
  args: string[],
  options: RunOptions,
) => Partial<RunResult> | undefined;

/**
 * A runner that records calls and answers them from a handler. Handlers can match on the
 * command line text (`"kind get clusters"`).
 */
export function createFakeRunner(handler: FakeHandler = () => undefined) {
  const calls: RecordedCall[] = [];
  let nextPid = 4242;
  const runner: CommandRunner = {
    async run(command, args, options = {}) {
      calls.push({
        command,
        args,
        ...(options.input !== undefined ? { input: options.input } : {}),
      });
      const answer = handler(command, args, options) ?? {};
      return {
        code: answer.code ?? 0,
        stdout: answer.stdout ?? '',
        stderr: answer.stderr ?? '',
      };
    },
    async spawnDetached(command, args) {
      calls.push({ command, args, detached: true });
      return { pid: nextPid++ };
    },
  };
  return {
    runner,
    calls,
    /** The plan as command lines, e.g. `kind get clusters` (detached ones marked with `&`). */
    plan: () =>
      calls.map(
        c => `${[c.command, ...c.args].join(' ')}${c.detached ? ' &' : ''}`,
      ),
  };
}

/** Output that keeps what was written. */
export function createCapturedOutput() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: Output = {
    info: line => stdout.push(`${line}\n`),
    warn: line => stderr.push(`${line}\n`),
    error: line => stderr.push(`${line}\n`),
    write: text => stdout.push(text),
    stream: text => stderr.push(text),
  };
  return {
    output,
    stdout: () => stdout.join(''),
    stderr: () => stderr.join(''),
    all: () => [...stdout, ...stderr].join(''),
  };
}

/**
 * A test environment: fake runner, captured output, a clock whose `sleep` only advances
 * time, and a process table where started pids are alive until killed.
 */
export function createTestEnvironment(options: {
  repoRoot: string;
  handler?: FakeHandler;
}) {
  const fake = createFakeRunner(options.handler);
  const captured = createCapturedOutput();
  let now = Date.parse('2026-09-01T10:00:00Z');
  const alive = new Set<number>();
  const killed: Array<{ pid: number; signal: string }> = [];
  const env: AtlasEnvironment = {
    runner: {
      run: fake.runner.run,
      async spawnDetached(command, args, detachedOptions) {
        const started = await fake.runner.spawnDetached(
          command,
          args,
          detachedOptions,
        );
        alive.add(started.pid);
        return started;
      },
    },
    output: captured.output,
    clock: {
      now: () => now,
      sleep: async ms => {
        now += ms;
      },
    },
    processes: {
      isAlive: pid => alive.has(pid),
      kill: (pid, signal) => {
        killed.push({ pid, signal });
        alive.delete(pid);
      },
    },
    paths: atlasPaths(options.repoRoot),
    self: { command: 'node', args: ['packages/cli/bin/atlas'] },
  };
  return { env, ...fake, ...captured, alive, killed, elapsed: () => now };
}
