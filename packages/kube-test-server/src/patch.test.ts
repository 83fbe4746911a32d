import { KubeApiError } from './errors';
import { applyJsonPatch, applyMergePatch, cloneJson, deepEqual } from './patch';

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return (e as KubeApiError).code;
  }
  return undefined;
}

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, replaces arrays and removes nulls without touching the target', () => {
    const target = { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } };
    const result = applyMergePatch(target, {
      a: { c: [3], g: true },
      d: null,
      e: 'scalar',
    });
    expect(result).toEqual({ a: { b: 1, c: [3], g: true }, e: 'scalar' });
    expect(target).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } });
  });

  it('replaces the whole document with a non-object patch', () => {
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = {
    metadata: { labels: { 'a/b': '1' } },
    spec: { list: ['x', 'y'] },
  };

  it('applies add, remove, replace, move, copy and test', () => {
    const result = applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/labels/a~1b', value: '1' },
      { op: 'add', path: '/spec/list/-', value: 'z' },
      { op: 'add', path: '/spec/list/0', value: 'w' },
      { op: 'replace', path: '/spec/list/1', value: 'X' },
      { op: 'remove', path: '/spec/list/2' },
      { op: 'copy', from: '/spec/list', path: '/spec/copy' },
      {
        op: 'move',
        from: '/metadata/labels/a~1b',
        path: '/metadata/labels/moved',
      },
    ]);
    expect(result).toEqual({
      metadata: { labels: { moved: '1' } },
      spec: { list: ['w', 'X', 'z'], copy: ['w', 'X', 'z'] },
    });
    expect(doc.spec.list).toEqual(['x', 'y']);
  });

  it('answers failing operations with 422 and malformed patches with 400', () => {
    expect(
      codeOf(() =>
        applyJsonPatch(doc, [
          { op: 'test', path: '/spec/list/0', value: 'nope' },
        ]),
      ),
    ).toBe(422);
    expect(
      codeOf(() =>
        applyJsonPatch(doc, [{ op: 'remove', path: '/spec/missing' }]),
      ),
    ).toBe(422);
    expect(
      codeOf(() =>
        applyJsonPatch(doc, [
          { op: 'replace', path: '/spec/list/5', value: 1 },
        ]),
      ),
    ).toBe(422);
    expect(
      codeOf(() =>
        applyJsonPatch(doc, [{ op: 'add', path: '/a/b/c', value: 1 }]),
      ),
    ).toBe(422);
    expect(codeOf(() => applyJsonPatch(doc, { op: 'add' }))).toBe(400);
    expect(
      codeOf(() => applyJsonPatch(doc, [{ op: 'frobnicate', path: '/a' }])),
    ).toBe(400);
    expect(
      codeOf(() =>
        applyJsonPatch(doc, [{ op: 'add', path: 'no-slash', value: 1 }]),
      ),
    ).toBe(400);
  });
});

describe('JSON helpers', () => {
  it('compares deeply, ignoring key order and undefined fields', () => {
    expect(
      deepEqual({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] }),
    ).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: '1' })).toBe(false);
    expect(deepEqual([], {})).toBe(false);
  });

  it('copies deeply', () => {
    const original = { a: { b: [1, { c: 2 }] }, d: undefined };
    const copy = cloneJson(original);
    expect(copy).toEqual({ a: { b: [1, { c: 2 }] } });
    expect('d' in copy).toBe(false);
    (copy.a.b[1] as { c: number }).c = 3;
    expect(original.a.b[1]).toEqual({ c: 2 });
  });
});
