// Label selectors with the semantics of k8s.io/apimachinery/pkg/labels: the string syntax
// (`a=b,c!=d,e in (x,y),f notin (z),g,!h`), metav1.LabelSelector objects, and plain
// map selectors (Service, ReplicationController). One Selector type serves them all.

export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and de-duplicated for in/notin; one value for =, ==, !=, gt, lt; empty for exists and !. */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | null | undefined;

export type LabelSelectorErrorCode = 'LabelSelectorSyntax' | 'LabelSelectorInvalid';

/** A malformed selector; the apiserver answers 400 BadRequest with `message`. */
export class LabelSelectorError extends Error {
  override readonly name = 'LabelSelectorError';
  constructor(
    readonly code: LabelSelectorErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The metav1.LabelSelector wire shape (as found in Deployment.spec.selector, etc.). */
export interface LabelSelectorInput {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: readonly string[] | null }> | null;
}

/** The core/v1 NodeSelectorRequirement wire shape (node affinity, with Gt/Lt). */
export interface NodeSelectorRequirementInput {
  key: string;
  operator: string;
  values?: readonly string[] | null;
}

export class Selector {
  private static readonly EVERYTHING = new Selector([], false);
  private static readonly NOTHING = new Selector([], true);

  // Each requirement compiled once into a test: the scheduler matches one selector against
  // thousands of nodes, controllers one selector against every pod of a namespace.
  private readonly tests: readonly RequirementTest[];

  private constructor(
    readonly requirements: readonly LabelRequirement[],
    private readonly nothing: boolean,
  ) {
    this.tests = requirements.map(compileRequirement);
  }

  /** Matches every label set (an empty selector). */
  static everything(): Selector {
    return Selector.EVERYTHING;
  }

  /** Matches no label set (what a null metav1.LabelSelector means). */
  static nothing(): Selector {
    return Selector.NOTHING;
  }

  static of(requirements: readonly LabelRequirement[]): Selector {
    if (requirements.length === 0) return Selector.EVERYTHING;
    return new Selector(sortByKey(requirements), false);
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    const ls = labels ?? {};
    for (const test of this.tests) if (!test(ls)) return false;
    return true;
  }

  /** True for the match-everything selector. */
  isEmpty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  matchesNothing(): boolean {
    return this.nothing;
  }

  /** The value `key` must equal for a match, if the selector pins one (useful for indexes). */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (!r) return undefined;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }

  add(...requirements: LabelRequirement[]): Selector {
    if (this.nothing) return this;
    return Selector.of([...this.requirements, ...requirements]);
  }

  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

function sortByKey(reqs: readonly LabelRequirement[]): LabelRequirement[] {
  return [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function has(ls: Readonly<Record<string, string>>, key: string): boolean {
  return Object.hasOwn(ls, key);
}

// Own properties only: "constructor" must not find Object.prototype.constructor.
function lookup<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const INTEGER = /^[+-]?[0-9]+$/;

type RequirementTest = (ls: Readonly<Record<string, string>>) => boolean;

// Integers of up to 15 digits are exact as numbers; longer ones compare as bigints (int64 range).
function toInteger(s: string): number | bigint {
  return s.length <= 15 ? Number(s) : BigInt(s);
}

function compileRequirement(r: LabelRequirement): RequirementTest {
  const { key, values } = r;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in': {
      if (values.length === 1) {
        const v = values[0];
        return (ls) => has(ls, key) && ls[key] === v;
      }
      return (ls) => has(ls, key) && values.includes(ls[key]);
    }
    case '!=':
    case 'notin':
      return (ls) => !has(ls, key) || !values.includes(ls[key]);
    case 'exists':
      return (ls) => has(ls, key);
    case '!':
      return (ls) => !has(ls, key);
    case 'gt':
    case 'lt': {
      if (values.length !== 1 || !INTEGER.test(values[0])) return () => false;
      const bound = toInteger(values[0]);
      const gt = r.operator === 'gt';
      return (ls) => {
        if (!has(ls, key)) return false;
        const actual = ls[key];
        if (!INTEGER.test(actual)) return false;
        const n = toInteger(actual);
        return gt ? n > bound : n < bound;
      };
    }
  }
}

function requirementToString(r: LabelRequirement): string {
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
      return `${r.key} in (${values})`;
    case 'notin':
      return `${r.key} notin (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

// --- validation (Kubernetes' qualified-name and label-value rules) ---

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const PREFIX_MSG =
  "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Problems with a label key (a Kubernetes qualified name); empty when valid. */
export function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
    else if (!DNS1123_SUBDOMAIN.test(prefix)) errs.push(PREFIX_MSG);
  } else {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !NAME_PART.test(name)) errs.push(NAME_PART_MSG);
  return errs;
}

/** Problems with a label value; empty when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (value.length > 0 && !NAME_PART.test(value)) errs.push(LABEL_VALUE_MSG);
  return errs;
}

function invalid(path: string, value: unknown, errs: string[]): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${errs.join('; ')}`;
}

/**
 * Builds a validated requirement (Kubernetes' NewRequirement). `path` prefixes error fields,
 * e.g. "spec.selector.matchExpressions[0]".
 */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[], path = ''): LabelRequirement {
  const at = (child: string) => (path ? `${path}.${child}` : child);
  const problems: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length) problems.push(invalid(at('key'), key, keyErrs));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) problems.push(invalid(at('values'), values, ["for 'in', 'notin' operators, values set can't be empty"]));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) problems.push(invalid(at('values'), values, ['exact-match compatibility requires one single value']));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) problems.push(invalid(at('values'), values, ['values set must be empty for exists and does not exist']));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) problems.push(invalid(at('values'), values, ["for 'Gt', 'Lt' operators, exactly one value is required"]));
      values.forEach((v, i) => {
        if (!INTEGER.test(v)) problems.push(invalid(`${at('values')}[${i}]`, v, ["for 'Gt', 'Lt' operators, the value must be an integer"]));
      });
      break;
    default:
      problems.push(`${at('operator')}: Unsupported value: ${JSON.stringify(operator)}`);
  }
  values.forEach((v, i) => {
    const errs = labelValueErrors(v);
    if (errs.length) problems.push(invalid(`${at('values')}[${i}][${key}]`, v, errs));
  });
  if (problems.length) {
    throw new LabelSelectorError('LabelSelectorInvalid', problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`);
  }
  const normalized = operator === 'in' || operator === 'notin' ? [...new Set(values)].sort() : [...values];
  return { key, operator, values: normalized };
}

/** A selector requiring every key of `set` to equal its value; empty set → everything. */
export function selectorFromSet(set: Labels): Selector {
  if (!set) return Selector.everything();
  return Selector.of(Object.entries(set).map(([key, value]) => ({ key, operator: '=' as const, values: [value] })));
}

/** As selectorFromSet, but validating keys and values (throws LabelSelectorError). */
export function validatedSelectorFromSet(set: Labels): Selector {
  if (!set) return Selector.everything();
  return Selector.of(Object.entries(set).map(([key, value]) => newRequirement(key, '=', [value])));
}

/**
 * Service / ReplicationController-style map selector. An empty or missing selector matches
 * nothing: a Service without a selector has its endpoints managed by someone else.
 */
export function labelsMatchSelectorMap(selector: Labels, labels: Labels): boolean {
  if (!selector) return false;
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  const ls = labels ?? {};
  return entries.every(([k, v]) => has(ls, k) && ls[k] === v);
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelector → Selector (Kubernetes' LabelSelectorAsSelector): null/undefined matches
 * nothing, `{}` matches everything. Throws LabelSelectorError on invalid content.
 */
export function labelSelectorAsSelector(ps: LabelSelectorInput | null | undefined, path = ''): Selector {
  if (ps === null || ps === undefined) return Selector.nothing();
  const matchLabels = ps.matchLabels ?? {};
  const exprs = ps.matchExpressions ?? [];
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) reqs.push(newRequirement(k, '=', [v], path ? `${path}.matchLabels` : ''));
  exprs.forEach((e, i) => {
    const at = path ? `${path}.matchExpressions[${i}]` : `matchExpressions[${i}]`;
    const op = lookup(EXPRESSION_OPERATORS, e.operator);
    if (!op) throw new LabelSelectorError('LabelSelectorInvalid', `${at}.operator: Unsupported value: ${JSON.stringify(e.operator)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`);
    reqs.push(newRequirement(e.key, op, e.values ?? [], at));
  });
  return Selector.of(reqs);
}

/** As labelSelectorAsSelector, returning the error as a value. */
export function labelSelectorAsSelectorOrError(ps: LabelSelectorInput | null | undefined): Selector | LabelSelectorError {
  try {
    return labelSelectorAsSelector(ps);
  } catch (err) {
    if (err instanceof LabelSelectorError) return err;
    throw err;
  }
}

/**
 * Whether a metav1.LabelSelector selects `labels`: `{}` selects everything; null/undefined and an
 * invalid selector (an operator such as Gt/Lt that label selectors do not have, a bad key or
 * value) select nothing, as Kubernetes' callers treat LabelSelectorAsSelector's error. Callers
 * matching one selector against many objects should convert it once with labelSelectorAsSelector.
 */
export function labelSelectorMatches(ps: LabelSelectorInput | null | undefined, labels: Labels): boolean {
  const s = labelSelectorAsSelectorOrError(ps);
  return !(s instanceof LabelSelectorError) && s.matches(labels);
}

/** As labelSelectorAsSelector, but an invalid selector becomes Selector.nothing(). */
export function labelSelectorAsSelectorOrNothing(ps: LabelSelectorInput | null | undefined): Selector {
  const s = labelSelectorAsSelectorOrError(ps);
  return s instanceof LabelSelectorError ? Selector.nothing() : s;
}

const NODE_OPERATORS: Record<string, LabelOperator> = { ...EXPRESSION_OPERATORS, Gt: 'gt', Lt: 'lt' };

/**
 * core/v1 NodeSelectorRequirements (one nodeSelectorTerm's matchExpressions, ANDed) → Selector.
 * Supports In, NotIn, Exists, DoesNotExist, Gt, Lt. An empty list matches nothing, as in
 * Kubernetes' NodeSelectorRequirementsAsSelector.
 */
export function nodeSelectorRequirementsAsSelector(reqs: readonly NodeSelectorRequirementInput[] | null | undefined): Selector {
  if (!reqs || reqs.length === 0) return Selector.nothing();
  return Selector.of(
    reqs.map((r, i) => {
      const op = lookup(NODE_OPERATORS, r.operator);
      if (!op) throw new LabelSelectorError('LabelSelectorInvalid', `matchExpressions[${i}].operator: Unsupported value: ${JSON.stringify(r.operator)}`);
      return newRequirement(r.key, op, r.values ?? [], `matchExpressions[${i}]`);
    }),
  );
}

/** metav1.LabelSelector → the string form, as `kubectl get rs -o wide` and Scale.status.selector print it. */
export function formatLabelSelector(ps: LabelSelectorInput | null | undefined): string {
  if (ps === null || ps === undefined) return '<none>';
  const s = labelSelectorAsSelectorOrError(ps);
  if (s instanceof LabelSelectorError) return '<error>';
  return s.isEmpty() ? '<none>' : s.toString();
}

// --- the string syntax: a lexer and a recursive-descent parser following labels.Parse ---

type Token =
  | 'error'
  | 'eos'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface Scanned {
  tok: Token;
  lit: string;
}

const KEYWORDS: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(input: string): Scanned[] {
  const out: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos])) pos++;
    if (pos >= input.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    if (isSpecial(input[pos])) {
      // Longest run of special characters that still forms a token ("!=" before "!").
      let buffer = '';
      let last: Scanned | undefined;
      while (pos < input.length && isSpecial(input[pos])) {
        const next = buffer + input[pos];
        const tok = lookup(KEYWORDS, next);
        if (tok) {
          last = { tok, lit: next };
        } else if (last) {
          break;
        }
        buffer = next;
        pos++;
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
      if (!last) return [...out, { tok: 'eos', lit: '' }];
      continue;
    }
    let id = '';
    while (pos < input.length && !isSpecial(input[pos]) && !isWhitespace(input[pos])) id += input[pos++];
    out.push({ tok: lookup(KEYWORDS, id) ?? 'identifier', lit: id });
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly items: Scanned[]) {}

  // In a value position the keywords "in"/"notin" are ordinary identifiers.
  private peek(asValue = true): Scanned {
    const it = this.items[Math.min(this.pos, this.items.length - 1)];
    return asValue && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'identifier', lit: it.lit } : it;
  }

  private next(asValue = true): Scanned {
    const it = this.peek(asValue);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'eos') return reqs;
      if (tok !== 'identifier' && tok !== '!') syntax(`found '${lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const after = this.next();
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') syntax(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek();
      if (t2.tok !== 'identifier' && t2.tok !== '!') syntax(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    let first = this.next();
    let negated = false;
    if (first.tok === '!') {
      negated = true;
      first = this.next();
    }
    if (first.tok !== 'identifier') requirementError(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    const keyErrs = labelKeyErrors(key);
    if (keyErrs.length) requirementError(invalid('key', key, keyErrs));
    const following = this.peek().tok;
    if (following === 'eos' || following === ',') return wrap(() => newRequirement(key, negated ? '!' : 'exists', []));
    if (negated) syntax(`found '${this.peek().lit}', expected: ',' or 'end of string'`);

    const opTok = this.next(false);
    const op = lookup(OPERATOR_TOKENS, opTok.tok);
    if (!op) requirementError(`found '${opTok.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = op === 'in' || op === 'notin' ? this.valueSet() : [this.exactValue()];
    return wrap(() => newRequirement(key, op, values));
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') requirementError(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.tok === ')') {
      this.next();
      return [''];
    }
    if (first.tok !== 'identifier' && first.tok !== ',') requirementError(`found '${first.lit}', expected: ',', ')' or identifier`);
    const values = new Set<string>();
    for (;;) {
      const it = this.next();
      if (it.tok === 'identifier') {
        values.add(it.lit);
        const t2 = this.peek();
        if (t2.tok === ',') continue;
        if (t2.tok === ')') break;
        requirementError(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (it.tok === ',') {
        // "(,a)", "(a,,b)" and "(a,)" all contain the empty value.
        if (values.size === 0) values.add('');
        const t2 = this.peek();
        if (t2.tok === ')') {
          values.add('');
          break;
        }
        if (t2.tok === ',') values.add('');
      } else {
        requirementError(`found '${it.lit}', expected: ',', or identifier`);
      }
    }
    this.next(); // the ')'
    return [...values];
  }

  private exactValue(): string {
    const t = this.peek();
    if (t.tok === 'eos' || t.tok === ',') return '';
    const v = this.next();
    if (v.tok !== 'identifier') requirementError(`found '${v.lit}', expected: identifier`);
    return v.lit;
  }
}

const OPERATOR_TOKENS: Partial<Record<Token, LabelOperator>> = {
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

function syntax(message: string): never {
  throw new LabelSelectorError('LabelSelectorSyntax', message);
}

function requirementError(message: string): never {
  throw new LabelSelectorError('LabelSelectorSyntax', `unable to parse requirement: ${message}`);
}

function wrap(build: () => LabelRequirement): LabelRequirement {
  try {
    return build();
  } catch (err) {
    if (err instanceof LabelSelectorError) throw new LabelSelectorError(err.code, `unable to parse requirement: ${err.message}`);
    throw err;
  }
}

/**
 * Parses the string form (`?labelSelector=` and `kubectl -l`). The empty string matches
 * everything. Throws LabelSelectorError (→ 400 BadRequest) when malformed.
 */
export function parseLabelSelector(input: string): Selector {
  return Selector.of(new Parser(lex(input)).parse());
}

/** As parseLabelSelector, returning the error as a value. */
export function parseLabelSelectorOrError(input: string): Selector | LabelSelectorError {
  try {
    return parseLabelSelector(input);
  } catch (err) {
    if (err instanceof LabelSelectorError) return err;
    throw err;
  }
}
