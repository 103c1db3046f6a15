// Field sets in kube's FieldsV1 form. A path is a list of elements, each encoded as kube does:
// `f:<field>`, `k:<json of the key fields>` (list-map items), `v:<json>` (set items), `i:<n>` (positions).
// A set holds member paths; FieldsV1 nests them, marking a member that also has children with ".".

import { isJsonObject, type JsonObject } from '../patch/json-value.js';

export type Path = readonly string[];

const enc = (p: Path): string => JSON.stringify(p);
const dec = (k: string): Path => JSON.parse(k) as Path;

export class FieldSet {
  private readonly members: Set<string>;

  constructor(paths: Iterable<Path> = []) {
    this.members = new Set([...paths].map(enc));
  }

  private static of(keys: Iterable<string>): FieldSet {
    const s = new FieldSet();
    for (const k of keys) s.members.add(k);
    return s;
  }

  has(p: Path): boolean { return this.members.has(enc(p)); }
  add(p: Path): void { this.members.add(enc(p)); }
  get size(): number { return this.members.size; }
  isEmpty(): boolean { return this.members.size === 0; }
  paths(): Path[] { return [...this.members].map(dec).sort(comparePaths); }

  union(o: FieldSet): FieldSet { return FieldSet.of([...this.members, ...o.members]); }
  difference(o: FieldSet): FieldSet { return FieldSet.of([...this.members].filter((k) => !o.members.has(k))); }
  intersection(o: FieldSet): FieldSet { return FieldSet.of([...this.members].filter((k) => o.members.has(k))); }
  equals(o: FieldSet): boolean { return this.size === o.size && [...this.members].every((k) => o.members.has(k)); }
  filter(keep: (p: Path) => boolean): FieldSet { return FieldSet.of([...this.members].filter((k) => keep(dec(k)))); }

  /** The FieldsV1 document: nested objects, children sorted as kube serializes them, "." first. */
  toFieldsV1(): JsonObject {
    const root: JsonObject = {};
    for (const p of this.paths()) {
      let node = root;
      for (const el of p) {
        if (!isJsonObject(node[el])) node[el] = {};
        node = node[el] as JsonObject;
      }
      node['.'] = {};
    }
    return tidy(root);
  }

  static fromFieldsV1(doc: unknown): FieldSet {
    const s = new FieldSet();
    const walk = (node: unknown, path: string[]): void => {
      if (!isJsonObject(node)) return;
      const keys = Object.keys(node);
      if (keys.length === 0 && path.length > 0) s.add(path);
      for (const k of keys) {
        if (k === '.') s.add(path);
        else walk(node[k], [...path, k]);
      }
    };
    walk(doc, []);
    return s;
  }
}

/** Drops "." where a member has no children (a leaf is `{}`) and orders keys: ".", then by element. */
function tidy(node: JsonObject): JsonObject {
  const keys = Object.keys(node).filter((k) => k !== '.').sort(compareElements);
  if (keys.length === 0) return {};
  const out: JsonObject = {};
  if ('.' in node) out['.'] = {};
  for (const k of keys) out[k] = tidy(node[k] as JsonObject);
  return out;
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** kube's element order: by kind (fields, keys, values, indexes), then by content. */
export function compareElements(a: string, b: string): number {
  const ra = RANK[a[0]] ?? 9, rb = RANK[b[0]] ?? 9;
  if (ra !== rb) return ra - rb;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareElements(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** A path as kube prints it in conflicts: `.spec.containers[name="c"].image`, `[=v]`, `[0]`. */
export function pathString(p: Path): string {
  return p.map((el) => {
    const body = el.slice(2);
    switch (el[0]) {
      case 'f': return `.${body}`;
      case 'i': return `[${body}]`;
      case 'v': return `[=${body}]`;
      case 'k': {
        const key = JSON.parse(body) as Record<string, unknown>;
        return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      }
      default: return el;
    }
  }).join('');
}
