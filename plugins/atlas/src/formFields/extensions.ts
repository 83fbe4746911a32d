import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The wizard's form field for names checked as the user types (`ui:field: AtlasName`).
 *
 * @alpha
 */
export const atlasNameFormField = FormFieldBlueprint.make({
  name: 'atlas-name',
  params: {
    field: () => import('./fields').then(m => m.atlasNameField),
  },
});

/**
 * The wizard's workspace picker (`ui:field: AtlasWorkspacePicker`).
 *
 * @alpha
 */
export const atlasWorkspacePickerFormField = FormFieldBlueprint.make({
  name: 'atlas-workspace-picker',
  params: {
    field: () => import('./fields').then(m => m.atlasWorkspacePickerField),
  },
});

/**
 * The wizard's picker of instances in the chosen workspace (`ui:field: AtlasInstancePicker`).
 *
 * @alpha
 */
export const atlasInstancePickerFormField = FormFieldBlueprint.make({
  name: 'atlas-instance-picker',
  params: {
    field: () => import('./fields').then(m => m.atlasInstancePickerField),
  },
});

/**
 * Every form field of the wizards, for the plugin's extensions.
 *
 * @alpha
 */
export const wizardFormFields = [
  atlasNameFormField,
  atlasWorkspacePickerFormField,
  atlasInstancePickerFormField,
];
