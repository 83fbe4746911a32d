import { queueRgd, spaceRgd } from '../__fixtures__/rgds';
import type { KubeObject } from '../kube';
import { abstractionFromRgd, AbstractionError } from './abstraction';
import {
  buildInstance,
  instanceFilePath,
  instanceIdentity,
  kustomizationEntry,
} from './instances';
import { AbstractionRegistry } from './registry';

function withAnnotation(
  rgd: KubeObject,
  key: string,
  value: string | undefined,
): KubeObject {
  const copy = structuredClone(rgd);
  const annotations = {
    ...copy.metadata.annotations,
    [`portal.mini-atlas.io/${key}`]: value,
  };
  if (value === undefined) delete annotations[`portal.mini-atlas.io/${key}`];
  copy.metadata.annotations = annotations as Record<string, string>;
  return copy;
}

describe('abstractionFromRgd', () => {
  it('reads kind, group, scope, schema and overlay', () => {
    const queue = abstractionFromRgd(queueRgd, {
      source: 'foundation/rgds/queue.yaml',
    });
    expect(queue).toMatchObject({
      name: 'queue',
      kind: 'Queue',
      apiVersion: 'test.mini-atlas.io/v1alpha1',
      scope: 'Namespaced',
      isWorkspace: false,
      title: 'Queue',
      icon: 'extension',
      fields: { deadLetter: { picker: 'Queue' } },
      catalog: [
        { kind: 'Resource', type: 'queue' },
        {
          kind: 'Resource',
          type: 'dashboard',
          suffix: '-dash',
          when: '${schema.spec.monitoring.enabled}',
        },
      ],
    });
    expect(queue.specSchema.properties!.size.maximum).toBe(5);
    expect(abstractionFromRgd(spaceRgd)).toMatchObject({
      scope: 'Cluster',
      isWorkspace: true,
    });
  });

  it('reads field titles from the overlay', () => {
    expect(
      abstractionFromRgd(
        withAnnotation(
          queueRgd,
          'fields',
          'deadLetter: {picker: Queue, title: Dead letters}\nsize: {title: Size (GiB)}',
        ),
      ).fields,
    ).toEqual({
      deadLetter: { picker: 'Queue', title: 'Dead letters' },
      size: { title: 'Size (GiB)' },
    });
  });

  it('defaults the catalog mapping to a Resource of the kind', () => {
    expect(
      abstractionFromRgd(withAnnotation(queueRgd, 'catalog', undefined))
        .catalog,
    ).toEqual([{ kind: 'Resource', type: 'queue' }]);
  });

  it.each([
    ['fields', 'nope: {picker: Queue}', 'spec has no field "nope"'],
    ['fields', 'size: {widget: slider}', 'unknown option "widget"'],
    ['fields', 'size: {title: 3}', 'title of "size" must be a text'],
    ['fields', '{{', 'is not valid YAML'],
    ['catalog', '- {kind: Widget, type: x}', 'kind must be one of'],
    [
      'catalog',
      '- {kind: Resource, type: x, colour: red}',
      'unknown key "colour"',
    ],
    ['catalog', '[]', 'non-empty list'],
  ])('refuses a bad %s overlay: %s', (key, value, message) => {
    expect(() =>
      abstractionFromRgd(withAnnotation(queueRgd, key, value), {
        source: 'q.yaml',
      }),
    ).toThrow(
      new RegExp(`^q\\.yaml: .*${message.replace(/[()[\]{}]/g, '\\$&')}`),
    );
  });

  it('refuses a namespaced workspace and malformed resources', () => {
    expect(() =>
      abstractionFromRgd(withAnnotation(queueRgd, 'workspace', 'true')),
    ).toThrow('scope: Cluster');
    const twice = structuredClone(queueRgd);
    twice.spec.resources.push(twice.spec.resources[0]);
    expect(() => abstractionFromRgd(twice)).toThrow('declared twice');
    const reserved = structuredClone(spaceRgd);
    reserved.spec.resources[0].id = 'namespace';
    expect(() => abstractionFromRgd(reserved)).toThrow(
      'resource id "namespace" is reserved in CEL',
    );
    const bad = structuredClone(queueRgd);
    bad.spec.schema.spec.size = 'integer | default=lots';
    expect(() => abstractionFromRgd(bad)).toThrow(AbstractionError);
  });
});

describe('AbstractionRegistry', () => {
  it('looks kinds up and lists the workspace first', () => {
    const registry = AbstractionRegistry.fromRgds([
      { object: queueRgd },
      { object: spaceRgd },
    ]);
    expect(registry.list().map(a => a.kind)).toEqual(['Space', 'Queue']);
    expect(registry.get('queue')?.kind).toBe('Queue');
    expect(registry.workspace().kind).toBe('Space');
    expect(registry.requestKinds().map(a => a.kind)).toEqual(['Queue']);
    expect(
      registry.forObject({
        apiVersion: 'test.mini-atlas.io/v1alpha1',
        kind: 'Queue',
      }),
    ).toBeDefined();
    expect(
      registry.forObject({ apiVersion: 'other/v1', kind: 'Queue' }),
    ).toBeUndefined();
  });

  it('refuses duplicate kinds, unknown pickers and a missing workspace', () => {
    expect(() =>
      AbstractionRegistry.fromRgds([
        { object: spaceRgd },
        { object: spaceRgd, source: 'b.yaml' },
      ]),
    ).toThrow('already declared');
    const picky = withAnnotation(
      queueRgd,
      'fields',
      'deadLetter: {picker: Nothing}',
    );
    expect(() =>
      AbstractionRegistry.fromRgds([{ object: spaceRgd }, { object: picky }]),
    ).toThrow('not a kind of request');
    expect(() => AbstractionRegistry.fromRgds([{ object: queueRgd }])).toThrow(
      'exactly one abstraction',
    );
  });
});

describe('instances', () => {
  const registry = AbstractionRegistry.fromRgds([
    { object: queueRgd },
    { object: spaceRgd },
  ]);
  const queue = registry.get('Queue')!;
  const space = registry.workspace();

  it('builds requests named <workspace>-<name> in the workspace namespace', () => {
    expect(
      buildInstance(queue, {
        workspace: 'team-a',
        name: 'jobs',
        owner: 'group:default/team-a',
        spec: { size: 3 },
      }),
    ).toEqual({
      apiVersion: 'test.mini-atlas.io/v1alpha1',
      kind: 'Queue',
      metadata: {
        name: 'team-a-jobs',
        namespace: 'team-a',
        labels: { 'mini-atlas.io/owner': 'team-a' },
      },
      spec: { size: 3 },
    });
    expect(instanceFilePath(queue, 'team-a', 'jobs')).toBe(
      'workspaces/team-a/queue-jobs.yaml',
    );
    expect(kustomizationEntry(queue, 'team-a', 'jobs')).toEqual({
      kustomization: 'workspaces/team-a/kustomization.yaml',
      entry: 'queue-jobs.yaml',
    });
  });

  it('builds workspaces cluster-scoped with spec.owner filled', () => {
    const instance = buildInstance(space, {
      workspace: 'team-b',
      name: 'team-b',
      owner: 'team-b',
    });
    expect(instance.metadata).toEqual({
      name: 'team-b',
      labels: { 'mini-atlas.io/owner': 'team-b' },
    });
    expect(instance.spec).toEqual({ owner: 'team-b' });
    expect(kustomizationEntry(space, 'team-b', 'team-b')).toEqual({
      kustomization: 'workspaces/kustomization.yaml',
      entry: 'team-b/space.yaml',
    });
    expect(instanceIdentity(space, instance)).toEqual({
      workspace: 'team-b',
      name: 'team-b',
    });
  });
});
