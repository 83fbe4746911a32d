import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { AtlasInstancePicker } from './AtlasInstancePicker';
import { AtlasName, validateAtlasName } from './AtlasName';
import {
  AtlasWorkspacePicker,
  validateAtlasWorkspace,
} from './AtlasWorkspacePicker';

/** The field behind `ui:field: AtlasName`. */
export const atlasNameField = createFormField({
  name: 'AtlasName',
  component: AtlasName as any,
  validation: validateAtlasName as any,
});

/** The field behind `ui:field: AtlasWorkspacePicker`. */
export const atlasWorkspacePickerField = createFormField({
  name: 'AtlasWorkspacePicker',
  component: AtlasWorkspacePicker as any,
  validation: validateAtlasWorkspace as any,
});

/** The field behind `ui:field: AtlasInstancePicker`. */
export const atlasInstancePickerField = createFormField({
  name: 'AtlasInstancePicker',
  component: AtlasInstancePicker as any,
});
