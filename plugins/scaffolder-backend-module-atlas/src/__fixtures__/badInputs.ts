/**
 * The corpus of bad wizard input: each case is refused before anything is written, with the
 * error class and a message that says what is wrong. Requests are made by guest (member of
 * team-a and platform-team) unless `user` says otherwise, against the shipped platform (workspace
 * team-a holding WebApplication web, Infrastructure data and Topic orders).
 */
export interface BadInput {
  why: string;
  input: Record<string, unknown>;
  error: 'InputError' | 'ConflictError' | 'NotAllowedError';
  message: RegExp;
  user?: 'guest' | 'bob';
}

const topic = (override: Record<string, unknown>) => ({
  kind: 'Topic',
  workspace: 'team-a',
  name: 'events',
  owner: 'group:default/team-a',
  ...override,
});
const topicSpec = (spec: Record<string, unknown>) => topic({ spec });
const web = (spec: Record<string, unknown>) => ({
  kind: 'WebApplication',
  workspace: 'team-a',
  name: 'shop',
  owner: 'team-a',
  spec: { image: 'nginx', ...spec },
});
const infra = (spec: Record<string, unknown>) => ({
  kind: 'Infrastructure',
  workspace: 'team-a',
  name: 'store',
  owner: 'team-a',
  spec,
});
const ws = (override: Record<string, unknown>) => ({
  kind: 'Workspace',
  workspace: 'team-c',
  owner: 'team-a',
  ...override,
});

export const badInputs: BadInput[] = [
  // request names
  {
    why: 'upper case name',
    input: topic({ name: 'Events' }),
    error: 'InputError',
    message: /must be lower case/,
  },
  {
    why: 'all upper case name',
    input: topic({ name: 'EVENTS' }),
    error: 'InputError',
    message: /must be lower case/,
  },
  {
    why: 'leading hyphen',
    input: topic({ name: '-events' }),
    error: 'InputError',
    message: /must not start or end with "-"/,
  },
  {
    why: 'trailing hyphen',
    input: topic({ name: 'events-' }),
    error: 'InputError',
    message: /must not start or end with "-"/,
  },
  {
    why: 'a lone hyphen',
    input: topic({ name: '-' }),
    error: 'InputError',
    message: /must not start or end with "-"/,
  },
  {
    why: 'empty name',
    input: topic({ name: '' }),
    error: 'InputError',
    message: /name is required/,
  },
  {
    why: 'missing name',
    input: topic({ name: undefined }),
    error: 'InputError',
    message: /name is required/,
  },
  {
    why: 'name one too long for <workspace>-<name>',
    input: topic({ name: 'a'.repeat(57) }),
    error: 'InputError',
    message: /must fit in 63 characters, so at most 56/,
  },
  {
    why: 'far too long name',
    input: topic({ name: 'a'.repeat(200) }),
    error: 'InputError',
    message: /too long/,
  },
  {
    why: 'underscore',
    input: topic({ name: 'my_events' }),
    error: 'InputError',
    message: /only lower-case letters, digits and "-"/,
  },
  {
    why: 'dot',
    input: topic({ name: 'my.events' }),
    error: 'InputError',
    message: /only lower-case letters, digits and "-"/,
  },
  {
    why: 'space',
    input: topic({ name: 'my events' }),
    error: 'InputError',
    message: /only lower-case letters, digits and "-"/,
  },
  {
    why: 'path traversal in the name',
    input: topic({ name: '../../etc' }),
    error: 'InputError',
    message: /only lower-case letters|must not start/,
  },
  {
    why: 'slash in the name',
    input: topic({ name: 'a/b' }),
    error: 'InputError',
    message: /only lower-case letters, digits and "-"/,
  },
  {
    why: 'newline in the name',
    input: topic({ name: 'events\nkind: Secret' }),
    error: 'InputError',
    message: /single line/,
  },
  {
    why: 'carriage return in the name',
    input: topic({ name: 'ev\rents' }),
    error: 'InputError',
    message: /single line/,
  },
  {
    why: 'name repeating the workspace prefix',
    input: topic({ name: 'team-a-events' }),
    error: 'InputError',
    message: /must not repeat the workspace prefix/,
  },
  {
    why: 'non-ASCII letters',
    input: topic({ name: 'évents' }),
    error: 'InputError',
    message: /only lower-case letters, digits and "-"/,
  },
  {
    why: 'CEL syntax in the name',
    input: topic({ name: '${schema.spec}' }),
    error: 'InputError',
    message: /only lower-case letters, digits and "-"/,
  },
  {
    why: 'a name that is not a string',
    input: topic({ name: 42 }),
    error: 'InputError',
    message: /name/,
  },
  // taken names
  {
    why: 'name of an existing Topic',
    input: topic({ name: 'orders' }),
    error: 'ConflictError',
    message: /already taken in workspace team-a by Topic team-a-orders/,
  },
  {
    why: 'name of an existing WebApplication (unique across kinds)',
    input: topic({ name: 'web' }),
    error: 'ConflictError',
    message: /by WebApplication team-a-web/,
  },
  {
    why: 'name of an existing Infrastructure (unique across kinds)',
    input: { ...web({}), name: 'data' },
    error: 'ConflictError',
    message: /by Infrastructure team-a-data/,
  },
  {
    why: 'name whose Deployment Infrastructure data already creates (its Redis)',
    input: { ...web({}), name: 'data-redis' },
    error: 'ConflictError',
    message:
      /would make KRO create Deployment team-a\/team-a-data-redis, which Infrastructure team-a-data already creates/,
  },
  // workspace names
  {
    why: 'reserved kube-system',
    input: ws({ workspace: 'kube-system' }),
    error: 'InputError',
    message: /reserved for the platform/,
  },
  {
    why: 'reserved flux-system',
    input: ws({ workspace: 'flux-system' }),
    error: 'InputError',
    message: /reserved for the platform/,
  },
  {
    why: 'reserved kafka (a Core namespace)',
    input: ws({ workspace: 'kafka' }),
    error: 'InputError',
    message: /reserved for the platform/,
  },
  {
    why: 'reserved kro-system (a Core namespace)',
    input: ws({ workspace: 'kro-system' }),
    error: 'InputError',
    message: /reserved for the platform/,
  },
  {
    why: 'reserved cnpg-system (a Core namespace)',
    input: ws({ workspace: 'cnpg-system' }),
    error: 'InputError',
    message: /reserved for the platform/,
  },
  {
    why: 'reserved default',
    input: ws({ workspace: 'default' }),
    error: 'InputError',
    message: /reserved for the platform/,
  },
  {
    why: 'any kube- prefix',
    input: ws({ workspace: 'kube-team' }),
    error: 'InputError',
    message: /reserved for the platform/,
  },
  {
    why: 'upper case workspace',
    input: ws({ workspace: 'Team-C' }),
    error: 'InputError',
    message: /must be lower case/,
  },
  {
    why: 'workspace starting with a digit',
    input: ws({ workspace: '1team' }),
    error: 'InputError',
    message: /must start with a letter/,
  },
  {
    why: 'workspace longer than 63',
    input: ws({ workspace: 'a'.repeat(64) }),
    error: 'InputError',
    message: /longer than 63 characters/,
  },
  {
    why: 'path traversal as a workspace',
    input: ws({ workspace: '../team-a' }),
    error: 'InputError',
    message: /workspace name/,
  },
  {
    why: 'newline in a workspace',
    input: ws({ workspace: 'team-c\n' }),
    error: 'InputError',
    message: /single line/,
  },
  {
    why: 'existing workspace',
    input: ws({ workspace: 'team-a' }),
    error: 'ConflictError',
    message: /already taken in the platform by Workspace team-a/,
  },
  {
    why: 'a workspace named unlike itself',
    input: ws({ name: 'other' }),
    error: 'InputError',
    message: /named after itself/,
  },
  // unknown workspace, kind, owner
  {
    why: 'unknown workspace',
    input: topic({ workspace: 'team-z' }),
    error: 'InputError',
    message: /workspace "team-z" does not exist/,
  },
  {
    why: 'path traversal as the workspace of a request',
    input: topic({ workspace: '../gitops' }),
    error: 'InputError',
    message: /workspace name/,
  },
  {
    why: 'empty workspace',
    input: topic({ workspace: '' }),
    error: 'InputError',
    message: /workspace name is required/,
  },
  {
    why: 'unknown kind',
    input: topic({ kind: 'Bucket' }),
    error: 'InputError',
    message: /Unknown kind "Bucket"/,
  },
  {
    why: 'path traversal as a kind',
    input: topic({ kind: '../Topic' }),
    error: 'InputError',
    message: /Unknown kind/,
  },
  {
    why: 'a user as owner',
    input: topic({ owner: 'user:default/guest' }),
    error: 'InputError',
    message: /must be a Group/,
  },
  {
    why: 'a group of another namespace as owner',
    input: topic({ owner: 'group:other/team-a' }),
    error: 'InputError',
    message: /must be a Group in the default namespace/,
  },
  {
    why: 'an owner that is no group name',
    input: topic({ owner: 'Team A' }),
    error: 'InputError',
    message: /not a valid Group name/,
  },
  {
    why: 'an empty owner',
    input: topic({ owner: '' }),
    error: 'InputError',
    message: /must be a Group|not a valid Group/,
  },
  // numbers out of range, wrong types
  {
    why: 'zero partitions',
    input: topicSpec({ partitions: 0 }),
    error: 'InputError',
    message: /spec.partitions must be >= 1/,
  },
  {
    why: 'too many partitions',
    input: topicSpec({ partitions: 13 }),
    error: 'InputError',
    message: /spec.partitions must be <= 12/,
  },
  {
    why: 'fractional partitions',
    input: topicSpec({ partitions: 2.5 }),
    error: 'InputError',
    message: /spec.partitions must be a whole number/,
  },
  {
    why: 'partitions as a string',
    input: topicSpec({ partitions: '3' }),
    error: 'InputError',
    message: /spec.partitions must be a whole number/,
  },
  {
    why: 'negative retention',
    input: topicSpec({ retentionHours: -1 }),
    error: 'InputError',
    message: /spec.retentionHours must be >= 1/,
  },
  {
    why: 'too many replicas',
    input: topicSpec({ replicas: 4 }),
    error: 'InputError',
    message: /spec.replicas must be <= 3/,
  },
  {
    why: 'port above 65535',
    input: web({ port: 70000 }),
    error: 'InputError',
    message: /spec.port must be <= 65535/,
  },
  {
    why: 'zero replicas of a web application',
    input: web({ replicas: 0 }),
    error: 'InputError',
    message: /spec.replicas must be >= 1/,
  },
  {
    why: 'four database servers',
    input: infra({ database: { instances: 4 } }),
    error: 'InputError',
    message: /spec.database.instances must be <= 3/,
  },
  {
    why: 'a pod quota of zero',
    input: ws({ spec: { quota: { pods: 0 } } }),
    error: 'InputError',
    message: /spec.quota.pods must be >= 1/,
  },
  {
    why: 'a boolean as a string',
    input: infra({ redis: { enabled: 'yes' } }),
    error: 'InputError',
    message: /spec.redis.enabled must be of type boolean/,
  },
  {
    why: 'a single topic instead of a list',
    input: web({ topics: 'team-a-orders' }),
    error: 'InputError',
    message: /spec.topics must be of type array/,
  },
  {
    why: 'a required field missing',
    input: { ...web({}), spec: { tag: '1.0' } },
    error: 'InputError',
    message: /spec.image is required/,
  },
  // values with newlines, YAML or CEL syntax
  {
    why: 'newline smuggling a second object',
    input: web({ image: 'nginx\n---\nkind: Secret' }),
    error: 'InputError',
    message: /spec.image must be a single line/,
  },
  {
    why: 'a KRO expression in a value',
    input: web({ image: '${schema.metadata.name}' }),
    error: 'InputError',
    message: /spec.image must not contain "\$\{"/,
  },
  {
    why: 'a CEL expression inside a value',
    input: web({ tag: 'v1-${1+1}' }),
    error: 'InputError',
    message: /spec.tag must not contain "\$\{"/,
  },
  {
    why: 'a YAML tag',
    input: web({ image: '!!binary aGVsbG8=' }),
    error: 'InputError',
    message: /spec.image must not start with YAML syntax/,
  },
  {
    why: 'a YAML anchor',
    input: web({ tag: '&anchor' }),
    error: 'InputError',
    message: /spec.tag must not start with YAML syntax/,
  },
  {
    why: 'a YAML alias',
    input: web({ healthPath: '*alias' }),
    error: 'InputError',
    message: /spec.healthPath must not start with YAML syntax/,
  },
  {
    why: 'a YAML flow map',
    input: ws({ spec: { description: '{a: 1}' } }),
    error: 'InputError',
    message: /spec.description must not start with YAML syntax/,
  },
  {
    why: 'a YAML block scalar',
    input: web({ cpu: '| 100m' }),
    error: 'InputError',
    message: /spec.cpu must not start with YAML syntax/,
  },
  {
    why: 'a YAML document marker',
    input: web({ memory: '--- 1Gi' }),
    error: 'InputError',
    message: /spec.memory must not start with YAML syntax/,
  },
  {
    why: 'a tab in a description',
    input: ws({ spec: { description: 'a\tb' } }),
    error: 'InputError',
    message: /spec.description must be a single line/,
  },
  // unknown fields
  {
    why: 'an unknown spec field',
    input: topicSpec({ colour: 'red' }),
    error: 'InputError',
    message: /spec.colour is not a known field/,
  },
  {
    why: 'an unknown nested field',
    input: ws({ spec: { quota: { gpus: 1 } } }),
    error: 'InputError',
    message: /spec.quota.gpus is not a known field/,
  },
  {
    why: 'an unknown field of a nested object',
    input: infra({ redis: { size: 'big' } }),
    error: 'InputError',
    message: /spec.redis.size is not a known field/,
  },
  {
    why: 'an unknown input field',
    input: topic({ namespace: 'kube-system' }),
    error: 'InputError',
    message: /Unrecognized key/,
  },
  {
    why: 'metadata smuggled into the spec',
    input: topicSpec({ metadata: { namespace: 'kube-system' } }),
    error: 'InputError',
    message: /spec.metadata is not a known field/,
  },
  {
    why: 'a spec that is not a map',
    input: topic({ spec: 'partitions: 3' }),
    error: 'InputError',
    message: /spec/,
  },
  // pickers
  {
    why: 'a database that does not exist',
    input: web({ database: 'team-a-nope' }),
    error: 'InputError',
    message:
      /spec.database: workspace team-a has no Infrastructure named "team-a-nope"/,
  },
  {
    why: 'a topic of another kind',
    input: web({ topics: ['team-a-web'] }),
    error: 'InputError',
    message: /spec.topics: workspace team-a has no Topic named "team-a-web"/,
  },
  // who may ask
  {
    why: 'adding to a workspace of another group',
    input: topic({ owner: 'team-b' }),
    user: 'bob',
    error: 'NotAllowedError',
    message: /not a member of group team-a, which owns workspace team-a/,
  },
  {
    why: 'creating a workspace for a group one is not in',
    input: ws({ owner: 'team-b' }),
    error: 'NotAllowedError',
    message: /not a member of group team-b/,
  },
  {
    why: 'requesting for an owner group one is not in',
    input: topic({ owner: 'team-b' }),
    error: 'NotAllowedError',
    message: /not a member of group team-b/,
  },
];
