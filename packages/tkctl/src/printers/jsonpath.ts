import { usageError } from '../errors.js';

// The subset of Kubernetes' JSONPath templates (k8s.io/client-go/util/jsonpath) that `-o jsonpath`
// users rely on: {.a.b}, {.items[*].metadata.name}, [n], [-1], [a:b], ['quoted.key'], ..name,
// [?(@.type=="Ready")], {range ...}{end}, {"literal"}, and plain text between expressions.
// Missing keys print nothing (kubectl's --allow-missing-template-keys=true).

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'recursive'; name: string | null }
  | { kind: 'filter'; left: Step[]; op?: string; right?: unknown };

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'path'; steps: Step[] }
  | { kind: 'range'; steps: Step[]; body: Node[] };

/** Parses a template once; `execute` may then run it on many objects. */
export function parseJsonPath(template: string): Node[] {
  const tokens = tokenize(template);
  const stack: { body: Node[]; steps?: Step[] }[] = [{ body: [] }];
  for (const t of tokens) {
    const top = stack[stack.length - 1];
    if (t.kind === 'text') top.body.push({ kind: 'text', text: t.text });
    else {
      const expr = t.text.trim();
      if (expr === 'end') {
        if (stack.length === 1) throw usageError(`error parsing jsonpath ${template}: not in range, nothing to end`);
        const done = stack.pop()!;
        stack[stack.length - 1].body.push({ kind: 'range', steps: done.steps!, body: done.body });
      } else if (expr.startsWith('range ') || expr === 'range') {
        stack.push({ body: [], steps: parsePath(expr.slice(5).trim(), template) });
      } else if (/^"(?:[^"\\]|\\.)*"$/.test(expr) || /^'[^']*'$/.test(expr)) {
        top.body.push({ kind: 'text', text: unquote(expr) });
      } else {
        top.body.push({ kind: 'path', steps: parsePath(expr, template) });
      }
    }
  }
  if (stack.length !== 1) throw usageError(`error parsing jsonpath ${template}: unclosed range`);
  return stack[0].body;
}

/** Runs a template against a value. */
export function executeJsonPath(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'path') out += evaluate(n.steps, [data]).map(show).join(' ');
    else for (const item of evaluate(n.steps, [data])) out += executeJsonPath(n.body, item);
  }
  return out;
}

export function jsonPath(template: string, data: unknown): string {
  return executeJsonPath(parseJsonPath(template), data);
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function tokenize(template: string): { kind: 'text' | 'expr'; text: string }[] {
  const out: { kind: 'text' | 'expr'; text: string }[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) out.push({ kind: 'text', text: template.slice(i, open) });
    // Find the matching close brace, skipping quoted strings (which may contain braces).
    let j = open + 1;
    let quote: string | null = null;
    for (; j < template.length; j++) {
      const ch = template[j];
      if (quote) {
        if (ch === '\\') j++;
        else if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '}') break;
    }
    if (j >= template.length) throw usageError(`error parsing jsonpath ${template}: unclosed action`);
    out.push({ kind: 'expr', text: template.slice(open + 1, j) });
    i = j + 1;
  }
  return out;
}

function unquote(s: string): string {
  if (s.startsWith("'")) return s.slice(1, -1);
  return JSON.parse(s) as string;
}

function parsePath(expr: string, template: string): Step[] {
  const fail = (why: string) => usageError(`error parsing jsonpath ${template}: ${why}`);
  const steps: Step[] = [];
  let i = 0;
  if (expr.startsWith('$')) i = 1;
  else if (expr.startsWith('@')) i = 1;
  while (i < expr.length) {
    if (expr.startsWith('..', i)) {
      i += 2;
      const m = /^[A-Za-z0-9_\-/]*/.exec(expr.slice(i))!;
      i += m[0].length;
      steps.push({ kind: 'recursive', name: m[0] === '' || m[0] === '*' ? null : m[0] });
    } else if (expr[i] === '.') {
      i++;
      if (expr[i] === '*') {
        i++;
        steps.push({ kind: 'wildcard' });
        continue;
      }
      // Field names stop at '.', '[' — a backslash escapes a dot ("app\.kubernetes\.io/name").
      let name = '';
      while (i < expr.length && expr[i] !== '.' && expr[i] !== '[') {
        if (expr[i] === '\\' && i + 1 < expr.length) i++;
        name += expr[i++];
      }
      if (name) steps.push({ kind: 'field', name });
    } else if (expr[i] === '[') {
      const close = findClose(expr, i);
      if (close < 0) throw fail('unterminated array');
      steps.push(parseBracket(expr.slice(i + 1, close).trim(), template));
      i = close + 1;
    } else {
      throw fail(`unrecognized character in action: ${expr[i]}`);
    }
  }
  return steps;
}

function findClose(expr: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let j = open; j < expr.length; j++) {
    const ch = expr[j];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') {
      depth--;
      if (depth === 0 && ch === ']') return j;
    }
  }
  return -1;
}

function parseBracket(inner: string, template: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^'.*'$|^".*"$/.test(inner)) return { kind: 'field', name: inner.slice(1, -1) };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const slice = /^(-?\d*):(-?\d*)(?::(-?\d*))?$/.exec(inner);
  if (slice) {
    const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));
    return { kind: 'slice', start: num(slice[1]), end: num(slice[2]), step: num(slice[3]) };
  }
  const filter = /^\?\((.*)\)$/.exec(inner);
  if (filter) {
    const m = /^(@[^=!<>]*?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(filter[1].trim());
    if (!m) return { kind: 'filter', left: parsePath(filter[1].trim(), template) };
    return { kind: 'filter', left: parsePath(m[1].trim(), template), op: m[2], right: literal(m[3].trim()) };
  }
  throw usageError(`error parsing jsonpath ${template}: invalid array index ${inner}`);
}

function literal(s: string): unknown {
  if (/^'.*'$/.test(s)) return s.slice(1, -1);
  if (/^".*"$/.test(s)) return JSON.parse(s);
  if (s === 'true' || s === 'false') return s === 'true';
  const n = Number(s);
  return Number.isNaN(n) ? s : n;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function evaluate(steps: Step[], values: unknown[]): unknown[] {
  let cur = values;
  for (const s of steps) cur = cur.flatMap((v) => applyStep(s, v));
  return cur;
}

function applyStep(s: Step, v: unknown): unknown[] {
  switch (s.kind) {
    case 'field':
      return isObj(v) && Object.hasOwn(v, s.name) ? [v[s.name]] : [];
    case 'wildcard':
      return Array.isArray(v) ? v : isObj(v) ? Object.values(v) : [];
    case 'index': {
      if (!Array.isArray(v)) return [];
      const i = s.index < 0 ? v.length + s.index : s.index;
      return i >= 0 && i < v.length ? [v[i]] : [];
    }
    case 'slice': {
      if (!Array.isArray(v)) return [];
      const norm = (x: number | undefined, d: number) => (x === undefined ? d : x < 0 ? Math.max(0, v.length + x) : Math.min(x, v.length));
      const out: unknown[] = [];
      const step = s.step && s.step > 0 ? s.step : 1;
      for (let i = norm(s.start, 0); i < norm(s.end, v.length); i += step) out.push(v[i]);
      return out;
    }
    case 'recursive':
      return descend(v, s.name);
    case 'filter':
      return (Array.isArray(v) ? v : [v]).filter((item) => matches(s, item));
  }
}

function descend(v: unknown, name: string | null): unknown[] {
  const out: unknown[] = [];
  const visit = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (isObj(x)) {
      for (const [k, val] of Object.entries(x)) {
        if (name === null || k === name) out.push(val);
        visit(val);
      }
    }
  };
  visit(v);
  return out;
}

function matches(s: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  const found = evaluate(s.left, [item]);
  if (s.op === undefined) return found.length > 0 && found[0] !== false && found[0] !== null;
  if (found.length === 0) return false;
  const a = found[0];
  const b = s.right;
  switch (s.op) {
    case '==': return a === b || String(a) === String(b);
    case '!=': return !(a === b || String(a) === String(b));
    case '<': return Number(a) < Number(b);
    case '>': return Number(a) > Number(b);
    case '<=': return Number(a) <= Number(b);
    case '>=': return Number(a) >= Number(b);
    default: return false;
  }
}
