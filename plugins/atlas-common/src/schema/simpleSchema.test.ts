import { parseSimpleField, simpleSchemaToJsonSchema } from './simpleSchema';

describe('parseSimpleField', () => {
  it('reads the type and quoted, bracketed and bare marker values', () => {
    expect(
      parseSimpleField(
        'string | required=true default="a b \\"c\\"" enum="x,y" pattern="^[a-z]+$"',
      ),
    ).toEqual({
      type: 'string',
      markers: {
        required: 'true',
        default: 'a b "c"',
        enum: 'x,y',
        pattern: '^[a-z]+$',
      },
    });
    expect(
      parseSimpleField('\'[]string\' | default=["a", "b"]'.replace(/'/g, '')),
    ).toEqual({
      type: '[]string',
      markers: { default: '["a", "b"]' },
    });
    expect(parseSimpleField('integer')).toEqual({
      type: 'integer',
      markers: {},
    });
  });

  it('rejects malformed markers', () => {
    expect(() => parseSimpleField('string | default')).toThrow('has no value');
    expect(() => parseSimpleField('string | default="open')).toThrow(
      'unterminated',
    );
    expect(() => parseSimpleField('| default=1')).toThrow('has no type');
  });
});

describe('simpleSchemaToJsonSchema', () => {
  it('converts scalars, markers, arrays, maps and nested objects strictly', () => {
    const schema = simpleSchemaToJsonSchema({
      name: 'string | required=true description="The name" minLength=2',
      replicas: 'integer | default=3 minimum=1 maximum=10',
      ratio: 'float | default=0.5',
      on: 'boolean | default=true',
      mode: 'string | enum="a,b" default="a"',
      tags: '[]string | uniqueItems=true maxItems=4',
      labels: 'map[string]string',
      extra: 'object',
      nested: {
        size: 'integer | default=1',
        deep: { flag: 'boolean | default=false' },
      },
      plain: { note: 'string' },
    });
    expect(schema.required).toEqual(['name']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties!.name).toEqual({
      type: 'string',
      description: 'The name',
      minLength: 2,
    });
    expect(schema.properties!.replicas).toEqual({
      type: 'integer',
      default: 3,
      minimum: 1,
      maximum: 10,
    });
    expect(schema.properties!.ratio).toEqual({ type: 'number', default: 0.5 });
    expect(schema.properties!.on).toEqual({ type: 'boolean', default: true });
    expect(schema.properties!.mode).toEqual({
      type: 'string',
      enum: ['a', 'b'],
      default: 'a',
    });
    expect(schema.properties!.tags).toEqual({
      type: 'array',
      items: { type: 'string' },
      uniqueItems: true,
      maxItems: 4,
    });
    expect(schema.properties!.labels).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(schema.properties!.extra).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    // objects whose fields have defaults default to {} so the inner defaults apply
    expect(schema.properties!.nested.default).toEqual({});
    expect(schema.properties!.nested.properties!.deep.default).toEqual({});
    expect(schema.properties!.plain.default).toBeUndefined();
  });

  it('resolves custom types and rejects unknown ones', () => {
    const schema = simpleSchemaToJsonSchema(
      { people: '[]Person | required=true' },
      { Person: { name: 'string | required=true', age: 'integer' } },
    );
    expect(schema.properties!.people.items!.required).toEqual(['name']);
    expect(() => simpleSchemaToJsonSchema({ x: 'Widget' })).toThrow(
      'spec.x: unknown type "Widget"',
    );
    expect(() =>
      simpleSchemaToJsonSchema({ x: 'Loop' }, { Loop: { y: 'Loop' } }),
    ).toThrow('refers to itself');
  });

  it('names the field of a bad marker', () => {
    expect(() =>
      simpleSchemaToJsonSchema({ a: { b: 'integer | default=x' } }),
    ).toThrow('spec.a.b: "x" is not a valid integer');
    expect(() =>
      simpleSchemaToJsonSchema({ a: 'string | colour="red"' }),
    ).toThrow('spec.a: unknown marker "colour"');
    expect(() =>
      simpleSchemaToJsonSchema({ a: 'string | pattern="(["' }),
    ).toThrow('not a valid regular expression');
  });
});
