import { describe, expect, it } from 'vitest';
import { GoDurationError, parseGoDuration, parseGoDurationNanos } from './duration.js';

describe('parseGoDuration (Go time.ParseDuration)', () => {
  it.each([
    ['0', 0],
    ['+0', 0],
    ['-0', 0],
    ['5s', 5_000],
    ['30s', 30_000],
    ['1478s', 1_478_000],
    ['-5s', -5_000],
    ['+5s', 5_000],
    ['5.0s', 5_000],
    ['5.6s', 5_600],
    ['5.s', 5_000],
    ['.5s', 500],
    ['1.004s', 1_004],
    ['100.00100s', 100_001],
    ['10ns', 0.00001],
    ['11us', 0.011],
    ['12µs', 0.012],
    ['12μs', 0.012],
    ['13ms', 13],
    ['14s', 14_000],
    ['15m', 900_000],
    ['16h', 57_600_000],
    ['3h30m', 12_600_000],
    ['10.5s4m', 250_500],
    ['-2m3.4s', -123_400],
    ['1h2m3s4ms5us6ns', 3_723_004.005006],
    ['39h9m14.425s', 140_954_425],
    ['1.5h', 5_400_000],
    ['-1.5h', -5_400_000],
    ['300ms', 300],
    ['1m30s', 90_000],
    ['250ms', 250],
  ])('%s → %s ms', (input, want) => {
    expect(parseGoDuration(input)).toBeCloseTo(want, 9);
  });

  it('is exact in nanoseconds, fractions truncated', () => {
    expect(parseGoDurationNanos('1h2m3.5s')).toBe(3_723_500_000_000n);
    expect(parseGoDurationNanos('0.3333333333s')).toBe(333_333_333n);
    expect(parseGoDurationNanos('9223372036854775807ns')).toBe(9_223_372_036_854_775_807n);
    expect(parseGoDurationNanos('-9223372036854775808ns')).toBe(-9_223_372_036_854_775_808n);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['3', 'time: missing unit in duration "3"'],
    ['40', 'time: missing unit in duration "40"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['ten', 'time: invalid duration "ten"'],
    [' 5s', 'time: invalid duration " 5s"'],
    ['5s ', 'time: unknown unit "s " in duration "5s "'],
  ])('rejects %j', (input, message) => {
    expect(() => parseGoDuration(input)).toThrow(new GoDurationError(input, message));
    expect(() => parseGoDuration(input)).toThrow(message);
  });
});
