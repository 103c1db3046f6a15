import { describe, expect, it } from 'vitest';
import {
  Quantity,
  QuantityError,
  compareQuantities,
  formatQuantity,
  isValidQuantity,
  mustParseQuantity,
  parseQuantity,
  parseQuantityOrError,
} from './quantity.js';

const q = (s: string) => mustParseQuantity(s);

describe('parseQuantity: values', () => {
  it.each([
    ['100m', 100n, 1n],
    ['1.5', 1500n, 2n],
    ['128Mi', 128n * 1024n * 1024n * 1000n, 128n * 1024n * 1024n],
    ['1G', 1_000_000_000_000n, 1_000_000_000n],
    ['1e3', 1_000_000n, 1000n],
    ['0.5Gi', 512n * 1024n * 1024n * 1000n, 512n * 1024n * 1024n],
    ['2', 2000n, 2n],
    ['500k', 500_000_000n, 500_000n],
    ['1Ki', 1_024_000n, 1024n],
    ['-1', -1000n, -1n],
    ['0', 0n, 0n],
    ['+3', 3000n, 3n],
    ['.5', 500n, 1n],
    ['1.', 1000n, 1n],
    ['1.G', 1_000_000_000_000n, 1_000_000_000n],
    ['1E', 10n ** 21n, 10n ** 18n],
    ['1E-3', 1n, 1n],
    ['1.3E+6', 1_300_000_000n, 1_300_000n],
    ['3Ei', 3n * 2n ** 60n * 1000n, 3n * 2n ** 60n],
  ])('%s → milli %s, value %s', (s, milli, value) => {
    const parsed = q(s);
    expect(parsed.milli()).toBe(milli);
    expect(parsed.value()).toBe(value);
  });

  it('rounds values up to nano precision, as Kubernetes does', () => {
    expect(q('3.001n').nanos).toBe(4n);
    expect(q('0.0000000001').nanos).toBe(1n);
    expect(q('0.00000012345').nanos).toBe(124n);
    expect(q('-0.0000000001').nanos).toBe(-1n);
  });

  it('Value() and MilliValue() round away from zero', () => {
    expect(q('100m').value()).toBe(1n);
    expect(q('1001m').value()).toBe(2n);
    expect(q('1000m').value()).toBe(1n);
    expect(q('1.0001m').milli()).toBe(2n);
    expect(q('1n').milli()).toBe(1n);
    expect(q('-100m').value()).toBe(-1n);
    expect(q('-1.5').value()).toBe(-2n);
    expect(q('9.01').scaledValue(-1)).toBe(91n);
    expect(q('9.01').scaledValue(2)).toBe(1n);
    expect(q('1k').scaledValue(-9)).toBe(1_000_000_000_000n);
  });

  it('caps binary quantities at the largest int64', () => {
    const max = (1n << 63n) - 1n;
    expect(q('9Ei').value()).toBe(max);
    expect(q('9223372036854775807Ki').value()).toBe(max);
    expect(q('12E').value()).toBe(12n * 10n ** 18n); // decimal is not capped
  });

  it('remembers the format of the suffix', () => {
    expect(q('1Ki').format).toBe('BinarySI');
    expect(q('1k').format).toBe('DecimalSI');
    expect(q('1e3').format).toBe('DecimalExponent');
    expect(q('5').format).toBe('DecimalSI');
    // A sub-unit binary value is printed in decimal.
    expect(q('0.000000000001Ki').format).toBe('DecimalSI');
    expect(q('0.000000000001Ki').nanos).toBe(2n);
  });

  it('accepts JSON numbers', () => {
    expect(parseQuantity(2)?.toString()).toBe('2');
    expect(parseQuantity(0.5)?.toString()).toBe('500m');
    expect(parseQuantity(1e21)?.toString()).toBe('1e21');
    expect(parseQuantity(Number.NaN)).toBeUndefined();
  });
});

describe('parseQuantity: invalid input', () => {
  it.each([
    '',
    '1.1.M',
    '1+1.0M',
    '0.1mi',
    '0.1am',
    'aoeu',
    '.5i',
    '1i',
    '-3.01i',
    '-3.01e-',
    ' 1',
    '1 ',
    '1e',
    '.',
    '-',
    'Ki',
    '1KI',
    '1kb',
    '1e1.5',
    '1,5',
    '1constructor',
    '1toString',
  ])('%j is rejected without throwing', (s) => {
    expect(parseQuantity(s)).toBeUndefined();
    expect(isValidQuantity(s)).toBe(false);
    const err = parseQuantityOrError(s);
    expect(err).toBeInstanceOf(QuantityError);
  });

  it('gives a typed error with a stable code', () => {
    const bad = parseQuantityOrError('5x');
    expect(bad).toBeInstanceOf(QuantityError);
    expect((bad as QuantityError).code).toBe('QuantityFormat');
    expect((bad as QuantityError).message).toContain('quantities must match the regular expression');
    expect((parseQuantityOrError('1i') as QuantityError).code).toBe('QuantitySuffix');
    expect((parseQuantityOrError('1e99999') as QuantityError).code).toBe('QuantityRange');
    expect(() => mustParseQuantity('nope')).toThrow(QuantityError);
  });

  it('rejects non-string values', () => {
    expect(isValidQuantity(null)).toBe(false);
    expect(isValidQuantity({})).toBe(false);
    expect(isValidQuantity('1Gi')).toBe(true);
  });
});

describe('formatQuantity: canonical form', () => {
  it.each([
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['300Mi', '300Mi'],
    ['307200Ki', '300Mi'],
    ['1025', '1025'],
    ['1025Ki', '1025Ki'],
    ['0.5Mi', '512Ki'],
    ['0.5Ki', '512'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['50k', '50k'],
    ['1e3', '1e3'],
    ['1e4', '10e3'],
    ['1.2e3', '1200'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['.001e12', '1e9'],
    ['0', '0'],
    ['0Gi', '0'],
    ['00', '0'],
    ['-0', '0'],
    ['-1', '-1'],
    ['-1.5Gi', '-1536Mi'],
    ['-100m', '-100m'],
    ['+1', '1'],
    ['100.035Ki', '102435840m'],
    ['3.001n', '4n'],
    ['1000E', '1000E'],
    ['1e21', '1e21'],
    ['1000000E', '1000000E'],
    ['4Ei', '4Ei'],
    ['8Ei', '9223372036854775807'], // 2^63 is one past the int64 cap
    ['9Ei', '9223372036854775807'],
    ['1024Ei', '9223372036854775807'],
    ['2048Pi', '2Ei'],
  ])('%s → %s', (input, expected) => {
    expect(formatQuantity(input)).toBe(expected);
  });

  it('returns undefined for malformed strings and serializes to JSON as a string', () => {
    expect(formatQuantity('garbage')).toBeUndefined();
    expect(JSON.stringify({ cpu: q('1.5') })).toBe('{"cpu":"1500m"}');
  });
});

describe('Quantity arithmetic', () => {
  it('compares exactly across formats', () => {
    expect(q('1Gi').cmp(q('1073741824'))).toBe(0);
    expect(q('1G').cmp(q('1Gi'))).toBe(-1);
    expect(q('1001m').cmp(q('1'))).toBe(1);
    expect(q('1e3').equals(q('1k'))).toBe(true);
    expect(compareQuantities('100m', '0.1')).toBe(0);
    expect(compareQuantities('bad', '1')).toBeUndefined();
  });

  it('adds and subtracts exactly', () => {
    expect(q('100m').add(q('1.9')).toString()).toBe('2');
    expect(q('1Gi').sub(q('512Mi')).toString()).toBe('512Mi');
    expect(q('1').sub(q('1500m')).toString()).toBe('-500m');
    expect(q('0.1').add(q('0.2')).equals(q('300m'))).toBe(true);
    expect(q('1Ki').mul(3).toString()).toBe('3Ki');
    expect(q('1Ki').neg().toString()).toBe('-1Ki');
  });

  it('keeps the suffix when adding or subtracting zero, in either order', () => {
    for (const s of ['100m', '1Gi']) {
      expect(q(s).add(q('0')).toString()).toBe(s);
      expect(q('0').add(q(s)).toString()).toBe(s);
      expect(q(s).sub(q('0')).toString()).toBe(s);
      expect(q('0').sub(q(s)).toString()).toBe(`-${s}`);
    }
  });

  it('builds quantities from milli and whole values', () => {
    expect(Quantity.fromMilli(1500).toString()).toBe('1500m');
    expect(Quantity.fromValue(2048, 'BinarySI').toString()).toBe('2Ki');
    expect(Quantity.fromValue(1000n).toString()).toBe('1k');
    expect(Quantity.fromNanos(1n).toString()).toBe('1n');
    expect(q('0').isZero()).toBe(true);
    expect(q('-2').sign()).toBe(-1);
    expect(q('250m').approximate()).toBeCloseTo(0.25);
  });
});
