import { useEffect, useState } from 'react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { getWizard, type WizardWorkspace } from './wizardClient';

/**
 * Picks an existing workspace. Workspaces whose owner Group the user is not in are shown but
 * cannot be picked: only members of the owner Group may add to a workspace.
 */
export function AtlasWorkspacePicker(
  props: FieldExtensionComponentProps<string>,
) {
  const { formData, onChange, schema, rawErrors, required, idSchema } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [workspaces, setWorkspaces] = useState<WizardWorkspace[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    getWizard<{ items: WizardWorkspace[] }>(
      { discoveryApi, fetchApi },
      'workspaces',
    ).then(
      r => setWorkspaces(r.items),
      e => setError(String(e.message ?? e)),
    );
  }, [discoveryApi, fetchApi]);

  return (
    <TextField
      id={idSchema?.$id}
      select
      label={schema.title ?? 'Workspace'}
      value={formData ?? ''}
      required={required}
      fullWidth
      margin="normal"
      error={!!error || !!rawErrors?.length}
      helperText={
        error ??
        (workspaces && !workspaces.length
          ? 'There is no workspace yet: create one first.'
          : schema.description)
      }
      SelectProps={{ 'data-testid': 'atlas-workspace-picker' } as any}
      onChange={e => onChange(e.target.value)}
    >
      {(workspaces ?? []).map(ws => (
        <MenuItem key={ws.name} value={ws.name} disabled={!ws.mayAdd}>
          {ws.name}
          {ws.mayAdd
            ? ws.description && ` — ${ws.description}`
            : ` — owned by ${ws.owner ?? 'nobody'}; you are not a member`}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Refuses a workspace that does not exist or that the user may not add to. */
export const validateAtlasWorkspace: CustomFieldValidator<string> = async (
  value,
  field,
  context,
) => {
  if (!value) return;
  const discoveryApi = context.apiHolder.get(discoveryApiRef);
  const fetchApi = context.apiHolder.get(fetchApiRef);
  if (!discoveryApi || !fetchApi) return;
  const { items } = await getWizard<{ items: WizardWorkspace[] }>(
    { discoveryApi, fetchApi },
    'workspaces',
  );
  const workspace = items.find(w => w.name === value);
  if (!workspace) field.addError(`workspace ${value} does not exist`);
  else if (!workspace.mayAdd)
    field.addError(
      `only members of ${workspace.owner} may add to workspace ${value}`,
    );
};
