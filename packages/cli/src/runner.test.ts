import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  COMMAND_NOT_FOUND,
  CommandFailedError,
  createProcessRunner,
  formatCommand,
  runChecked,
} from './runner';

describe('createProcessRunner', () => {
  const node = process.execPath;

  it('captures stdout, stderr and the exit code, and feeds input', async () => {
    const runner = createProcessRunner();
    const result = await runner.run(
      node,
      [
        '-e',
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{process.stdout.write(s.toUpperCase());process.stderr.write("warn");process.exit(3)})',
      ],
      { input: 'kind: Cluster\n' },
    );
    expect(result).toEqual({
      code: 3,
      stdout: 'KIND: CLUSTER\n',
      stderr: 'warn',
    });
  });

  it('answers 127 for a program that is not installed', async () => {
    const result = await createProcessRunner().run('atlas-no-such-tool', [
      'version',
    ]);
    expect(result.code).toBe(COMMAND_NOT_FOUND);
    expect(result.stderr).toContain('atlas-no-such-tool: command not found');
  });

  it('passes output of streamed commands on while capturing it', async () => {
    const streamed: string[] = [];
    const runner = createProcessRunner({
      onStream: text => streamed.push(text),
    });
    const result = await runner.run(
      node,
      ['-e', 'console.log("Creating cluster")'],
      { stream: true },
    );
    expect(result.stdout).toBe('Creating cluster\n');
    expect(streamed.join('')).toBe('Creating cluster\n');
    await runner.run(node, ['-e', 'console.log("quiet")']);
    expect(streamed.join('')).toBe('Creating cluster\n');
  });

  it('runs in the given working directory with extra environment', async () => {
    const dir = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-run-')),
    );
    try {
      const result = await createProcessRunner({ cwd: dir }).run(
        node,
        [
          '-e',
          'process.stdout.write(process.cwd() + " " + process.env.ATLAS_TEST)',
        ],
        { env: { ATLAS_TEST: 'yes' } },
      );
      expect(result.stdout).toBe(`${dir} yes`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts a detached process that writes to its log file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-detach-'));
    const logFile = path.join(dir, 'sub', 'server.log');
    try {
      const { pid } = await createProcessRunner().spawnDetached(
        node,
        ['-e', 'console.log("listening"); console.error("and logging")'],
        { logFile },
      );
      expect(pid).toBeGreaterThan(0);
      for (
        let i = 0;
        i < 100 && !fs.readFileSync(logFile, 'utf8').includes('and logging');
        i++
      ) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(fs.readFileSync(logFile, 'utf8')).toBe('listening\nand logging\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runChecked', () => {
  it('throws a CommandFailedError naming the command and the end of its output', async () => {
    const runner = createProcessRunner();
    const error = await runChecked(runner, process.execPath, [
      '-e',
      'console.error("line 1\\nError: release: not found"); process.exit(1)',
    ]).catch(e => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    expect(error.result.code).toBe(1);
    expect(error.message).toMatch(
      /exited with code 1:\n {4}line 1\n {4}Error: release: not found$/,
    );
  });
});

describe('formatCommand', () => {
  it('quotes only what needs quoting', () => {
    expect(
      formatCommand('docker', [
        'network',
        'inspect',
        'kind',
        '--format',
        '{{json .IPAM.Config}}',
      ]),
    ).toBe('docker network inspect kind --format "{{json .IPAM.Config}}"');
    expect(
      formatCommand('kubectl', [
        '--context',
        'kind-mini-atlas',
        'apply',
        '-f',
        '-',
      ]),
    ).toBe('kubectl --context kind-mini-atlas apply -f -');
  });
});
