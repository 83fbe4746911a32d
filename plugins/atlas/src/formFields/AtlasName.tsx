import { useEffect, useState } from 'react';
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
import {
  getWizard,
  nameQuery,
  type AtlasNameOptions,
  type NameCheck,
} from './wizardClient';

function verdict(
  check: NameCheck | undefined,
  value: string,
  options: AtlasNameOptions | undefined,
  workspace: unknown,
): { error: boolean; text: string } {
  if (!value) return { error: false, text: '' };
  if (!check) return { error: false, text: 'Checking…' };
  if (check.problems.length) return { error: true, text: check.problems[0] };
  if (check.takenBy)
    return { error: true, text: `Already taken by ${check.takenBy}` };
  return {
    error: false,
    text:
      options?.names === 'workspace'
        ? `Available: the namespace will be ${value}`
        : `Available: it will be named ${workspace}-${value}`,
  };
}

/**
 * A name checked as the user types: the name rules, the length that keeps
 * `<workspace>-<name>` within 63 characters, and that the name is free in the workspace, all
 * answered by the atlas backend with the rules the render action applies.
 */
export function AtlasName(
  props: FieldExtensionComponentProps<string, AtlasNameOptions>,
) {
  const {
    formData,
    onChange,
    uiSchema,
    schema,
    rawErrors,
    required,
    formContext,
    idSchema,
  } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const kind = uiSchema['ui:options']?.kind ?? '';
  const names = uiSchema['ui:options']?.names;
  const value = formData ?? '';
  const workspace =
    names === 'workspace' ? value : formContext?.formData?.workspace;
  const [check, setCheck] = useState<NameCheck>();

  useEffect(() => {
    setCheck(undefined);
    if (!value) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      getWizard<NameCheck>(
        { discoveryApi, fetchApi },
        'names',
        nameQuery({ kind, names }, value, { workspace }),
      )
        .then(result => {
          if (current) setCheck(result);
        })
        .catch(e => {
          if (current)
            setCheck({ problems: [String(e.message ?? e)], available: false });
        });
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // ui:options is a new object on every render: depend on its values
  }, [value, workspace, kind, names, discoveryApi, fetchApi]);

  const shown = verdict(check, value, { kind, names }, workspace);
  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title ?? 'Name'}
      value={value}
      required={required}
      fullWidth
      margin="normal"
      error={shown.error || !!rawErrors?.length}
      helperText={shown.text || schema.description}
      inputProps={{ 'data-testid': 'atlas-name', autoComplete: 'off' }}
      onChange={e => onChange(e.target.value)}
    />
  );
}

/** Refuses, on Next and on Review, a name the backend does not accept. */
export const validateAtlasName: CustomFieldValidator<
  string,
  AtlasNameOptions
> = async (value, field, context) => {
  if (!value) return;
  const discoveryApi = context.apiHolder.get(discoveryApiRef);
  const fetchApi = context.apiHolder.get(fetchApiRef);
  if (!discoveryApi || !fetchApi) return;
  const check = await getWizard<NameCheck>(
    { discoveryApi, fetchApi },
    'names',
    nameQuery(context.uiSchema?.['ui:options'], value, context.formData),
  );
  for (const problem of check.problems) field.addError(problem);
  if (check.takenBy) field.addError(`Already taken by ${check.takenBy}`);
};
