import {
  evaluateExpression,
  ExpressionError,
  expressionReferences,
  findExpressions,
  isStandaloneExpression,
  parseExpression,
} from './expressions';

describe('findExpressions', () => {
  it('finds expressions, matching braces of map literals and braces in strings', () => {
    expect(
      findExpressions(
        'https://${svc.metadata.name}.${schema.metadata.namespace}:80',
      ),
    ).toEqual([
      { expression: 'svc.metadata.name', start: 8, end: 28 },
      { expression: 'schema.metadata.namespace', start: 29, end: 57 },
    ]);
    expect(findExpressions('${ {"a": "}"} }')[0].expression).toBe('{"a": "}"}');
    expect(findExpressions('no expressions')).toEqual([]);
    expect(() => findExpressions('${schema.spec.x')).toThrow('unterminated');
  });

  it('tells standalone expressions from string templates', () => {
    expect(isStandaloneExpression('${schema.spec.replicas}')).toBe(true);
    expect(isStandaloneExpression('${a}-${b}')).toBe(false);
    expect(isStandaloneExpression('x-${a}')).toBe(false);
  });
});

describe('expressionReferences', () => {
  it('lists selected paths and skips comprehension variables', () => {
    expect(
      expressionReferences(
        'schema.spec.name + "-" + deployment.status.replicas',
      ),
    ).toEqual([
      ['schema', 'spec', 'name'],
      ['deployment', 'status', 'replicas'],
    ]);
    expect(
      expressionReferences(
        'topic.status.conditions.exists(c, c.type == "Ready" && c.status == schema.spec.want)',
      ),
    ).toEqual([
      ['topic', 'status', 'conditions'],
      ['schema', 'spec', 'want'],
    ]);
    expect(
      expressionReferences('has(schema.spec.host) ? schema.spec.host : "x"'),
    ).toEqual([
      ['schema', 'spec', 'host'],
      ['schema', 'spec', 'host'],
    ]);
    expect(expressionReferences('items[0].name')).toEqual([['items']]);
  });

  it('rejects what is not CEL, such as optionals', () => {
    expect(() => parseExpression('schema.spec.?host')).toThrow(
      /invalid CEL "schema.spec.\?host"/,
    );
    expect(() => parseExpression('a +')).toThrow('invalid CEL');
  });
});

describe('evaluateExpression', () => {
  it('evaluates with Kubernetes number semantics and returns plain values', () => {
    expect(
      evaluateExpression('string(schema.spec.hours * 3600000)', {
        schema: { spec: { hours: 168 } },
      }),
    ).toBe('604800000');
    expect(evaluateExpression('[1, 2].map(i, i * 2)', {})).toEqual([2, 4]);
    expect(evaluateExpression('{"a": [true]}', {})).toEqual({ a: [true] });
    expect(
      evaluateExpression('x.join(",").upperAscii()', { x: ['a', 'b'] }),
    ).toBe('A,B');
    expect(evaluateExpression('has(s.host) ? s.host : "none"', { s: {} })).toBe(
      'none',
    );
    expect(
      evaluateExpression('size(m) == 2 && "k" in m', { m: { k: 1, j: 2 } }),
    ).toBe(true);
  });

  it('throws ExpressionError for missing fields', () => {
    expect(() => evaluateExpression('s.missing', { s: {} })).toThrow(
      ExpressionError,
    );
  });
});
