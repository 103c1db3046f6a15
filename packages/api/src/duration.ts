// Go durations (time.ParseDuration), as every component's flags take them: "300ms", "1m30s",
// "1.5h", "-2h45m", "0". Kubernetes' flags are Go durations, so one parser serves all of them.

/** A malformed duration; `message` is worded as Go's (`time: invalid duration "x"`). */
export class GoDurationError extends Error {
  override readonly name = 'GoDurationError';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

const NANOS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

// Go's strconv.Quote for the inputs flags carry (printable text): a JSON string literal.
const quote = JSON.stringify;

// Errors are values here; the exported functions choose to throw them or hand them back.
function parseNanos(input: string): bigint | GoDurationError {
  const invalid = () => new GoDurationError(input, `time: invalid duration ${quote(input)}`);
  let s = input;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return invalid();
  let total = 0n;
  let i = 0;
  while (i < s.length) {
    if (!(s[i] === '.' || isDigit(s[i]))) return invalid();
    const intStart = i;
    while (isDigit(s[i])) i++;
    const intDigits = s.slice(intStart, i);
    let fracDigits = '';
    if (s[i] === '.') {
      const fracStart = ++i;
      while (isDigit(s[i])) i++;
      fracDigits = s.slice(fracStart, i);
    }
    if (intDigits === '' && fracDigits === '') return invalid(); // ".s", "-.s"
    const unitStart = i;
    while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++;
    const unit = s.slice(unitStart, i);
    if (unit === '') return new GoDurationError(input, `time: missing unit in duration ${quote(input)}`);
    if (!Object.hasOwn(NANOS_PER_UNIT, unit)) return new GoDurationError(input, `time: unknown unit ${quote(unit)} in duration ${quote(input)}`);
    const perUnit = NANOS_PER_UNIT[unit];
    let v = BigInt(intDigits || '0') * perUnit;
    // The fraction is truncated to whole nanoseconds, as Go does.
    if (fracDigits !== '') v += (BigInt(fracDigits) * perUnit) / 10n ** BigInt(fracDigits.length);
    total += v;
    if (total > MAX_INT64 + 1n) return invalid();
  }
  if (negative) return -total;
  return total > MAX_INT64 ? invalid() : total;
}

/** Parses a Go duration into nanoseconds. Throws GoDurationError with Go's messages. */
export function parseGoDurationNanos(input: string): bigint {
  const nanos = parseNanos(input);
  if (nanos instanceof GoDurationError) throw nanos;
  return nanos;
}

/** Parses a Go duration into milliseconds (fractional below 1ms), returning the error as a value. */
export function parseGoDurationOrError(input: string): number | GoDurationError {
  const nanos = parseNanos(input);
  return nanos instanceof GoDurationError ? nanos : Number(nanos) / 1e6;
}

/** Parses a Go duration into milliseconds (fractional below 1ms). Throws GoDurationError. */
export function parseGoDuration(input: string): number {
  return Number(parseGoDurationNanos(input)) / 1e6;
}
