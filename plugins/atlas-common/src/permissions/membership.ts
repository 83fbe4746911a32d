import { isPlainObject } from '../kube';

/**
 * The groups (by name, default namespace) a catalog User entity is a member of: its `memberOf`
 * relations, as the catalog computes them from both `User.spec.memberOf` and
 * `Group.spec.members`, plus `spec.memberOf` for an entity that is not decorated with relations.
 *
 * @public
 */
export function userGroupNames(user: unknown): string[] {
  if (!isPlainObject(user)) return [];
  const names = new Set<string>();
  const relations = Array.isArray(user.relations) ? user.relations : [];
  for (const relation of relations) {
    if (!isPlainObject(relation) || relation.type !== 'memberOf') continue;
    const ref = String(relation.targetRef ?? '');
    const match = /^group:default\/([^:/]+)$/i.exec(ref);
    if (match) names.add(match[1].toLowerCase());
  }
  const spec = isPlainObject(user.spec) ? user.spec : {};
  for (const group of Array.isArray(spec.memberOf) ? spec.memberOf : []) {
    const match = /^(?:group:)?(?:default\/)?([^:/]+)$/i.exec(String(group));
    if (match) names.add(match[1].toLowerCase());
  }
  return [...names].sort();
}
