import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** The verdict on a name, as `/api/atlas/wizard/names` gives it. */
export interface NameCheck {
  problems: string[];
  takenBy?: string;
  available: boolean;
}

/** A workspace as the wizard's picker sees it. */
export interface WizardWorkspace {
  name: string;
  owner: string | null;
  description: string;
  /** Whether the signed-in user is in the owner Group, so may add to it. */
  mayAdd: boolean;
}

/** An instance a picker offers. */
export interface WizardInstance {
  name: string;
  shortName: string;
}

/** Calls the wizard routes of the atlas backend. */
export async function getWizard<T>(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  path: 'names' | 'workspaces' | 'instances',
  query: Record<string, string | undefined> = {},
): Promise<T> {
  const base = await apis.discoveryApi.getBaseUrl('atlas');
  const params = new URLSearchParams(
    Object.entries(query).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  );
  const response = await apis.fetchApi.fetch(
    `${base}/wizard/${path}${params.size ? `?${params}` : ''}`,
  );
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as T;
}

/** `ui:options` of the name field, as the generated templates set them. */
export interface AtlasNameOptions {
  /** Kind of the request being named. */
  kind: string;
  /** `workspace`: the field is a new workspace's name; `request` (default): a request's name. */
  names?: 'workspace' | 'request';
}

/** What to ask `/names` about a name: a workspace's own name, or a request's name in the chosen workspace. */
export function nameQuery(
  options: AtlasNameOptions | undefined,
  value: string,
  formData: Record<string, unknown> | undefined,
): Record<string, string | undefined> {
  const kind = options?.kind ?? '';
  return options?.names === 'workspace'
    ? { kind, workspace: value }
    : { kind, workspace: String(formData?.workspace ?? ''), name: value };
}
