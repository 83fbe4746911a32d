import { stringify } from 'yaml';
import type { RenderResult } from '@mini-atlas/plugin-atlas-common';
import type { JsonObject } from '@backstage/types';

/**
 * One resource of the preview, as the render action outputs it.
 *
 * @public
 */
export interface PreviewResource extends JsonObject {
  id: string;
  included: boolean;
  reason: string | null;
  objects: JsonObject[];
  /** Values only the cluster knows: the field and its `${...}` expression. */
  unknown: Array<{ object: number; path: string; expression: string }>;
}

/** The offline render as JSON the scaffolder can store. */
export function previewResources(result: RenderResult): PreviewResource[] {
  return result.resources.map(resource => ({
    id: resource.id,
    included: resource.included,
    reason: resource.reason ?? null,
    objects: JSON.parse(JSON.stringify(resource.objects)),
    unknown: resource.unknown.map(u => ({
      object: u.index,
      path: u.path.join('.'),
      expression: u.expression,
    })),
  }));
}

/** The objects KRO will create, as one multi-document YAML text. */
export function previewYaml(result: RenderResult): string {
  return result.resources
    .flatMap(r => r.objects)
    .map(o => stringify(o, { lineWidth: 0 }))
    .join('---\n');
}

/** A Markdown summary of the preview for the wizard's result page. */
export function previewMarkdown(result: RenderResult): string {
  const rows = result.resources.flatMap(r =>
    r.included
      ? r.objects.map(
          o =>
            `| ${r.id} | ${o.apiVersion} ${o.kind} | ${o.metadata.name} | ${
              o.metadata.namespace ?? '(cluster)'
            } |`,
        )
      : [`| ${r.id} | not created: ${r.reason} | | |`],
  );
  const unknown = result.resources.flatMap(r =>
    r.unknown.map(
      u => `- ${r.id} \`${u.path.join('.')}\`: \`\${${u.expression}}\``,
    ),
  );
  return [
    `KRO will create these objects for ${result.instance.kind} **${result.instance.metadata.name}**:`,
    '',
    '| resource | kind | name | namespace |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...(unknown.length
      ? ['Filled in by the cluster once the objects exist:', '', ...unknown, '']
      : []),
    '```yaml',
    previewYaml(result).trimEnd(),
    '```',
  ].join('\n');
}
