import { describe, expect, it } from 'vitest';
import { deadlineFrom } from './wait.js';

describe('deadlineFrom (kubectl --timeout)', () => {
  it('reads Go durations; zero or absent is no limit', () => {
    expect(deadlineFrom('30s', 1_000)).toBe(31_000);
    expect(deadlineFrom('1m30s', 0)).toBe(90_000);
    expect(deadlineFrom('0', 0)).toBeUndefined();
    expect(deadlineFrom('0s', 0)).toBeUndefined();
    expect(deadlineFrom(undefined, 0)).toBeUndefined();
  });

  it('rejects what kubectl rejects, with its wording', () => {
    expect(() => deadlineFrom('30')).toThrow('invalid argument "30" for "--timeout" flag: time: missing unit in duration "30"');
    expect(() => deadlineFrom('soon')).toThrow('time: invalid duration "soon"');
  });
});
