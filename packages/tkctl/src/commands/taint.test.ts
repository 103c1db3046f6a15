import { describe, expect, it } from 'vitest';
import { applyTaints, parseTaints } from './taint.js';

describe('parseTaints', () => {
  it('reads additions and removals', () => {
    expect(parseTaints(['dedicated=gpu:NoSchedule', 'spot:PreferNoSchedule', 'old:NoExecute-', 'gone-'])).toEqual({
      add: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'spot', effect: 'PreferNoSchedule' }],
      remove: [{ key: 'old', effect: 'NoExecute' }, { key: 'gone', effect: undefined }],
    });
  });

  it('rejects unknown effects and additions without an effect', () => {
    expect(() => parseTaints(['a=b:Sometimes'])).toThrow(/invalid taint effect/);
    expect(() => parseTaints(['a=b'])).toThrow(/effect is required/);
  });
});

describe('applyTaints', () => {
  const current = [{ key: 'a', value: '1', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }];
  it('adds, removes by key (any effect) and refuses silent overwrites', () => {
    expect(applyTaints(current, [{ key: 'c', effect: 'NoSchedule' }], [{ key: 'b' }], false)).toEqual([current[0], { key: 'c', effect: 'NoSchedule' }]);
    expect(() => applyTaints(current, [{ key: 'a', value: '2', effect: 'NoSchedule' }], [], false)).toThrow(/--overwrite is false/);
    expect(applyTaints(current, [{ key: 'a', value: '2', effect: 'NoSchedule' }], [], true)[0]).toEqual({ key: 'a', value: '2', effect: 'NoSchedule' });
    expect(() => applyTaints(current, [], [{ key: 'zz', effect: 'NoSchedule' }], false)).toThrow('taint "zz:NoSchedule" not found');
  });
});
