// Kubernetes resource quantities ("100m", "1.5Gi", "1e3"), with the semantics of
// k8s.io/apimachinery/pkg/api/resource: exact fixed-point values, never floats.
//
// A quantity is held as an integer count of nano-units (10^-9) plus the format its
// string used. Kubernetes itself rounds every parsed value up (away from zero) to
// nano precision, so nano-units represent exactly what Kubernetes represents.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export type QuantityErrorCode = 'QuantityFormat' | 'QuantitySuffix' | 'QuantityRange';

/** The message Kubernetes uses when a quantity string is malformed. */
export const QUANTITY_FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
  constructor(
    readonly code: QuantityErrorCode,
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

const NANO = 1_000_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;
// Exponents beyond this are refused rather than turned into enormous bigints.
const MAX_EXPONENT = 1000;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_POWER = new Map(Object.entries(BINARY_SUFFIXES).map(([s, p]) => [p / 10, s]));

const NUMBER_AND_SUFFIX = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/s;
const EXPONENT_SUFFIX = /^[eE]([+-]?[0-9]+)$/;

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Divides, rounding the magnitude up (away from zero), as Kubernetes' ScaledValue does. */
function divRoundUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

export class Quantity {
  private constructor(
    /** The exact value in units of 10^-9. */
    readonly nanos: bigint,
    readonly format: QuantityFormat,
  ) {}

  /** Builds a quantity from nano-units; used by arithmetic and by callers holding exact values. */
  static fromNanos(nanos: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(nanos, format);
  }

  static fromMilli(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli) * 1_000_000n, format);
  }

  static fromValue(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value) * NANO, format);
  }

  /** Whole units, rounded up (away from zero) like Kubernetes' Value(): "100m" → 1n. */
  value(): bigint {
    return divRoundUp(this.nanos, NANO);
  }

  /** Thousandths, rounded up (away from zero) like Kubernetes' MilliValue(): "1.0001m" → 2n. */
  milli(): bigint {
    return divRoundUp(this.nanos, 1_000_000n);
  }

  /** The value in units of 10^scale, rounded up like ScaledValue(): scaledValue(-3) = milli(). */
  scaledValue(scale: number): bigint {
    const shift = scale + 9;
    if (shift <= 0) return this.nanos * 10n ** BigInt(-shift);
    return divRoundUp(this.nanos, 10n ** BigInt(shift));
  }

  /** A float approximation, for scoring and ratios only; never for comparisons. */
  approximate(): number {
    return Number(this.nanos) / 1e9;
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  /** Sum; a zero left side takes the right side's format, as Kubernetes' Add does. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.nanos === 0n ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.nanos === 0n ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }

  mul(factor: bigint | number): Quantity {
    return new Quantity(this.nanos * BigInt(factor), this.format);
  }

  /** Canonical string, exactly as Kubernetes serializes it ("1.5" → "1500m", "1024Mi" → "1Gi"). */
  toString(): string {
    return canonicalize(this.nanos, this.format);
  }

  toJSON(): string {
    return this.toString();
  }
}

function canonicalize(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  if (format === 'BinarySI') {
    // Small or fractional binary values print in decimal so that nothing is rounded.
    const exactUnits = nanos % NANO === 0n;
    if (abs(nanos) >= 1024n * NANO && exactUnits) {
      let mantissa = nanos / NANO;
      let power = 0;
      while (power < 6 && mantissa % 1024n === 0n) {
        mantissa /= 1024n;
        power++;
      }
      return `${mantissa}${BINARY_BY_POWER.get(power) ?? ''}`;
    }
    format = 'DecimalSI';
  }
  // Largest exponent that is a multiple of 3 and loses no digits.
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Beyond "E" there is no suffix: keep the digits in the mantissa.
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${mantissa}${DECIMAL_BY_EXPONENT.get(exponent) ?? ''}`;
}

function fail(code: QuantityErrorCode, input: string, detail?: string): QuantityError {
  const message =
    code === 'QuantitySuffix'
      ? `unable to parse quantity's suffix: ${JSON.stringify(input)}`
      : code === 'QuantityRange'
        ? `quantity ${JSON.stringify(input)} is out of range${detail ? `: ${detail}` : ''}`
        : QUANTITY_FORMAT_MESSAGE;
  return new QuantityError(code, input, message);
}

/** Parses a quantity, returning a QuantityError value (never throwing) when malformed. */
export function parseQuantityOrError(input: string | number): Quantity | QuantityError {
  const str = typeof input === 'number' ? numberToQuantityString(input) : input;
  if (typeof str !== 'string') return fail('QuantityFormat', String(input));
  const m = NUMBER_AND_SUFFIX.exec(str);
  if (!m) return fail('QuantityFormat', str);
  const [, sign, intPart = '', fracPart = '', suffix = ''] = m;
  if (intPart.length + fracPart.length === 0) return fail('QuantityFormat', str);

  let format: QuantityFormat;
  let exp10 = 0;
  let pow2 = 0;
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) {
    format = 'DecimalSI';
    exp10 = DECIMAL_SUFFIXES[suffix];
  } else if (Object.hasOwn(BINARY_SUFFIXES, suffix)) {
    format = 'BinarySI';
    pow2 = BINARY_SUFFIXES[suffix];
  } else {
    const e = EXPONENT_SUFFIX.exec(suffix);
    if (!e) {
      // A suffix made only of suffix-like characters is a bad suffix; anything else is a bad format.
      return /^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix) ? fail('QuantitySuffix', str) : fail('QuantityFormat', str);
    }
    format = 'DecimalExponent';
    const n = Number(e[1]);
    if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_EXPONENT) return fail('QuantityRange', str, 'exponent too large');
    exp10 = n;
  }

  const digits = BigInt(intPart + fracPart);
  // value = digits * 10^(exp10 - frac) * 2^pow2; scale it to nano-units.
  const shift = exp10 - fracPart.length + 9;
  let magnitude = digits * (1n << BigInt(pow2));
  if (shift >= 0) magnitude *= 10n ** BigInt(shift);
  else magnitude = divRoundUp(magnitude, 10n ** BigInt(-shift));

  if (format === 'BinarySI') {
    // Kubernetes caps binary quantities at the largest int64, and prints sub-unit ones in decimal.
    if (magnitude > MAX_INT64 * NANO) magnitude = MAX_INT64 * NANO;
    if (magnitude > 0n && magnitude < NANO) format = 'DecimalSI';
  }
  return Quantity.fromNanos(sign === '-' ? -magnitude : magnitude, format);
}

// JSON numbers are accepted as quantities by Kubernetes; print them without float noise.
function numberToQuantityString(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  return String(n).replace('e+', 'e');
}

/** Parses a quantity; undefined when the string is not a valid quantity. Never throws. */
export function parseQuantity(input: string | number): Quantity | undefined {
  const q = parseQuantityOrError(input);
  return q instanceof QuantityError ? undefined : q;
}

/** Parses a quantity known to be valid (constants, tests); throws QuantityError otherwise. */
export function mustParseQuantity(input: string | number): Quantity {
  const q = parseQuantityOrError(input);
  if (q instanceof QuantityError) throw q;
  return q;
}

export function isValidQuantity(input: unknown): boolean {
  return (typeof input === 'string' || typeof input === 'number') && parseQuantity(input) !== undefined;
}

/**
 * Canonical form, as Kubernetes would print the value ("1.5" → "1500m", "1024Mi" → "1Gi").
 * Returns undefined for a malformed string.
 */
export function formatQuantity(q: Quantity): string;
export function formatQuantity(q: Quantity | string | number): string | undefined;
export function formatQuantity(q: Quantity | string | number): string | undefined {
  if (q instanceof Quantity) return q.toString();
  return parseQuantity(q)?.toString();
}

/** Compares two quantity strings; undefined if either is malformed. */
export function compareQuantities(a: string | number, b: string | number): -1 | 0 | 1 | undefined {
  const qa = parseQuantity(a);
  const qb = parseQuantity(b);
  return qa && qb ? qa.cmp(qb) : undefined;
}
