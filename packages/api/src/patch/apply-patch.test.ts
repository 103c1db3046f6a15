import { describe, expect, it } from 'vitest';
import { applyPatch, patchTypeFromContentType } from './apply-patch.js';
import { PatchError } from './patch-error.js';

const pod = { kind: 'Pod', metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'x' }, { name: 'd', image: 'y' }] } };

describe('applyPatch', () => {
  it('dispatches on the patch type', () => {
    const containerPatch = { spec: { containers: [{ name: 'd', image: 'z' }] } };
    const merged = applyPatch('application/merge-patch+json', pod, containerPatch, 'Pod');
    expect(merged).toEqual({ ok: true, value: { ...pod, spec: { containers: [{ name: 'd', image: 'z' }] } } });
    const strategic = applyPatch('application/strategic-merge-patch+json', pod, containerPatch, 'Pod');
    expect(strategic.ok && (strategic.value as typeof pod).spec.containers).toEqual([{ name: 'c', image: 'x' }, { name: 'd', image: 'z' }]);
    const json = applyPatch('application/json-patch+json', pod, [{ op: 'replace', path: '/spec/containers/1/image', value: 'z' }], 'Pod');
    expect(json).toEqual(strategic);
  });

  it('returns errors as values with the HTTP status to answer', () => {
    const notArray = applyPatch('application/json-patch+json', pod, { op: 'add' }, 'Pod');
    expect(notArray.ok).toBe(false);
    if (!notArray.ok) {
      expect(notArray.error).toBeInstanceOf(PatchError);
      expect(notArray.error.status).toBe(400);
    }
    const missing = applyPatch('application/json-patch+json', pod, [{ op: 'remove', path: '/spec/nope' }], 'Pod');
    expect(!missing.ok && missing.error.status).toBe(422);
    const mergeList = applyPatch('application/merge-patch+json', pod, ['x'], 'Pod');
    expect(!mergeList.ok && mergeList.error.code).toBe('BadPatchDocument');
    const badSmp = applyPatch('application/strategic-merge-patch+json', pod, { spec: { containers: [{ image: 'no-name' }] } }, 'Pod');
    expect(!badSmp.ok && badSmp.error.status).toBe(400);
  });

  it('turns absurdly deep nesting into a 400 instead of a crash', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const result = applyPatch('application/merge-patch+json', {}, deep, 'Pod');
    expect(!result.ok && result.error.status).toBe(400);
  });

  it('leaves the original untouched', () => {
    const before = JSON.stringify(pod);
    applyPatch('application/merge-patch+json', pod, { metadata: { labels: null } }, 'Pod');
    applyPatch('application/strategic-merge-patch+json', pod, { metadata: { labels: { a: null } } }, 'Pod');
    applyPatch('application/json-patch+json', pod, [{ op: 'remove', path: '/metadata' }], 'Pod');
    expect(JSON.stringify(pod)).toBe(before);
  });
});

describe('patchTypeFromContentType', () => {
  it.each([
    ['application/json-patch+json', 'application/json-patch+json'],
    ['application/merge-patch+json; charset=utf-8', 'application/merge-patch+json'],
    ['Application/Strategic-Merge-Patch+JSON', 'application/strategic-merge-patch+json'],
    ['application/apply-patch+yaml', undefined],
    ['application/json', undefined],
    [undefined, undefined],
  ])('%j → %j', (contentType, expected) => {
    expect(patchTypeFromContentType(contentType)).toBe(expected);
  });
});
