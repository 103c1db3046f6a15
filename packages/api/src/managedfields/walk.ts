// The fields an object sets (kube's ToFieldSet) and the difference of two objects (kube's Compare),
// walked with the kind's list semantics. Leaves are scalars, atomic lists and maps, empty maps and
// nulls; every list item is a member too. Server-owned metadata is never owned by anyone.

import { isJsonObject, jsonEqual } from '../patch/json-value.js';
import { FieldSet, type Path } from './field-set.js';
import { childSemantics, type TypeSemantics } from './semantics.js';

/** metadata fields no manager owns (kube's strip-meta manager). */
const STRIPPED_META = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink',
  'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generateName'];
const STRIPPED_ROOT = ['apiVersion', 'kind'];

/** The element naming item `i` of a list with `list` semantics. */
export function itemElement(item: unknown, index: number, s: TypeSemantics | undefined): string {
  const list = s?.list;
  if (list?.type === 'set') return `v:${JSON.stringify(item)}`;
  if (list?.type === 'map' && isJsonObject(item)) {
    const key: Record<string, unknown> = {};
    for (const k of [...list.keys].sort()) if (item[k] !== undefined && item[k] !== null) key[k] = item[k];
    if (Object.keys(key).length > 0) return `k:${JSON.stringify(key)}`;
  }
  return `i:${index}`;
}

function isGranularList(s: TypeSemantics | undefined): boolean {
  return s?.list !== undefined && s.list.type !== 'atomic';
}

/** Every member path of `value` with the value found there (a list item's value is the item). */
export function leavesOf(value: unknown, s: TypeSemantics | undefined): Map<string, { path: Path; value: unknown }> {
  const out = new Map<string, { path: Path; value: unknown }>();
  const put = (path: Path, v: unknown): void => { out.set(JSON.stringify(path), { path, value: v }); };
  const walk = (v: unknown, sem: TypeSemantics | undefined, path: string[]): void => {
    if (isJsonObject(v) && !sem?.atomic && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) {
        if (path.length === 0 && STRIPPED_ROOT.includes(k)) continue;
        if (path.length === 1 && path[0] === 'f:metadata' && STRIPPED_META.includes(k)) continue;
        walk(x, childSemantics(sem, k), [...path, `f:${k}`]);
      }
    } else if (Array.isArray(v) && isGranularList(sem)) {
      v.forEach((item, i) => {
        const p = [...path, itemElement(item, i, sem)];
        put(p, item);
        if (sem?.list?.type === 'map' && isJsonObject(item)) walk(item, sem, p);
      });
    } else if (path.length > 0) {
      put(path, v);
    }
  };
  walk(value, s, []);
  return out;
}

export function fieldSetOf(value: unknown, s: TypeSemantics | undefined): FieldSet {
  return new FieldSet([...leavesOf(value, s).values()].map((l) => l.path));
}

export interface Comparison { added: FieldSet; modified: FieldSet; removed: FieldSet }

/** What changed from `before` to `after`: paths added, removed, and leaves whose value differs. */
export function compareObjects(before: unknown, after: unknown, s: TypeSemantics | undefined): Comparison {
  const a = leavesOf(before, s), b = leavesOf(after, s);
  const added = new FieldSet(), modified = new FieldSet(), removed = new FieldSet();
  for (const [k, l] of b) {
    const old = a.get(k);
    if (!old) added.add(l.path);
    else if (!isItem(l.path) && !jsonEqual(old.value, l.value)) modified.add(l.path);
  }
  for (const [k, l] of a) if (!b.has(k)) removed.add(l.path);
  return { added, modified, removed };
}

function isItem(p: Path): boolean {
  const last = p[p.length - 1] ?? '';
  return last.startsWith('k:') || last.startsWith('v:') || last.startsWith('i:');
}
