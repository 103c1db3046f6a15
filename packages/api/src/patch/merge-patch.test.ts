import { describe, expect, it } from 'vitest';
import { mergePatch } from './merge-patch.js';

describe('mergePatch (RFC 7386)', () => {
  // The examples of RFC 7386 Appendix A.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });

  it('does not modify its inputs', () => {
    const target = { metadata: { labels: { a: '1', b: '2' } }, spec: { list: [1, 2] } };
    const patch = { metadata: { labels: { a: null, c: '3' } }, spec: { list: [3] } };
    const before = JSON.stringify([target, patch]);
    const result = mergePatch(target, patch) as typeof target;
    expect(JSON.stringify([target, patch])).toBe(before);
    expect(result).toEqual({ metadata: { labels: { b: '2', c: '3' } }, spec: { list: [3] } });
    (result.spec.list as number[]).push(9);
    expect(patch.spec.list).toEqual([3]);
  });

  it('kubectl label / annotate / scale shaped patches', () => {
    const deploy = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    expect(mergePatch(deploy, { metadata: { labels: { tier: 'front' } } })).toMatchObject({ metadata: { labels: { app: 'web', tier: 'front' } } });
    expect(mergePatch(deploy, { metadata: { labels: { app: null } } })).toMatchObject({ metadata: { name: 'web', labels: {} } });
    expect(mergePatch(deploy, { spec: { replicas: 3 } })).toMatchObject({ spec: { replicas: 3, template: deploy.spec.template } });
  });

  it('keeps "__proto__" as data', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const result = mergePatch({}, patch) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result).sort()).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
