import { describe, expect, it } from 'vitest';
import { PatchError } from './patch-error.js';
import type { PatchMeta } from './patch-meta.js';
import { strategicMergePatch } from './strategic-merge-patch.js';

// A schema like Kubernetes' own test type: one merging list of maps, one of ints, one plain list.
const TEST_META: PatchMeta = {
  mergingList: { merge: true, mergeKey: 'name', fields: { mergingList: { merge: true, mergeKey: 'name' } } },
  mergingIntList: { merge: true },
  nonMergingList: {},
  replacedMap: { replace: true },
};

const smp = (original: unknown, patch: unknown) => strategicMergePatch(original, patch, TEST_META);
const names = (list: unknown) => (list as { name: unknown }[]).map((x) => x.name);

function failure(original: unknown, patch: unknown, kind: string | PatchMeta = TEST_META): PatchError {
  try {
    strategicMergePatch(original, patch, kind);
  } catch (err) {
    if (err instanceof PatchError) return err;
    throw err;
  }
  throw new Error('patch unexpectedly applied');
}

describe('strategicMergePatch: maps', () => {
  it('merges objects recursively and deletes keys set to null', () => {
    expect(smp({ a: 1, m: { x: 1, y: 2 } }, { b: 2, m: { y: null, z: 3 } })).toEqual({ a: 1, b: 2, m: { x: 1, z: 3 } });
  });

  it('ignores nulls for keys that do not exist, also inside new values', () => {
    expect(smp({ a: 1 }, { gone: null, fresh: { keep: 1, drop: null } })).toEqual({ a: 1, fresh: { keep: 1 } });
  });

  it('replaces on a type change and for scalars', () => {
    expect(smp({ a: { x: 1 }, b: [1], c: 'x' }, { a: 'now a string', b: { k: 1 }, c: 5 })).toEqual({ a: 'now a string', b: { k: 1 }, c: 5 });
  });

  it('$patch: replace replaces an object', () => {
    expect(smp({ m: { a: 1, b: 2 } }, { m: { $patch: 'replace', c: 3, d: null } })).toEqual({ m: { c: 3 } });
    expect(smp({ a: 1, b: 2 }, { $patch: 'replace', other: 'a' })).toEqual({ other: 'a' });
  });

  it('$patch: delete empties an object, and drops one that does not exist', () => {
    expect(smp({ m: { a: 1 }, n: 1 }, { m: { $patch: 'delete' } })).toEqual({ m: {}, n: 1 });
    expect(smp({ n: 1 }, { m: { $patch: 'delete' } })).toEqual({ n: 1 });
  });

  it('a field tagged replace is replaced, not merged', () => {
    expect(smp({ replacedMap: { a: 1, b: 2 } }, { replacedMap: { c: 3 } })).toEqual({ replacedMap: { c: 3 } });
  });

  it('rejects an unknown $patch directive', () => {
    const err = failure({ m: {} }, { m: { $patch: 'explode' } });
    expect(err.code).toBe('BadStrategicPatch');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/unknown patch type: "explode"/);
  });

  it('rejects a patch that is not an object', () => {
    for (const bad of [[], 'x', null, 3]) {
      const err = failure({}, bad);
      expect(err.code).toBe('BadPatchDocument');
      expect(err.status).toBe(400);
    }
  });

  it('does not modify its inputs', () => {
    const original = { mergingList: [{ name: 'a', v: 1 }], m: { x: 1 } };
    const patch = { mergingList: [{ name: 'a', v: 2 }, { name: 'b' }], m: { x: null }, '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'b' }] };
    const before = JSON.stringify({ original, patch });
    smp(original, patch);
    expect(JSON.stringify({ original, patch })).toBe(before);
  });
});

describe('strategicMergePatch: merging lists of maps', () => {
  it('merges items by key and keeps server-only items', () => {
    const result = smp(
      { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: 2, other: 'b' }] },
      { mergingList: [{ name: '2', value: 20 }] },
    );
    expect(result).toEqual({ mergingList: [{ name: '1', other: 'a' }, { name: '2', value: 20, other: 'b' }] });
  });

  it('puts new items before the remaining server-only items, as Kubernetes does', () => {
    expect(names((smp({ mergingList: [{ name: 'a' }, { name: 'b' }] }, { mergingList: [{ name: 'c' }] }) as never)['mergingList'])).toEqual(['c', 'a', 'b']);
    // An existing item named first pulls the server-only items before it into place.
    expect(names((smp({ mergingList: [{ name: 'a' }, { name: 'b' }] }, { mergingList: [{ name: 'b' }, { name: 'c' }] }) as never)['mergingList'])).toEqual(['a', 'b', 'c']);
  });

  it('preserves the order from the patch (Kubernetes test cases)', () => {
    const original = { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] };
    expect(smp(original, { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }] })).toEqual({
      mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', value: 'b', other: 'x' }],
    });
    expect(smp(original, { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] })).toEqual({
      mergingList: [{ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }],
    });
  });

  it('merges lists nested inside merged items', () => {
    const result = smp(
      { mergingList: [{ name: 'a', mergingList: [{ name: 'x', v: 1 }, { name: 'y' }] }] },
      { mergingList: [{ name: 'a', mergingList: [{ name: 'y', v: 2 }] }] },
    );
    expect(result).toEqual({ mergingList: [{ name: 'a', mergingList: [{ name: 'x', v: 1 }, { name: 'y', v: 2 }] }] });
  });

  it('$patch: delete removes every item with the key, and ignores missing ones', () => {
    const original = { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }] };
    expect(smp(original, { mergingList: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] })).toEqual({
      mergingList: [{ name: '2', value: 'a' }],
    });
    expect(smp({ mergingList: [{ name: '1' }] }, { mergingList: [{ name: 'zz', $patch: 'delete' }] })).toEqual({ mergingList: [{ name: '1' }] });
  });

  it('$patch: replace replaces the whole list', () => {
    const original = { mergingList: [{ name: '1' }, { name: '2' }] };
    expect(smp(original, { mergingList: [{ $patch: 'replace' }] })).toEqual({ mergingList: [] });
    expect(smp(original, { mergingList: [{ name: '3', x: null }, { $patch: 'replace' }] })).toEqual({ mergingList: [{ name: '3' }] });
  });

  it('an empty patch list changes nothing', () => {
    expect(smp({ mergingList: [{ name: '1' }] }, { mergingList: [] })).toEqual({ mergingList: [{ name: '1' }] });
    expect(smp({ mergingList: [] }, { mergingList: [] })).toEqual({ mergingList: [] });
  });

  it('a new list drops directive items and nulls', () => {
    expect(smp({}, { mergingList: [{ name: 'a', x: null }, { name: 'b', $patch: 'delete' }] })).toEqual({ mergingList: [{ name: 'a' }] });
  });

  it('errors: a missing merge key, $patch: merge in a list, mixed and nested lists', () => {
    let err = failure({ mergingList: [{ name: 'a' }] }, { mergingList: [{ value: 1 }] });
    expect(err.message).toMatch(/does not contain declared merge key: name/);
    expect(err.status).toBe(400);
    err = failure({ mergingList: [{ name: 'a' }] }, { mergingList: [{ $patch: 'delete' }] });
    expect(err.message).toMatch(/merge key/);
    err = failure({ mergingList: [{ name: 'a' }] }, { mergingList: [{ name: 'a', $patch: 'merge' }] });
    expect(err.message).toMatch(/merging lists cannot yet be specified/);
    err = failure({ mergingList: [{ name: 'a' }] }, { mergingList: ['a'] });
    expect(err.message).toMatch(/list element types are not identical/);
    err = failure({ mergingIntList: [[1]] }, { mergingIntList: [[2]] });
    expect(err.code).toBe('StrategicPatchConflict');
    expect(err.status).toBe(422);
  });

  it('lists without a merge strategy are replaced', () => {
    expect(smp({ nonMergingList: [{ name: 'a' }, { name: 'b' }] }, { nonMergingList: [{ name: 'c' }] })).toEqual({ nonMergingList: [{ name: 'c' }] });
    expect(smp({ unknown: [1, 2] }, { unknown: [3] })).toEqual({ unknown: [3] });
  });
});

describe('strategicMergePatch: merging lists of primitives', () => {
  it('merges as a set', () => {
    expect(smp({ mergingIntList: [1, 2] }, { mergingIntList: [2, 3] })).toEqual({ mergingIntList: [1, 2, 3] });
    expect(smp({ mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1, 2] })).toEqual({ mergingIntList: [3, 1, 2] });
    expect(smp({ mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1] })).toEqual({ mergingIntList: [2, 3, 1] });
    expect(smp({ mergingIntList: [1, 2] }, { mergingIntList: [3] })).toEqual({ mergingIntList: [3, 1, 2] });
  });

  it('$deleteFromPrimitiveList removes items, with or without a merge strategy', () => {
    expect(smp({ mergingIntList: [1, 2, 3, 2] }, { '$deleteFromPrimitiveList/mergingIntList': [2] })).toEqual({ mergingIntList: [1, 3] });
    expect(smp({ nonMergingIntList: [1, 2, 3] }, { '$deleteFromPrimitiveList/nonMergingIntList': [2] })).toEqual({ nonMergingIntList: [1, 3] });
  });

  it('$deleteFromPrimitiveList never adds anything', () => {
    expect(smp({ mergingIntList: [1] }, { '$deleteFromPrimitiveList/mergingIntList': [5] })).toEqual({ mergingIntList: [1] });
    expect(smp({ mergingIntList: [] }, { '$deleteFromPrimitiveList/mergingIntList': [5] })).toEqual({ mergingIntList: [] });
    expect(smp({}, { '$deleteFromPrimitiveList/mergingIntList': [5] })).toEqual({});
  });

  it('adds and deletes in one patch', () => {
    expect(
      smp({ mergingIntList: [1, 2] }, { mergingIntList: [3], '$deleteFromPrimitiveList/mergingIntList': [1] }),
    ).toEqual({ mergingIntList: [3, 2] });
  });

  it('rejects a malformed deletion list', () => {
    expect(failure({ mergingIntList: [1] }, { '$deleteFromPrimitiveList/mergingIntList': 1 }).message).toMatch(/invalid patch format of primitive list/);
    expect(failure({ x: [1] }, { '$deleteFromPrimitiveList/': [1] }).message).toMatch(/invalid patch format of primitive list/);
  });
});

describe('strategicMergePatch: $setElementOrder', () => {
  it('orders a merged list, new items included', () => {
    const result = smp(
      { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: 2, other: 'b' }] },
      {
        '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
        mergingList: [{ name: '4', value: 4 }, { name: '3', value: 3 }],
      },
    );
    expect(result).toEqual({
      mergingList: [{ name: '4', value: 4 }, { name: '1', other: 'a' }, { name: '2', value: 2, other: 'b' }, { name: '3', value: 3 }],
    });
  });

  it('reorders without changes, interleaving server-only items by their live position', () => {
    const list = (...ns: string[]) => ns.map((name) => ({ name }));
    const order = { '$setElementOrder/mergingList': list('2', '1', '4', '3') };
    expect(names((smp({ mergingList: list('1', '2', '9', '3', '4') }, order) as never)['mergingList'])).toEqual(['2', '1', '9', '4', '3']);
    expect(names((smp({ mergingList: list('1', '2', '7', '9', '8', '3', '4') }, order) as never)['mergingList'])).toEqual(['2', '1', '7', '9', '8', '4', '3']);
    expect(names((smp({ mergingList: list('1', '3', '4', '2', '9') }, { '$setElementOrder/mergingList': list('4', '2', '3', '1') }) as never)['mergingList'])).toEqual([
      '4',
      '2',
      '3',
      '1',
      '9',
    ]);
  });

  it('keeps duplicates together at the first position the order gives them', () => {
    const result = smp(
      { mergingList: [{ name: '1' }, { name: '2', value: 'dup1' }, { name: '3' }, { name: '2', value: 'dup2' }, { name: '4' }] },
      { '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }, { name: '2' }] },
    );
    expect(result).toEqual({ mergingList: [{ name: '2', value: 'dup1' }, { name: '2', value: 'dup2' }, { name: '1' }, { name: '4' }, { name: '3' }] });
  });

  it('orders primitive lists', () => {
    expect(smp({ mergingIntList: [1, 2] }, { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3] })).toEqual({ mergingIntList: [1, 2, 3] });
    expect(smp({ mergingIntList: [1, 2, 4] }, { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3] })).toEqual({ mergingIntList: [1, 2, 3, 4] });
    expect(smp({ mergingIntList: [3, 2, 1] }, { '$setElementOrder/mergingIntList': [1, 2, 3] })).toEqual({ mergingIntList: [1, 2, 3] });
  });

  it('applies to a list that does not exist yet, and ignores one absent on both sides', () => {
    expect(
      smp({}, { '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'b' }], mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c', $patch: 'delete' }] }),
    ).toEqual({ mergingList: [{ name: 'a' }, { name: 'b' }] });
    expect(smp({ x: 1 }, { '$setElementOrder/mergingList': [{ name: 'a' }] })).toEqual({ x: 1 });
  });

  it('deletes with $patch: delete alongside the order', () => {
    const result = smp(
      { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
      { '$setElementOrder/mergingList': [{ name: 'c' }, { name: 'a' }], mergingList: [{ name: 'b', $patch: 'delete' }] },
    );
    expect(result).toEqual({ mergingList: [{ name: 'c' }, { name: 'a' }] });
  });

  it('rejects an order that contradicts the patch list or lacks merge keys', () => {
    let err = failure(
      { mergingList: [{ name: 'a' }, { name: 'b' }] },
      { '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'b' }], mergingList: [{ name: 'b' }, { name: 'a' }] },
    );
    expect(err.message).toMatch(/doesn't match \$setElementOrder list/);
    expect(err.status).toBe(400);
    err = failure({ mergingList: [{ name: 'a' }] }, { '$setElementOrder/mergingList': [{ name: 'a' }], mergingList: [{ name: 'c' }] });
    expect(err.message).toMatch(/doesn't match/);
    err = failure({ mergingList: [{ name: 'a' }] }, { '$setElementOrder/mergingList': [{ value: 'a' }] });
    expect(err.message).toMatch(/merge key: name/);
    err = failure({ mergingList: [{ name: 'a' }] }, { '$setElementOrder/mergingList': 'a' });
    expect(err.message).toMatch(/invalid patch format of setElementOrder list/);
    err = failure({ mergingIntList: [1, 2] }, { '$setElementOrder/mergingIntList': [1, 2], mergingIntList: [3] });
    expect(err.message).toMatch(/doesn't match/);
  });
});

describe('strategicMergePatch: $retainKeys', () => {
  it('clears fields not listed', () => {
    expect(smp({ m: { name: 'foo', value: 'a', other: 'x' } }, { m: { $retainKeys: ['name', 'value'], value: 'b' } })).toEqual({
      m: { name: 'foo', value: 'b' },
    });
  });

  it('works inside merged list items', () => {
    const result = smp(
      { mergingList: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] },
      { mergingList: [{ $retainKeys: ['configMap', 'name'], name: 'v', configMap: { name: 'cm' } }] },
    );
    expect(result).toEqual({ mergingList: [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }] });
  });

  it('allows nulls and directives for unlisted keys, rejects other unlisted keys', () => {
    expect(smp({ m: { a: 1, b: 2 } }, { m: { $retainKeys: ['a'], b: null } })).toEqual({ m: { a: 1 } });
    expect(failure({ m: { a: 1 } }, { m: { $retainKeys: ['a'], c: 3 } }).message).toMatch(/invalid patch format of retainKeys/);
    expect(failure({ m: { a: 1 } }, { m: { $retainKeys: 'a' } }).code).toBe('BadStrategicPatch');
  });

  it('is dropped from values that are new', () => {
    expect(smp({}, { m: { $retainKeys: ['a'], a: 1 } })).toEqual({ m: { a: 1 } });
  });
});
