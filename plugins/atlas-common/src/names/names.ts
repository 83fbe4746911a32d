/**
 * Name rules of Mini-Atlas, in one place: the wizard form, the scaffolder actions, the catalog
 * provider and the status API all use these, and the Kyverno policy `workspace-naming` enforces
 * the same prefix rule in the cluster.
 *
 * - A workspace name is an RFC 1035 label: it becomes a namespace and starts every Service
 *   name in it, so it must start with a letter.
 * - A request in a workspace is named `<workspace>-<name>` in the cluster; `<name>` is an
 *   RFC 1123 label and the whole name fits in 63 characters.
 */

/** Longest name of a namespace, Service or label value. @public */
export const MAX_NAME_LENGTH = 63;

const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Namespaces no workspace may take, besides `kube-*` and the platform's own namespaces (which
 * callers pass in, read from `gitops/core/`).
 *
 * @public
 */
export const ALWAYS_RESERVED_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/**
 * The JSON Schema pattern a workspace name must match (used by the wizard form).
 *
 * @public
 */
export const WORKSPACE_NAME_PATTERN = RFC1035_LABEL.source;

/**
 * The JSON Schema pattern a request name must match (used by the wizard form).
 *
 * @public
 */
export const REQUEST_NAME_PATTERN = RFC1123_LABEL.source;

function describe(value: unknown): string {
  return JSON.stringify(value);
}

function labelProblems(
  name: unknown,
  what: string,
  mustStartWithLetter: boolean,
): string[] {
  if (typeof name !== 'string' || name.length === 0)
    return [`${what} is required`];
  if (/[\r\n]/.test(name)) return [`${what} must be a single line`];
  const problems: string[] = [];
  if (name !== name.toLowerCase())
    problems.push(`${what} ${describe(name)} must be lower case`);
  if (/^-|-$/.test(name))
    problems.push(`${what} ${describe(name)} must not start or end with "-"`);
  if (mustStartWithLetter && /^[0-9]/.test(name)) {
    problems.push(`${what} ${describe(name)} must start with a letter`);
  }
  if (
    !problems.length &&
    !(mustStartWithLetter ? RFC1035_LABEL : RFC1123_LABEL).test(name)
  ) {
    problems.push(
      `${what} ${describe(
        name,
      )} may contain only lower-case letters, digits and "-"`,
    );
  }
  return problems;
}

/**
 * Problems with a workspace name (empty when valid).
 *
 * @param reserved - the platform's own namespaces, which no workspace may take
 * @public
 */
export function workspaceNameProblems(
  name: unknown,
  reserved: readonly string[] = [],
): string[] {
  const problems = labelProblems(name, 'workspace name', true);
  if (problems.length) return problems;
  const value = name as string;
  if (value.length > MAX_NAME_LENGTH) {
    problems.push(
      `workspace name ${describe(
        value,
      )} is longer than ${MAX_NAME_LENGTH} characters`,
    );
  }
  if (
    value.startsWith('kube-') ||
    ALWAYS_RESERVED_NAMESPACES.includes(value) ||
    reserved.includes(value)
  ) {
    problems.push(
      `workspace name ${describe(value)} is reserved for the platform`,
    );
  }
  return problems;
}

/**
 * The longest `<name>` a request in this workspace may have, so that `<workspace>-<name>` fits.
 *
 * @public
 */
export function maxRequestNameLength(workspace: string): number {
  return MAX_NAME_LENGTH - workspace.length - 1;
}

/**
 * Problems with the name of a request in a workspace (empty when valid).
 *
 * @public
 */
export function requestNameProblems(
  workspace: string,
  name: unknown,
): string[] {
  const problems = labelProblems(name, 'name', false);
  if (problems.length) return problems;
  const value = name as string;
  const max = maxRequestNameLength(workspace);
  if (value.length > max) {
    problems.push(
      `name ${describe(
        value,
      )} is too long: "${workspace}-${value}" must fit in ${MAX_NAME_LENGTH} characters, so at most ${max} here`,
    );
  }
  if (value.startsWith(`${workspace}-`)) {
    problems.push(
      `name ${describe(
        value,
      )} must not repeat the workspace prefix "${workspace}-"; it is added for you`,
    );
  }
  return problems;
}

/**
 * The cluster name of a request: `<workspace>-<name>`.
 *
 * @public
 */
export function requestObjectName(workspace: string, name: string): string {
  return `${workspace}-${name}`;
}

/**
 * The short name of a request from its cluster name, or undefined when it lacks the prefix.
 *
 * @public
 */
export function requestShortName(
  workspace: string,
  objectName: string,
): string | undefined {
  const prefix = `${workspace}-`;
  return objectName.startsWith(prefix)
    ? objectName.slice(prefix.length)
    : undefined;
}

/**
 * The group name from an owner given as a name or an entity ref (`group:default/team-a`).
 *
 * @public
 */
export function ownerGroupName(owner: string): string {
  const match = /^(?:group:)?(?:default\/)?([^:/]+)$/i.exec(owner.trim());
  if (!match)
    throw new Error(
      `owner ${JSON.stringify(owner)} must be a Group in the default namespace`,
    );
  return match[1];
}
