import { describe, expect, it } from 'vitest';
import { canonicalJson, deepEqual, semanticEqual, semanticJson } from './equality.js';

describe('equality of JSON values', () => {
  it('deepEqual: structure, not key order; absent equals undefined; null and empty are values', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: null }, {})).toBe(false);
    expect(deepEqual({ a: [] }, {})).toBe(false);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
  });

  it('semanticEqual: nil and empty are the same (apimachinery Semantic.DeepEqual)', () => {
    expect(semanticEqual({ metadata: { creationTimestamp: null }, spec: { resources: {} } }, { metadata: {}, spec: {} })).toBe(true);
    expect(semanticEqual({ a: [] }, {})).toBe(true);
    expect(semanticEqual({ a: 1 }, { a: 2 })).toBe(false);
  });

  it('canonical forms sort keys (and their output is stable: hashes are made from them)', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 2 } })).toBe('{"a":{"c":2,"d":null},"b":1}');
    expect(semanticJson({ b: 1, a: { d: null, c: 2 }, e: [] })).toBe('{"a":{"c":2},"b":1}');
  });
});
