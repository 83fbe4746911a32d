import fs from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  addKustomizationEntry,
  instanceIdentity,
  instanceYaml,
  isPlainObject,
  ATLAS_LABELS,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import {
  assertMayRequest,
  prepareRequest,
  type PreparedRequest,
} from '@mini-atlas/plugin-atlas-node';
import { parse } from 'yaml';
import {
  commitMessage,
  requestFileContents,
  taskUser,
} from '../lib/requestContext';
import { validateInput, type ParsingSchema } from '../lib/validateInput';
import type { WizardService } from '../services/wizardService';
import { examples } from './publishRequest.examples';

/**
 * Creates the `atlas:request:publish` action: takes the instance the render action wrote into
 * the task workspace, checks it again against the platform as it is now, and commits it (mode
 * `commit`) or opens a pull request with it (mode `pull-request`, through Backstage's
 * `publish:github:pull-request` action), as `atlas.publish.mode` says. In a dry run it only
 * reports what it would publish.
 *
 * @param pullRequestAction - the action that opens pull requests in mode `pull-request`
 * @public
 */
export function createPublishRequestAction(options: {
  wizard: WizardService;
  pullRequestAction?: TemplateAction<any, any, any>;
}) {
  const { wizard, pullRequestAction } = options;
  let inputSchema: ParsingSchema | undefined;
  return createTemplateAction({
    id: 'atlas:request:publish',
    description:
      'Publishes a Mini-Atlas request rendered by atlas:request:render: commits it to the local gitops repository with the user as author, or opens a pull request, as atlas.publish.mode configures. The request is checked again first; nothing is written when it is refused.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        (inputSchema = z
          .object({
            instancePath: z
              .string()
              .describe(
                'The instance file in the task workspace, as output by atlas:request:render (instancePath)',
              ),
          })
          .strict()),
      output: z =>
        z.object({
          mode: z
            .enum(['commit', 'pull-request', 'dry-run'])
            .describe('How the request was published'),
          commit: z
            .string()
            .optional()
            .describe('The commit id, in mode commit'),
          message: z.string().describe('The commit message'),
          files: z
            .array(z.string())
            .describe('The files published, relative to the repository root'),
          pullRequestUrl: z
            .string()
            .optional()
            .describe('The pull request, in mode pull-request'),
          summary: z
            .string()
            .describe('One sentence for the wizard’s result page'),
        }),
    },
    async handler(ctx) {
      validateInput(inputSchema, ctx.input);
      const file = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.instancePath,
      );
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        throw new InputError(
          `${ctx.input.instancePath} is not in the task workspace; run atlas:request:render first`,
        );
      }
      const object = parse(text) as KubeObject;
      const snapshot = await wizard.gitops.snapshot();
      const abstraction = isPlainObject(object)
        ? snapshot.registry.forObject(object)
        : undefined;
      const identity = abstraction && instanceIdentity(abstraction, object);
      if (!abstraction || !identity) {
        throw new InputError(
          `${ctx.input.instancePath} is not an instance of a platform abstraction`,
        );
      }
      const prepared = prepareRequest(
        snapshot,
        {
          kind: abstraction.kind,
          workspace: identity.workspace,
          name: identity.name,
          owner: object.metadata.labels?.[ATLAS_LABELS.owner] ?? '',
          spec: object.spec,
        },
        { isNamespaced: wizard.isNamespaced },
      );
      if (!isDeepStrictEqual(prepared.instance, object)) {
        throw new InputError(
          `${ctx.input.instancePath} was changed after atlas:request:render; it is not what the wizard rendered`,
        );
      }
      const user = taskUser(ctx);
      assertMayRequest(snapshot, prepared, user);
      const message = commitMessage(prepared, user, ctx.task?.id);
      const files = (await requestFileContents(wizard, prepared)).map(
        f => f.path,
      );

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would publish ${files.join(', ')} (${wizard.publish.mode})`,
        );
        ctx.output('mode', 'dry-run');
        ctx.output('message', message);
        ctx.output('files', files);
        ctx.output(
          'summary',
          `Dry run: ${prepared.abstraction.kind} ${prepared.objectName} was checked and rendered; nothing was committed.`,
        );
        return;
      }

      if (wizard.publish.mode === 'commit') {
        const result = await ctx.checkpoint({
          key: `atlas-commit-${prepared.abstraction.kind}-${prepared.objectName}`,
          fn: async () => {
            const committed = await wizard.writer.commit({
              changes: commitChanges(wizard, prepared),
              precondition: () => assertNameFreeOnDisk(wizard, prepared),
              message,
              author: user.author,
            });
            return { commit: committed.commit, files: committed.files };
          },
        });
        wizard.gitops.notifyChanged(
          result.files.map(f => f.slice(wizard.gitopsPath.length + 1)),
        );
        ctx.logger.info(
          `Committed ${prepared.abstraction.kind} ${prepared.objectName} as ${result.commit}`,
        );
        ctx.output('mode', 'commit');
        ctx.output('commit', result.commit);
        ctx.output('message', message);
        ctx.output('files', result.files);
        ctx.output(
          'summary',
          `${prepared.abstraction.kind} ${
            prepared.objectName
          } was committed to Git as ${result.commit.slice(
            0,
            12,
          )}; Flux applies it on its next sync.`,
        );
        return;
      }

      if (!pullRequestAction) {
        throw new Error(
          'atlas.publish.mode is pull-request but no pull request action is available',
        );
      }
      const settings = wizard.publish;
      const outputs: Record<string, unknown> = {};
      await pullRequestAction.handler({
        ...ctx,
        input: {
          repoUrl: settings.repoUrl,
          branchName: `atlas/${
            prepared.workspace
          }/${prepared.abstraction.kind.toLowerCase()}-${prepared.name}`,
          targetBranchName: settings.targetBranch,
          draft: settings.draft,
          title: message.split('\n')[0],
          description: message.split('\n').slice(2).join('\n'),
          commitMessage: message,
          gitAuthorName: user.author.name,
          gitAuthorEmail: user.author.email,
        },
        output: (name: string, value: unknown) => {
          outputs[name] = value;
        },
      } as any);
      ctx.output('mode', 'pull-request');
      ctx.output('message', message);
      ctx.output('files', files);
      ctx.output('pullRequestUrl', String(outputs.remoteUrl ?? ''));
      ctx.output(
        'summary',
        `A pull request for ${prepared.abstraction.kind} ${prepared.objectName} was opened: ${outputs.remoteUrl}`,
      );
    },
  });
}

/** The commit's changes: a new instance file, and the kustomizations updated as they are at commit time. */
function commitChanges(wizard: WizardService, prepared: PreparedRequest) {
  const inRepo = (file: string) => `${wizard.gitopsPath}/${file}`;
  return [
    {
      path: inRepo(prepared.files.instance),
      content: instanceYaml(prepared.instance),
      mustNotExist: true,
    },
    ...prepared.files.kustomizations.map(k => ({
      path: inRepo(k.path),
      update: (current: string | undefined) =>
        addKustomizationEntry(current, k.entry),
    })),
  ];
}

/**
 * Under the writer's lock: no instance file of any kind holds the name in the workspace (names
 * are unique across kinds), so two concurrent wizards cannot both take it.
 */
async function assertNameFreeOnDisk(
  wizard: WizardService,
  prepared: PreparedRequest,
) {
  const { registry } = await wizard.gitops.snapshot();
  const folder = path.join(
    wizard.gitops.gitopsDir,
    path.dirname(prepared.files.instance),
  );
  const candidates = prepared.abstraction.isWorkspace
    ? [path.basename(prepared.files.instance)]
    : registry
        .requestKinds()
        .map(a => `${a.kind.toLowerCase()}-${prepared.name}.yaml`);
  for (const candidate of candidates) {
    const exists = await fs
      .stat(path.join(folder, candidate))
      .then(() => true)
      .catch(() => false);
    if (exists) {
      throw new ConflictError(
        `${JSON.stringify(prepared.name)} was taken in workspace ${
          prepared.workspace
        } while this wizard ran (${candidate})`,
      );
    }
  }
}
