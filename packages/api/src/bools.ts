/**
 * The two ways Kubernetes reads a boolean from text.
 * - Flags (pflag) use Go's strconv.ParseBool: exactly 1 t T TRUE true True / 0 f F FALSE false False.
 * - Query parameters (apimachinery's Convert_Slice_string_To_bool, used for watch, stdin, follow...):
 *   absent is false; `0` and `false` (any case) are false; anything else, the empty string and `True`
 *   (the Python client's spelling) included, is true.
 */

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export class BoolSyntaxError extends Error {
  constructor(readonly value: string) {
    super(`strconv.ParseBool: parsing "${value}": invalid syntax`);
    this.name = 'BoolSyntaxError';
  }
}

/** Go's strconv.ParseBool; throws BoolSyntaxError for anything else. */
export function parseGoBool(v: string): boolean {
  if (GO_TRUE.has(v)) return true;
  if (GO_FALSE.has(v)) return false;
  throw new BoolSyntaxError(v);
}

const QUERY_FALSE = /^(0|false)$/i;

/** One query value as kube-apiserver converts it to a boolean (null: the parameter is absent). */
export function queryBoolValue(v: string | null): boolean {
  return v !== null && !QUERY_FALSE.test(v);
}

/** A boolean query parameter as kube-apiserver converts it (see above). */
export function queryBool(q: URLSearchParams, name: string): boolean {
  return queryBoolValue(q.get(name));
}
