import { queueRgd, spaceRgd } from '../__fixtures__/rgds';
import type { KubeObject } from '../kube';
import { abstractionFromRgd, AbstractionError } from '../registry/abstraction';
import {
  catalogEntityName,
  catalogEntityRef,
  instanceCatalogEntities,
  instanceRefOf,
  parseInstanceRef,
  stringifyInstanceRef,
} from './entities';

function withCatalog(rgd: KubeObject, catalog: string): KubeObject {
  const copy = structuredClone(rgd);
  copy.metadata.annotations = {
    ...copy.metadata.annotations,
    'portal.mini-atlas.io/catalog': catalog,
  };
  return copy;
}

const queue = abstractionFromRgd(queueRgd);

function queueInstance(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'test.mini-atlas.io/v1alpha1',
    kind: 'Queue',
    metadata: { name: 'team-a-jobs', namespace: 'team-a' },
    spec,
  };
}

describe('instance references', () => {
  it('round-trips namespaced and cluster-scoped instances', () => {
    const namespaced = instanceRefOf(queueInstance({}));
    expect(stringifyInstanceRef(namespaced)).toBe(
      'test.mini-atlas.io/v1alpha1/Queue/team-a/team-a-jobs',
    );
    expect(
      parseInstanceRef('test.mini-atlas.io/v1alpha1/Queue/team-a/team-a-jobs'),
    ).toEqual(namespaced);
    const workspace = {
      apiVersion: 'test.mini-atlas.io/v1alpha1',
      kind: 'Space',
      name: 'team-a',
    };
    expect(stringifyInstanceRef(workspace)).toBe(
      'test.mini-atlas.io/v1alpha1/Space/team-a',
    );
    expect(
      parseInstanceRef('test.mini-atlas.io/v1alpha1/Space/team-a'),
    ).toEqual(workspace);
  });

  it('rejects anything else with an InputError', () => {
    for (const bad of ['team-a', 'a/b/c', 'g/v/K//n', 'g/v/K/ns/n/extra']) {
      expect(() => parseInstanceRef(bad)).toThrow(
        expect.objectContaining({ name: 'InputError' }),
      );
    }
  });
});

describe('catalogEntityName', () => {
  it('is the instance name plus the suffix', () => {
    expect(catalogEntityName('team-a-data', '-db')).toBe('team-a-data-db');
    expect(catalogEntityName('team-a-web')).toBe('team-a-web');
    expect(catalogEntityRef('Component', 'team-a-web')).toBe(
      'component:default/team-a-web',
    );
  });

  it('cuts a name longer than 63 characters and keeps it unique with a hash', () => {
    const long = `${'w'.repeat(30)}-${'n'.repeat(32)}`; // 63 characters
    const a = catalogEntityName(long, '-cache');
    const b = catalogEntityName(`${long.slice(0, -1)}m`, '-cache');
    expect(a).toHaveLength(63);
    expect(a).toMatch(/^w{30}-n+-[0-9a-f]{8}-cache$/);
    expect(b).toHaveLength(63);
    expect(a).not.toBe(b);
    expect(catalogEntityName(long, '-cache')).toBe(a);
  });
});

describe('instanceCatalogEntities', () => {
  it('applies when conditions to the defaulted spec', () => {
    // monitoring.enabled defaults to true: the dashboard exists
    expect(
      instanceCatalogEntities(queue, queueInstance({})).entities.map(
        e => e.ref,
      ),
    ).toEqual([
      'resource:default/team-a-jobs',
      'resource:default/team-a-jobs-dash',
    ]);
    const { entities, problems } = instanceCatalogEntities(
      queue,
      queueInstance({ monitoring: { enabled: false } }),
    );
    expect(entities.map(e => [e.kind, e.type, e.name])).toEqual([
      ['Resource', 'queue', 'team-a-jobs'],
    ]);
    expect(problems).toEqual([]);
  });

  it('renders the Kubernetes selector of a mapping', () => {
    const abstraction = abstractionFromRgd(
      withCatalog(
        queueRgd,
        '- {kind: Component, type: worker, kubernetes: "app=${schema.metadata.name},size=${string(schema.spec.size)}"}',
      ),
    );
    expect(
      instanceCatalogEntities(abstraction, queueInstance({ size: 3 })).entities,
    ).toEqual([
      expect.objectContaining({
        ref: 'component:default/team-a-jobs',
        kubernetesSelector: 'app=team-a-jobs,size=3',
      }),
    ]);
  });

  it('reports an expression that fails instead of throwing', () => {
    const abstraction = abstractionFromRgd(
      withCatalog(
        queueRgd,
        [
          '- {kind: Resource, type: queue, kubernetes: "app=${schema.spec.nothing}"}',
          '- {kind: Resource, type: dashboard, suffix: -dash, when: "${schema.spec.size}"}',
        ].join('\n'),
      ),
    );
    const { entities, problems } = instanceCatalogEntities(
      abstraction,
      queueInstance({}),
    );
    expect(entities).toEqual([
      expect.objectContaining({ name: 'team-a-jobs' }),
    ]);
    expect(entities[0].kubernetesSelector).toBeUndefined();
    expect(problems).toHaveLength(2);
    expect(problems[1]).toContain('not a boolean');
  });

  it('makes a workspace a System named after it', () => {
    const space = abstractionFromRgd(spaceRgd);
    const { entities } = instanceCatalogEntities(space, {
      apiVersion: 'test.mini-atlas.io/v1alpha1',
      kind: 'Space',
      metadata: { name: 'team-a' },
      spec: { owner: 'team-a' },
    });
    expect(entities.map(e => e.ref)).toEqual(['system:default/team-a']);
  });
});

describe('catalog overlay keys', () => {
  it('reads kubernetes and rejects malformed when and kubernetes', () => {
    expect(
      abstractionFromRgd(
        withCatalog(
          queueRgd,
          '- {kind: Component, type: service, kubernetes: "app=${schema.metadata.name}"}',
        ),
      ).catalog,
    ).toEqual([
      expect.objectContaining({ kubernetes: 'app=${schema.metadata.name}' }),
    ]);
    for (const bad of [
      '- {kind: Component, type: service, kubernetes: ""}',
      '- {kind: Component, type: service, kubernetes: "app=${schema.metadata.name"}',
      '- {kind: Component, type: service, kubernetes: 3}',
      '- {kind: Resource, type: queue, when: "schema.spec.size > 1"}',
    ]) {
      expect(() => abstractionFromRgd(withCatalog(queueRgd, bad))).toThrow(
        AbstractionError,
      );
    }
  });
});
