import { useEffect, useState } from 'react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { getWizard, type WizardInstance } from './wizardClient';

/** `ui:options` of the instance picker. */
export interface AtlasInstancePickerOptions {
  /** The kind of instances offered. */
  kind: string;
}

/**
 * Picks instances of a kind in the workspace chosen earlier in the wizard: one (a string field,
 * with "None" for an empty value) or several (an array field). Values are the instances'
 * cluster names (`<workspace>-<name>`), as the RGDs expect.
 */
export function AtlasInstancePicker(
  props: FieldExtensionComponentProps<
    string | string[],
    AtlasInstancePickerOptions
  >,
) {
  const {
    formData,
    onChange,
    uiSchema,
    schema,
    rawErrors,
    formContext,
    idSchema,
  } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const kind = uiSchema['ui:options']?.kind ?? '';
  const workspace = String(formContext?.formData?.workspace ?? '');
  const multiple = schema.type === 'array';
  const [instances, setInstances] = useState<WizardInstance[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!workspace || !kind) return;
    getWizard<{ items: WizardInstance[] }>(
      { discoveryApi, fetchApi },
      'instances',
      { kind, workspace },
    ).then(
      r => setInstances(r.items),
      e => setError(String(e.message ?? e)),
    );
  }, [kind, workspace, discoveryApi, fetchApi]);

  let value: string | string[] = (formData as string | undefined) ?? '';
  if (multiple) value = Array.isArray(formData) ? formData : [];
  return (
    <TextField
      id={idSchema?.$id}
      select
      label={schema.title}
      value={value}
      fullWidth
      margin="normal"
      error={!!error || !!rawErrors?.length}
      helperText={
        error ??
        (instances.length
          ? schema.description
          : `Workspace ${workspace} has no ${kind} yet. ${
              schema.description ?? ''
            }`)
      }
      SelectProps={{ multiple }}
      onChange={e => onChange(e.target.value as unknown as string | string[])}
    >
      {!multiple && <MenuItem value="">None</MenuItem>}
      {instances.map(i => (
        <MenuItem key={i.name} value={i.name}>
          {i.shortName} ({i.name})
        </MenuItem>
      ))}
    </TextField>
  );
}
