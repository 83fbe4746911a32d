import { queueRgd, spaceRgd } from '../__fixtures__/rgds';
import { abstractionFromRgd } from '../registry/abstraction';
import { checkAbstraction } from './checkAbstraction';
import { renderInstance, RenderError } from './render';

const queue = abstractionFromRgd(queueRgd);
const instance = (spec: Record<string, unknown>) => ({
  apiVersion: 'test.mini-atlas.io/v1alpha1',
  kind: 'Queue',
  metadata: { name: 'team-a-jobs', namespace: 'team-a' },
  spec,
});
const namespaced = (_apiVersion: string, kind: string) => kind !== 'Namespace';

describe('renderInstance', () => {
  it('renders templates in dependency order with defaults, KRO labels and namespaces', () => {
    const result = renderInstance(queue, instance({ tags: ['x', 'y'] }), {
      isNamespaced: namespaced,
    });
    expect(result.instance.spec).toEqual({
      size: 2,
      mode: 'standard',
      deadLetter: '',
      tags: ['x', 'y'],
      monitoring: { enabled: true, interval: '30s' },
    });
    const [consumer, service, monitor, shards] = result.resources;
    const deployment = consumer.objects[0];
    expect(deployment.metadata).toMatchObject({
      name: 'team-a-jobs',
      namespace: 'team-a',
      labels: {
        'kro.run/instance-name': 'team-a-jobs',
        'kro.run/instance-kind': 'Queue',
        'kro.run/node-id': 'consumer',
        'app.kubernetes.io/managed-by': 'kro',
      },
    });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].env).toEqual([
      { name: 'MODE', value: 'STANDARD' },
      { name: 'TAGS', value: 'x,y' },
    ]);
    // a value read from another resource's templated field is known offline...
    expect(service.objects[0].metadata.name).toBe('team-a-jobs-svc');
    expect(monitor.objects[0].data).toEqual({
      interval: '30s',
      target: 'team-a-jobs-svc',
    });
    // ...one from its status is left for KRO
    expect(service.objects[0].spec.clusterIP).toBe('${consumer.status.podIP}');
    expect(service.unknown).toEqual([
      {
        index: 0,
        path: ['spec', 'clusterIP'],
        expression: 'consumer.status.podIP',
      },
    ]);
    expect(shards.objects.map(o => o.metadata.name)).toEqual([
      'team-a-jobs-a',
      'team-a-jobs-b',
    ]);
  });

  it('leaves out resources whose includeWhen is false', () => {
    const result = renderInstance(
      queue,
      instance({ tags: [], monitoring: { enabled: false } }),
    );
    expect(result.resources.find(r => r.id === 'monitor')).toMatchObject({
      included: false,
      objects: [],
      reason: 'includeWhen ${schema.spec.monitoring.enabled} is false',
    });
  });

  it('refuses a spec that does not fit the schema, naming every problem', () => {
    let error: RenderError | undefined;
    try {
      renderInstance(
        queue,
        instance({ size: 9, mode: 'lifo', colour: 'red', tags: [] }),
      );
    } catch (e) {
      error = e as RenderError;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect(error!.problems).toEqual(
      expect.arrayContaining([
        { path: 'spec.size', message: 'must be <= 5' },
        { path: 'spec.mode', message: 'must be one of "fifo", "standard"' },
        { path: 'spec.colour', message: 'is not a known field' },
      ]),
    );
  });

  it('reports an expression that fails on the instance', () => {
    // tags has no default: joining a missing list fails, as it would in KRO
    expect(() => renderInstance(queue, instance({}))).toThrow(
      /consumer: .*schema.spec.tags.join/,
    );
  });
});

describe('checkAbstraction', () => {
  it('finds nothing wrong in well-formed RGDs', () => {
    expect(checkAbstraction(queue)).toEqual([]);
    expect(checkAbstraction(abstractionFromRgd(spaceRgd))).toEqual([]);
  });

  it('names undeclared fields, unknown ids, bad syntax and misplaced references', () => {
    const broken = structuredClone(queueRgd);
    const consumer = broken.spec.resources[0];
    consumer.template.spec.replicas = '${schema.spec.sise}';
    consumer.template.metadata.name = '${deploymnet.metadata.name}';
    consumer.template.spec.template.spec.containers[0].image =
      '${schema.spec.?image}';
    consumer.readyWhen = ['${service.status.ready}', 'ready'];
    broken.spec.resources[2].includeWhen = ['${schema.status.x}'];
    const problems = checkAbstraction(abstractionFromRgd(broken)).map(
      p => `${p.location}: ${p.message}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'resources[consumer].template.spec.replicas: ${schema.spec.sise}: schema.spec.sise is not a declared field of the schema',
        expect.stringMatching(
          /^resources\[consumer\].template.metadata.name: .*unknown identifier "deploymnet"/,
        ),
        expect.stringMatching(
          /^resources\[consumer\].template.spec.template.spec.containers.0.image: invalid CEL/,
        ),
        'resources[consumer].readyWhen[0]: ${service.status.ready}: service may not be referenced here',
        'resources[consumer].readyWhen[1]: "ready" must be a single ${...} expression',
        expect.stringMatching(
          /^resources\[monitor\].includeWhen\[0\]: .*schema.status is not available/,
        ),
      ]),
    );
  });

  it('finds dependency cycles', () => {
    const cyclic = structuredClone(queueRgd);
    cyclic.spec.resources[0].template.metadata.name =
      '${service.metadata.name}';
    expect(checkAbstraction(abstractionFromRgd(cyclic))).toContainEqual({
      location: 'resources',
      message: expect.stringContaining(
        'cycle: consumer -> service -> consumer',
      ),
    });
  });
});
