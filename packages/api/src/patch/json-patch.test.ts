import { describe, expect, it } from 'vitest';
import { applyJsonPatch, decodeJsonPatch, escapeJsonPointerToken, parseJsonPointer } from './json-patch.js';
import { PatchError } from './patch-error.js';

function failure(doc: unknown, patch: unknown): PatchError {
  try {
    applyJsonPatch(doc, patch);
  } catch (err) {
    if (err instanceof PatchError) return err;
    throw err;
  }
  throw new Error('patch unexpectedly applied');
}

describe('JSON pointers (RFC 6901)', () => {
  it.each([
    ['', []],
    ['/', ['']],
    ['/foo', ['foo']],
    ['/foo/0', ['foo', '0']],
    ['/a~1b', ['a/b']],
    ['/m~0n', ['m~n']],
    ['/~01', ['~1']],
    ['/~10', ['/0']],
    ['/c%d', ['c%d']],
    ['/ ', [' ']],
    ['/metadata/annotations/kubectl.kubernetes.io~1restartedAt', ['metadata', 'annotations', 'kubectl.kubernetes.io/restartedAt']],
  ])('%j → %j', (pointer, tokens) => {
    expect(parseJsonPointer(pointer)).toEqual(tokens);
  });

  it.each(['foo', '/a~', '/a~2b', '#/a'])('%j is invalid', (pointer) => {
    expect(() => parseJsonPointer(pointer)).toThrow(PatchError);
  });

  it('escapes tokens', () => {
    expect(escapeJsonPointerToken('a/b~c')).toBe('a~1b~0c');
    expect(parseJsonPointer(`/${escapeJsonPointerToken('~1/')}`)).toEqual(['~1/']);
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  // Appendix A of RFC 6902, plus Kubernetes-shaped cases.
  it.each([
    ['add an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { foo: 'bar', baz: 'qux' }],
    ['add an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['remove an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'move a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    ['move an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    ['add a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['ignore unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['add a null value', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: null }], { foo: 'bar', baz: null }],
    ['add an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    ['append with -', { a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }], { a: [1, 2, 3] }],
    ['insert at the end index', { a: [1, 2] }, [{ op: 'add', path: '/a/2', value: 3 }], { a: [1, 2, 3] }],
    ['replace the whole document', { a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], { b: 2 }],
    ['add replaces an existing member', { a: 1 }, [{ op: 'add', path: '/a', value: 2 }], { a: 2 }],
    ['copy', { a: { b: [1] } }, [{ op: 'copy', from: '/a/b', path: '/c' }], { a: { b: [1] }, c: [1] }],
    ['test then replace', { a: { b: 'c' } }, [{ op: 'test', path: '/a', value: { b: 'c' } }, { op: 'replace', path: '/a/b', value: 'd' }], { a: { b: 'd' } }],
    ['test ignores key order', { a: { x: 1, y: 2 } }, [{ op: 'test', path: '/a', value: { y: 2, x: 1 } }], { a: { x: 1, y: 2 } }],
    ['escaped keys', { 'a/b': 1, 'm~n': 2 }, [{ op: 'replace', path: '/a~1b', value: 3 }, { op: 'remove', path: '/m~0n' }], { 'a/b': 3 }],
    ['empty key', { '': 1 }, [{ op: 'replace', path: '/', value: 2 }], { '': 2 }],
    ['move to the same place', { a: 1 }, [{ op: 'move', from: '/a', path: '/a' }], { a: 1 }],
    [
      'kubectl rollout undo shaped patch',
      { spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'x' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } } } },
      [{ op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } }],
      { spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } } },
    ],
    [
      'add an annotation whose key has a slash',
      { metadata: { annotations: {} } },
      [{ op: 'add', path: '/metadata/annotations/kubectl.kubernetes.io~1restartedAt', value: 'now' }],
      { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } },
    ],
    ['an empty patch', { a: 1 }, [], { a: 1 }],
  ])('%s', (_name, doc, patch, expected) => {
    expect(applyJsonPatch(doc, patch)).toEqual(expected);
  });

  it.each([
    ['remove a missing member', { a: 1 }, [{ op: 'remove', path: '/b' }], 'PathNotFound', 422],
    ['replace a missing member', { a: 1 }, [{ op: 'replace', path: '/b', value: 1 }], 'PathNotFound', 422],
    ['add below a missing parent', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'PathNotFound', 422],
    ['add past the end of an array', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/3', value: 'x' }], 'BadIndex', 422],
    ['add with a leading-zero index', { foo: [1, 2] }, [{ op: 'add', path: '/foo/01', value: 'x' }], 'BadIndex', 422],
    ['add with a non-numeric index', { foo: [1] }, [{ op: 'add', path: '/foo/bar', value: 'x' }], 'BadIndex', 422],
    ['remove at array length', { foo: [1] }, [{ op: 'remove', path: '/foo/1' }], 'PathNotFound', 422],
    ['remove with -', { foo: [1] }, [{ op: 'remove', path: '/foo/-' }], 'PathNotFound', 422],
    ['a failed test', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'TestFailed', 422],
    ['test a number against a string', { baz: 1 }, [{ op: 'test', path: '/baz', value: '1' }], 'TestFailed', 422],
    ['test a missing path', { baz: 1 }, [{ op: 'test', path: '/nope', value: null }], 'TestFailed', 422],
    ['move into its own child', { a: { b: {} } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], 'BadOperation', 422],
    ['move from a missing path', { a: 1 }, [{ op: 'move', from: '/x', path: '/y' }], 'PathNotFound', 422],
    ['copy from a missing path', { a: 1 }, [{ op: 'copy', from: '/x', path: '/y' }], 'PathNotFound', 422],
    ['an unknown op', { a: 1 }, [{ op: 'merge', path: '/a' }], 'BadOperation', 422],
    ['a missing value', { a: 1 }, [{ op: 'add', path: '/b' }], 'BadOperation', 422],
    ['a missing from', { a: 1 }, [{ op: 'copy', path: '/b' }], 'BadOperation', 422],
    ['a missing path', { a: 1 }, [{ op: 'remove' }], 'BadOperation', 422],
    ['a pointer without a leading slash', { a: 1 }, [{ op: 'remove', path: 'a' }], 'BadOperation', 422],
    ['removing the root', { a: 1 }, [{ op: 'remove', path: '' }], 'BadOperation', 422],
    ['a body that is not an array', { a: 1 }, { op: 'remove', path: '/a' }, 'BadPatchDocument', 400],
    ['an operation that is not an object', { a: 1 }, ['remove'], 'BadOperation', 422],
    ['traversing a scalar', { a: 1 }, [{ op: 'add', path: '/a/b', value: 1 }], 'PathNotFound', 422],
  ])('%s fails with %s', (_name, doc, patch, code, status) => {
    const err = failure(doc, patch);
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.message.length).toBeGreaterThan(10);
  });

  it('names the failing operation in the message', () => {
    const err = failure({ a: 1 }, [{ op: 'add', path: '/b', value: 1 }, { op: 'remove', path: '/zz' }]);
    expect(err.message).toMatch(/^operation 1 \(remove "\/zz"\): path not found: missing key "zz"/);
  });

  it('is atomic and never modifies its inputs', () => {
    const doc = { a: [1, 2], b: { c: 1 } };
    const patch = [
      { op: 'add', path: '/a/-', value: { x: 1 } },
      { op: 'remove', path: '/b/c' },
    ];
    const before = JSON.stringify({ doc, patch });
    const result = applyJsonPatch(doc, patch) as { a: unknown[] };
    expect(JSON.stringify({ doc, patch })).toBe(before);
    (result.a[2] as { x: number }).x = 5;
    expect(patch[0]).toEqual({ op: 'add', path: '/a/-', value: { x: 1 } });
    failure(doc, [{ op: 'remove', path: '/a/0' }, { op: 'remove', path: '/missing' }]);
    expect(JSON.stringify({ doc, patch })).toBe(before);
  });

  it('copies deeply so later operations do not alias', () => {
    const result = applyJsonPatch({ a: { b: 1 } }, [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'replace', path: '/c/b', value: 2 },
    ]);
    expect(result).toEqual({ a: { b: 1 }, c: { b: 2 } });
  });

  it('validates a body without applying it', () => {
    expect(decodeJsonPatch([{ op: 'test', path: '/a', value: 1 }])).toHaveLength(1);
    expect(() => decodeJsonPatch('nope')).toThrow(PatchError);
  });
});
