import { COMMAND_NOT_FOUND, CommandRunner, lastLines } from './runner';

/**
 * A program `yarn atlas` needs on PATH.
 *
 * @public
 */
export type Tool = 'docker' | 'kind' | 'kubectl' | 'helm' | 'flux' | 'git';

/**
 * The outcome of checking one tool.
 *
 * @public
 */
export interface ToolCheck {
  tool: Tool;
  ok: boolean;
  /** First line of its version output, when found. */
  version?: string;
  /** What is wrong and how to fix it, when not ok. */
  problem?: string;
}

interface ToolSpec {
  versionArgs: string[];
  install: string;
}

const tools: Record<Tool, ToolSpec> = {
  docker: {
    versionArgs: ['--version'],
    install:
      'install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop (https://docs.docker.com/desktop/)',
  },
  kind: {
    versionArgs: ['version'],
    install:
      'install kind v0.32 or newer: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (e.g. `brew install kind` or `go install sigs.k8s.io/kind@v0.32.0`)',
  },
  kubectl: {
    versionArgs: ['version', '--client'],
    install:
      'install kubectl: https://kubernetes.io/docs/tasks/tools/ (e.g. `brew install kubectl`)',
  },
  helm: {
    versionArgs: ['version', '--short'],
    install:
      'install Helm 3: https://helm.sh/docs/intro/install/ (e.g. `brew install helm`)',
  },
  flux: {
    versionArgs: ['version', '--client'],
    install:
      'install the Flux CLI v2.9: https://fluxcd.io/flux/installation/#install-the-flux-cli (e.g. `brew install fluxcd/tap/flux`)',
  },
  git: {
    versionArgs: ['--version'],
    install: 'install git: https://git-scm.com/downloads',
  },
};

/**
 * Checks that each tool is on PATH (by asking for its version) and, for `docker`, that the
 * engine answers (`docker info`). Checks every tool, so one run lists all that is missing.
 *
 * @public
 */
export async function checkPrerequisites(
  runner: CommandRunner,
  wanted: Tool[],
): Promise<ToolCheck[]> {
  const checks: ToolCheck[] = [];
  for (const tool of wanted) {
    const spec = tools[tool];
    const result = await runner.run(tool, spec.versionArgs);
    if (result.code !== 0) {
      checks.push({
        tool,
        ok: false,
        problem:
          result.code === COMMAND_NOT_FOUND
            ? `${tool} was not found on PATH; ${spec.install}`
            : `\`${tool} ${spec.versionArgs.join(' ')}\` failed (exit ${
                result.code
              }); ${spec.install}\n${lastLines(result.stderr, 3)}`,
      });
      continue;
    }
    const version = firstLine(result.stdout || result.stderr);
    if (tool === 'docker') {
      const info = await runner.run('docker', [
        'info',
        '--format',
        '{{.ServerVersion}}',
      ]);
      if (info.code !== 0) {
        checks.push({
          tool,
          ok: false,
          version,
          problem: `docker is installed but its engine does not answer (\`docker info\` failed); start Docker Desktop or the docker service (e.g. \`sudo systemctl start docker\`) and check that your user may use it\n${lastLines(
            info.stderr || info.stdout,
            3,
          )}`,
        });
        continue;
      }
    }
    checks.push({ tool, ok: true, version });
  }
  return checks;
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .find(line => line.trim() !== '')
      ?.trim() ?? ''
  );
}
