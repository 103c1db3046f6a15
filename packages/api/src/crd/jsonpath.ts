// The JSONPath subset additionalPrinterColumns and the scale subresource use: `.a.b`, `.a[0]`,
// `.a[*].b` and `.a[?(@.type=="Ready")].status`. Returns every match (kubectl prints the first for columns).

type Step = { key: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string } };

function parse(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = path.startsWith('{') && path.endsWith('}') ? 1 : 0;
  const end = i === 1 ? path.length - 1 : path.length;
  while (i < end) {
    const c = path[i];
    if (c === '.') {
      let j = i + 1;
      while (j < end && path[j] !== '.' && path[j] !== '[') j++;
      if (j === i + 1) return undefined;
      steps.push({ key: path.slice(i + 1, j) });
      i = j;
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = path.slice(i + 1, close);
      if (inner === '*') steps.push({ all: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else {
        const m = /^\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*["']([^"']*)["']\)$/.exec(inner);
        if (!m) return undefined;
        steps.push({ filter: { path: m[1].slice(1).split('.'), value: m[2] } });
      }
      i = close + 1;
    } else {
      return undefined;
    }
  }
  return steps;
}

function at(v: unknown, keys: string[]): unknown {
  let cur = v;
  for (const k of keys) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** The values `path` selects in `obj` (empty when none, or when the path is not in the subset). */
export function jsonPathValues(obj: unknown, path: string): unknown[] {
  const steps = parse(path.trim());
  if (!steps) return [];
  let cur: unknown[] = [obj];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if ('key' in s) { const x = at(v, [s.key]); if (x !== undefined) next.push(x); }
      else if (!Array.isArray(v)) continue;
      else if ('index' in s) { if (s.index < v.length) next.push(v[s.index]); }
      else if ('all' in s) next.push(...v);
      else next.push(...v.filter((e) => String(at(e, s.filter.path)) === s.filter.value));
    }
    cur = next;
  }
  return cur;
}

/** Sets the value at a plain dotted path (`.spec.replicas`), creating objects on the way. */
export function setJsonPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    const nxt = cur[k];
    cur = (nxt !== null && typeof nxt === 'object' && !Array.isArray(nxt) ? nxt : (cur[k] = {})) as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
}
