import { describe, expect, it } from 'vitest';
import { toleratesTaint, tolerationsTolerateTaint, type TaintLike, type TolerationLike } from './tolerations.js';

const taint: TaintLike = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint (v1.Toleration.ToleratesTaint)', () => {
  it.each<[string, TolerationLike, TaintLike, boolean]>([
    ['empty key + Exists tolerates every taint', { operator: 'Exists' }, taint, true],
    ['empty key + Exists + effect matches that effect only', { operator: 'Exists', effect: 'NoSchedule' }, taint, true],
    ['empty key + Exists + other effect', { operator: 'Exists', effect: 'NoExecute' }, taint, false],
    ['empty effect matches any effect', { key: 'dedicated', operator: 'Exists' }, { ...taint, effect: 'NoExecute' }, true],
    ['key mismatch', { key: 'other', operator: 'Exists' }, taint, false],
    ['Equal with the same value', { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint, true],
    ['Equal with another value', { key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint, false],
    ['Equal without value vs valued taint', { key: 'dedicated', operator: 'Equal' }, taint, false],
    ['Equal without value vs valueless taint', { key: 'dedicated', operator: 'Equal' }, { key: 'dedicated', effect: 'NoSchedule' }, true],
    ['Equal with "" vs valueless taint', { key: 'dedicated', operator: 'Equal', value: '' }, { key: 'dedicated', effect: 'NoSchedule' }, true],
    ['no operator means Equal', { key: 'dedicated', value: 'gpu' }, taint, true],
    ['no operator, other value', { key: 'dedicated', value: 'x' }, taint, false],
    ['empty-string operator means Equal', { key: 'dedicated', operator: '', value: 'gpu' }, taint, true],
    ['empty key + Equal matches any key with that value', { operator: 'Equal', value: 'gpu' }, taint, true],
    ['unknown operator tolerates nothing', { key: 'dedicated', operator: 'Gt', value: 'gpu' }, taint, false],
    ['null fields read as empty', { key: null, operator: 'Exists', value: null, effect: null }, taint, true],
  ])('%s', (_name, tol, t, want) => {
    expect(toleratesTaint(tol, t)).toBe(want);
  });

  it('tolerationsTolerateTaint: any one suffices; none or null tolerate nothing', () => {
    expect(tolerationsTolerateTaint([{ key: 'x', operator: 'Exists' }, { key: 'dedicated', operator: 'Exists' }], taint)).toBe(true);
    expect(tolerationsTolerateTaint([{ key: 'x', operator: 'Exists' }], taint)).toBe(false);
    expect(tolerationsTolerateTaint([], taint)).toBe(false);
    expect(tolerationsTolerateTaint(undefined, taint)).toBe(false);
    expect(tolerationsTolerateTaint(null, taint)).toBe(false);
  });
});
