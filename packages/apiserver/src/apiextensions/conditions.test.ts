import { describe, expect, it } from 'vitest';
import type { CustomResourceDefinition } from '@tinykube/api';
import { checkNames, setCondition } from './conditions.js';

function crd(name: string, plural: string, kind: string, extra: { shortNames?: string[]; accepted?: boolean; group?: string } = {}): CustomResourceDefinition {
  const group = extra.group ?? 'example.com';
  const names = { plural, kind, singular: kind.toLowerCase(), listKind: `${kind}List`, shortNames: extra.shortNames };
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${name}.${group}` },
    spec: { group, scope: 'Namespaced', names, versions: [{ name: 'v1', served: true, storage: true }] },
    status: extra.accepted ? { acceptedNames: names } : undefined,
  };
}

describe('checkNames', () => {
  const existing = crd('widgets', 'widgets', 'Widget', { shortNames: ['wd'], accepted: true });
  it.each([
    ['a free name', crd('gadgets', 'gadgets', 'Gadget'), { ok: true }],
    ['a plural in use', crd('widgets2', 'widgets', 'Other'), { ok: false, reason: 'PluralConflict', message: '"widgets" is already in use' }],
    ['a short name in use', crd('gadgets', 'gadgets', 'Gadget', { shortNames: ['wd'] }), { ok: false, reason: 'ShortNamesConflict', message: '"wd" is already in use' }],
    ['a singular in use', crd('things', 'things', 'Widget'), { ok: false, reason: 'SingularConflict', message: '"widget" is already in use' }],
    ['a kind in use', { ...crd('things', 'things', 'Widget'), spec: { ...crd('things', 'things', 'Widget').spec, names: { plural: 'things', singular: 'thing', kind: 'Widget' } } }, { ok: false, reason: 'KindConflict', message: '"Widget" is already in use' }],
    ['a built-in plural of the group', crd('pods', 'pods', 'Pod'), { ok: false, reason: 'PluralConflict' }],
  ])('%s', (_what, candidate, want) => {
    expect(checkNames(candidate, [existing], new Set(['pods']))).toMatchObject(want);
  });

  it('ignores names of other groups and of CRDs not yet accepted', () => {
    const other = crd('widgets', 'widgets', 'Widget', { accepted: true, group: 'other.io' });
    const pending = crd('widgets3', 'widgets', 'Widget');
    expect(checkNames(crd('widgets', 'widgets', 'Widget'), [other, pending], new Set()).ok).toBe(true);
  });
});

describe('setCondition', () => {
  it('keeps lastTransitionTime while the status stays the same', () => {
    const status: NonNullable<CustomResourceDefinition['status']> = {};
    setCondition(status, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'm' }, 't1');
    setCondition(status, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'm2' }, 't2');
    expect(status.conditions).toEqual([{ type: 'Established', status: 'False', reason: 'NotAccepted', message: 'm2', lastTransitionTime: 't1' }]);
    setCondition(status, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'x' }, 't3');
    expect(status.conditions![0].lastTransitionTime).toBe('t3');
  });
});
