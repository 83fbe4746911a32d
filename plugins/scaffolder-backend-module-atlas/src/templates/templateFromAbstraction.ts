import {
  MAX_NAME_LENGTH,
  OVERLAY_ANNOTATIONS,
  REQUEST_NAME_PATTERN,
  WORKSPACE_NAME_PATTERN,
  type Abstraction,
  type JsonSchema,
} from '@mini-atlas/plugin-atlas-common';
import type { JsonObject } from '@backstage/types';

/**
 * Names of the wizard's own form fields, provided by the `atlas` frontend plugin.
 *
 * @public
 */
export const ATLAS_FORM_FIELDS = {
  /** Picks an existing workspace the user may add to. */
  workspacePicker: 'AtlasWorkspacePicker',
  /** A name checked as the user types: rules, length, free in the workspace. */
  name: 'AtlasName',
  /** Picks instances of a kind (`ui:options.kind`) in the chosen workspace. */
  instancePicker: 'AtlasInstancePicker',
} as const;

/** Keywords of a spec schema a form understands; the rest (x-kubernetes-*) stays in the RGD. */
const FORM_KEYWORDS = [
  'type',
  'description',
  'default',
  'enum',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
] as const;

/**
 * A field name in words: `retentionHours` becomes `Retention hours`.
 *
 * @public
 */
export function fieldTitle(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formField(
  abstraction: Abstraction,
  schema: JsonSchema,
  path: string,
): JsonObject {
  const name = path.split('.').pop()!;
  const overlay = abstraction.fields[path] ?? {};
  const field: JsonObject = { title: overlay.title ?? fieldTitle(name) };
  for (const keyword of FORM_KEYWORDS) {
    if (schema[keyword] !== undefined)
      field[keyword] = schema[keyword] as JsonObject[string];
  }
  if (schema.properties) {
    field.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, child]) => [
        key,
        formField(abstraction, child, `${path}.${key}`.replace(/^\./, '')),
      ]),
    );
    if (schema.required?.length) field.required = schema.required;
    if (schema.additionalProperties === false)
      field.additionalProperties = false;
  } else if (schema.additionalProperties && schema.type === 'object') {
    field.additionalProperties = schema.additionalProperties as JsonObject;
  }
  if (schema.items) {
    field.items = formField(abstraction, schema.items, `${path}[]`);
    delete (field.items as JsonObject).title;
  }
  if (overlay.picker) {
    field['ui:field'] = ATLAS_FORM_FIELDS.instancePicker;
    field['ui:options'] = { kind: overlay.picker };
  }
  return field;
}

/**
 * The form of an abstraction's `spec`: every field of the RGD schema with its type, default,
 * bounds, enum and pattern, titled by the overlay (or by its name), pickers from the overlay;
 * a top-level `owner` field is left out, as the wizard fills it from the owner Group.
 *
 * @public
 */
export function specForm(abstraction: Abstraction): JsonObject | undefined {
  const properties = { ...abstraction.specSchema.properties };
  delete properties.owner;
  if (!Object.keys(properties).length) return undefined;
  const form = formField(
    abstraction,
    {
      ...abstraction.specSchema,
      properties,
      required: abstraction.specSchema.required?.filter(r => r !== 'owner'),
    },
    '',
  );
  form.title = abstraction.title;
  if (abstraction.description) form.description = abstraction.description;
  delete form.default;
  return form;
}

/**
 * The Backstage software template (the wizard) of an abstraction, generated from its RGD: a page
 * asking where (workspace, name, owner Group), a page with the spec's fields, and the steps
 * `atlas:request:render` and `atlas:request:publish`, whose preview and commit the result page
 * shows.
 *
 * @param source - the RGD file, relative to the repository root, named in the template
 * @public
 */
export function templateFromAbstraction(
  abstraction: Abstraction,
  source: string,
): JsonObject {
  const kind = abstraction.kind;
  const owner = {
    title: 'Owner',
    type: 'string',
    description: `The Group that owns the ${abstraction.title.toLowerCase()}; you must be a member.`,
    'ui:field': 'MyGroupsPicker',
  };
  const where: JsonObject = abstraction.isWorkspace
    ? {
        title: `New ${abstraction.title.toLowerCase()}`,
        required: ['workspace', 'owner'],
        properties: {
          workspace: {
            title: 'Name',
            type: 'string',
            description: `Lower-case letters, digits and "-", starting with a letter, at most ${MAX_NAME_LENGTH} characters. It becomes the namespace and starts the name of everything in it.`,
            pattern: WORKSPACE_NAME_PATTERN,
            maxLength: MAX_NAME_LENGTH,
            'ui:field': ATLAS_FORM_FIELDS.name,
            'ui:options': { kind, names: 'workspace' },
            'ui:autofocus': true,
          },
          owner,
        },
      }
    : {
        title: `Where and who`,
        required: ['workspace', 'name', 'owner'],
        properties: {
          workspace: {
            title: 'Workspace',
            type: 'string',
            description: `The workspace the ${abstraction.title.toLowerCase()} belongs to.`,
            'ui:field': ATLAS_FORM_FIELDS.workspacePicker,
          },
          name: {
            title: 'Name',
            type: 'string',
            description:
              'Lower-case letters, digits and "-". In the cluster it is named <workspace>-<name>, which must fit in 63 characters, and it must be free in the workspace.',
            pattern: REQUEST_NAME_PATTERN,
            maxLength: MAX_NAME_LENGTH - 2,
            'ui:field': ATLAS_FORM_FIELDS.name,
            'ui:options': { kind, names: 'request' },
          },
          owner,
        },
      };
  const spec = specForm(abstraction);
  const parameters: JsonObject[] = [where];
  if (spec) {
    parameters.push({
      title: `${abstraction.title} settings`,
      properties: { spec },
    });
  }
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: `atlas-${abstraction.name}`,
      title: abstraction.isWorkspace
        ? `New ${abstraction.title.toLowerCase()}`
        : abstraction.title,
      ...(abstraction.description
        ? { description: abstraction.description }
        : {}),
      tags: ['mini-atlas', abstraction.icon],
      annotations: {
        'portal.mini-atlas.io/kind': kind,
        'portal.mini-atlas.io/generated-from': source,
      },
    },
    spec: {
      owner: 'group:default/platform-team',
      type: abstraction.isWorkspace ? 'workspace' : 'platform-request',
      parameters,
      steps: [
        {
          id: 'render',
          name: 'Check and preview',
          action: 'atlas:request:render',
          input: {
            kind,
            workspace: '${{ parameters.workspace }}',
            ...(abstraction.isWorkspace
              ? {}
              : { name: '${{ parameters.name }}' }),
            owner: '${{ parameters.owner }}',
            ...(spec ? { spec: '${{ parameters.spec }}' } : {}),
          },
        },
        {
          id: 'publish',
          name: 'Publish to Git',
          action: 'atlas:request:publish',
          input: { instancePath: '${{ steps.render.output.instancePath }}' },
        },
      ],
      output: {
        text: [
          {
            title: 'Published',
            content: '${{ steps.publish.output.summary }}',
          },
          {
            title: 'What KRO will create',
            content: '${{ steps.render.output.previewMarkdown }}',
          },
        ],
      },
    },
  };
}

/** The overlay annotations a template is generated from, for the header of the file. */
export const TEMPLATE_INPUTS = [
  'spec.schema',
  OVERLAY_ANNOTATIONS.title,
  OVERLAY_ANNOTATIONS.description,
  OVERLAY_ANNOTATIONS.icon,
  OVERLAY_ANNOTATIONS.fields,
];
