import { KubeApiError } from './errors';
import {
  matchesLabels,
  matchesSelectors,
  parseFieldSelector,
  parseLabelSelector,
  parseSelectors,
} from './selectors';

describe('label selectors', () => {
  it('parses every operator, keeping commas inside parentheses', () => {
    expect(
      parseLabelSelector(
        'a=b, c==d,e!=f,g in (h, i),j notin (k),l,!m,n>3,o<-1,p.io/q=',
      ),
    ).toEqual([
      { key: 'a', operator: '=', values: ['b'] },
      { key: 'c', operator: '=', values: ['d'] },
      { key: 'e', operator: '!=', values: ['f'] },
      { key: 'g', operator: 'in', values: ['h', 'i'] },
      { key: 'j', operator: 'notin', values: ['k'] },
      { key: 'l', operator: 'exists', values: [] },
      { key: 'm', operator: '!exists', values: [] },
      { key: 'n', operator: 'gt', values: ['3'] },
      { key: 'o', operator: 'lt', values: ['-1'] },
      { key: 'p.io/q', operator: '=', values: [''] },
    ]);
    expect(parseLabelSelector('  ')).toEqual([]);
  });

  it.each([
    'a in b',
    'a=b=c',
    '=b',
    'a in (b',
    'a notin (b c)',
    'a=b c',
    'A_/b=c',
    'a,,b',
  ])('rejects %p with a 400', selector => {
    let error: unknown;
    try {
      parseLabelSelector(selector);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(400);
  });

  it.each([
    ['app=web', { app: 'web' }, true],
    ['app=web', { app: 'api' }, false],
    ['app!=web', {}, true], // a missing label is "not equal"
    ['app!=web', { app: 'web' }, false],
    ['app in (web,api)', { app: 'api' }, true],
    ['app in (web,api)', {}, false],
    ['app notin (web)', {}, true],
    ['app notin (web)', { app: 'web' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: '' }, false],
    ['!app', undefined, true],
    ['n>3', { n: '4' }, true],
    ['n>3', { n: '3' }, false],
    ['n<3', { n: 'x' }, false],
    ['app=web,tier=db', { app: 'web', tier: 'db' }, true],
    ['app=web,tier=db', { app: 'web' }, false],
  ] as const)('%s on %j is %s', (selector, labels, expected) => {
    expect(
      matchesLabels(
        parseLabelSelector(selector),
        labels as Record<string, string> | undefined,
      ),
    ).toBe(expected);
  });
});

describe('field selectors', () => {
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', namespace: 'team-a' },
  };

  it('supports metadata.name and metadata.namespace', () => {
    expect(parseFieldSelector('metadata.name=a,metadata.namespace!=b')).toEqual(
      [
        { field: 'metadata.name', operator: '=', value: 'a' },
        { field: 'metadata.namespace', operator: '!=', value: 'b' },
      ],
    );
    expect(
      matchesSelectors(parseSelectors('', 'metadata.name==a'), object),
    ).toBe(true);
    expect(
      matchesSelectors(parseSelectors('', 'metadata.namespace=team-b'), object),
    ).toBe(false);
    expect(
      matchesSelectors(
        parseSelectors(undefined, 'metadata.namespace!=team-b'),
        object,
      ),
    ).toBe(true);
    // Cluster-scoped objects have an empty namespace.
    expect(
      matchesSelectors(parseSelectors('', 'metadata.namespace='), {
        ...object,
        metadata: { name: 'a' },
      }),
    ).toBe(true);
  });

  it('rejects other fields like kube-apiserver does for custom resources', () => {
    expect(() => parseFieldSelector('status.phase=Running')).toThrow(
      'field label not supported: status.phase',
    );
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      /invalid selector/,
    );
  });
});
