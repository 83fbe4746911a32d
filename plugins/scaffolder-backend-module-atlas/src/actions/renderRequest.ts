import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  assertMayRequest,
  prepareRequest,
} from '@mini-atlas/plugin-atlas-node';
import { previewMarkdown, previewResources, previewYaml } from '../lib/preview';
import { requestFileContents, taskUser } from '../lib/requestContext';
import { validateInput, type ParsingSchema } from '../lib/validateInput';
import type { WizardService } from '../services/wizardService';
import { examples } from './renderRequest.examples';

/**
 * Creates the `atlas:request:render` action: validates a request against its RGD and the
 * platform, writes the instance and its kustomization entries into the task workspace (at their
 * paths in the repository), and outputs a preview of what KRO will create.
 *
 * @public
 */
export function createRenderRequestAction(options: { wizard: WizardService }) {
  const { wizard } = options;
  let inputSchema: ParsingSchema | undefined;
  return createTemplateAction({
    id: 'atlas:request:render',
    description:
      'Validates a Mini-Atlas request (a KRO instance of a platform abstraction) against its ResourceGraphDefinition and the platform, writes it and its kustomization.yaml entry into the workspace, and previews the Kubernetes objects KRO will create for it. Nothing is written when the input is refused.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        (inputSchema = z
          .object({
            kind: z
              .string()
              .describe(
                'Kind of the platform abstraction, as in its ResourceGraphDefinition: Workspace, WebApplication, Infrastructure, Topic, ...',
              ),
            workspace: z
              .string()
              .describe(
                'The workspace the request belongs to; for a Workspace, the name of the new workspace.',
              ),
            name: z
              .string()
              .optional()
              .describe(
                'Short name of the request; the instance is named <workspace>-<name>. Not used for a Workspace.',
              ),
            owner: z
              .string()
              .describe(
                'Owner Group, as a name (team-a) or an entity ref (group:default/team-a). The user must be a member.',
              ),
            spec: z
              .record(z.unknown())
              .optional()
              .describe(
                "Values of the abstraction's spec fields; missing ones take the RGD's defaults.",
              ),
          })
          .strict()),
      output: z =>
        z.object({
          kind: z.string().describe('Kind of the instance'),
          workspace: z.string().describe('Workspace of the request'),
          name: z.string().describe('Short name of the request'),
          objectName: z.string().describe('metadata.name of the instance'),
          instancePath: z
            .string()
            .describe(
              'The instance file, relative to the task workspace and to the repository root',
            ),
          files: z
            .array(z.string())
            .describe(
              'Every file written into the task workspace, relative to it (same paths as in the repository)',
            ),
          preview: z
            .array(
              z.object({
                id: z.string().describe('Resource id in the RGD'),
                included: z
                  .boolean()
                  .describe('False when includeWhen leaves the resource out'),
                reason: z
                  .string()
                  .nullable()
                  .describe('Why the resource is left out'),
                objects: z
                  .array(z.record(z.unknown()))
                  .describe('The Kubernetes objects KRO will create'),
                unknown: z
                  .array(
                    z.object({
                      object: z.number(),
                      path: z.string(),
                      expression: z.string(),
                    }),
                  )
                  .describe(
                    'Fields only the cluster can fill in (another object’s status), left as ${...}',
                  ),
              }),
            )
            .describe(
              'What KRO will create for this instance, rendered offline from the RGD templates',
            ),
          previewYaml: z
            .string()
            .describe('The objects KRO will create, as multi-document YAML'),
          previewMarkdown: z
            .string()
            .describe('A summary of the preview for the wizard’s result page'),
        }),
    },
    async handler(ctx) {
      validateInput(inputSchema, ctx.input);
      const snapshot = await wizard.gitops.snapshot();
      const prepared = prepareRequest(snapshot, ctx.input, {
        isNamespaced: wizard.isNamespaced,
      });
      const user = taskUser(ctx);
      assertMayRequest(snapshot, prepared, user);

      const files = await requestFileContents(wizard, prepared);
      for (const file of files) {
        const target = resolveSafeChildPath(ctx.workspacePath, file.path);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, file.content, 'utf8');
      }
      ctx.logger.info(
        `Rendered ${prepared.abstraction.kind} ${prepared.objectName} into ${files[0].path}`,
      );

      ctx.output('kind', prepared.abstraction.kind);
      ctx.output('workspace', prepared.workspace);
      ctx.output('name', prepared.name);
      ctx.output('objectName', prepared.objectName);
      ctx.output('instancePath', files[0].path);
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('preview', previewResources(prepared.preview));
      ctx.output('previewYaml', previewYaml(prepared.preview));
      ctx.output('previewMarkdown', previewMarkdown(prepared.preview));
    },
  });
}
