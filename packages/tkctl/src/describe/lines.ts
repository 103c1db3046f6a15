import { ageString, type KubeObject } from '@tinykube/api';
import { LAST_APPLIED } from '../apply/last-applied.js';

// The building blocks of `describe` output: "Key:  value" lines at an indent depth, headers
// ("Containers:") that open a section, and a renderer that aligns the values of each run of
// consecutive key/value lines, as kubectl's tab writer does.

export interface Line {
  depth: number;
  key: string;
  /** undefined: a section header ("Containers:"). */
  value?: string;
  /** A further line of the previous key's value (labels, tolerations). */
  continuation?: boolean;
}

export class Lines {
  readonly lines: Line[] = [];

  /** `Key:  value`; a multi-line value (array) continues under the first. */
  kv(depth: number, key: string, value: string | number | boolean | string[] | undefined | null): this {
    const values = Array.isArray(value) ? (value.length > 0 ? value : ['<none>']) : [value === undefined || value === null ? '<none>' : String(value)];
    this.lines.push({ depth, key, value: values[0] });
    for (const v of values.slice(1)) this.lines.push({ depth, key: '', value: v, continuation: true });
    return this;
  }

  header(depth: number, key: string): this {
    this.lines.push({ depth, key });
    return this;
  }

  /** A line printed as is (tables inside a section). */
  raw(text: string): this {
    this.lines.push({ depth: 0, key: text, value: undefined, continuation: true });
    return this;
  }

  render(): string {
    let out = '';
    let i = 0;
    while (i < this.lines.length) {
      const line = this.lines[i];
      if (line.value === undefined) {
        out += line.continuation ? `${line.key}\n` : `${indent(line.depth)}${line.key}:\n`;
        i++;
        continue;
      }
      // A block: consecutive lines with values; their values start at one column.
      let j = i;
      let width = 0;
      while (j < this.lines.length && this.lines[j].value !== undefined) {
        const l = this.lines[j];
        if (!l.continuation) width = Math.max(width, indent(l.depth).length + l.key.length + 1);
        j++;
      }
      for (const l of this.lines.slice(i, j)) {
        const label = l.continuation ? '' : `${indent(l.depth)}${l.key}:`;
        out += `${label.padEnd(width + 2)}${l.value}`.trimEnd() + '\n';
      }
      i = j;
    }
    return out;
  }
}

function indent(depth: number): string {
  return '  '.repeat(depth);
}

/** Labels as kubectl lists them: one `k=v` per line, sorted; `<none>` when empty. */
export function labelLines(labels: Record<string, string> | undefined): string[] {
  return Object.keys(labels ?? {}).sort().map((k) => `${k}=${labels![k]}`);
}

/** Annotations as `k: v` lines, without kubectl's last-applied configuration (as kubectl hides it). */
export function annotationLines(annotations: Record<string, string> | undefined): string[] {
  return Object.keys(annotations ?? {})
    .filter((k) => k !== LAST_APPLIED)
    .sort()
    .map((k) => `${k}: ${annotations![k]}`);
}

/** The lines every object starts with. */
export function metaLines(l: Lines, obj: KubeObject, namespaced: boolean): void {
  l.kv(0, 'Name', obj.metadata.name);
  if (namespaced) l.kv(0, 'Namespace', obj.metadata.namespace);
  l.kv(0, 'Labels', labelLines(obj.metadata.labels));
  l.kv(0, 'Annotations', annotationLines(obj.metadata.annotations));
}

/** RFC 1123 like kubectl's describe: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function timestamp(ts: unknown): string {
  if (typeof ts !== 'string' || ts === '') return '<unset>';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return d.toUTCString().replace('GMT', '+0000');
}

export function age(ts: unknown, now: Date): string {
  return ageString(typeof ts === 'string' ? ts : undefined, now);
}

/** Reads a nested field without casts at every call site. */
export function field(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function str(v: unknown, dflt = '<none>'): string {
  return v === undefined || v === null || v === '' ? dflt : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function arr(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Record<string, unknown>[]) : [];
}

export function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
