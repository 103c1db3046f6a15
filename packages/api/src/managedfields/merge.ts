// Merging an applied configuration into a live object, and removing owned fields from an object,
// with the kind's list semantics: maps merge by field, list-maps by key, sets by value, atomic
// lists and scalars are replaced.

import { cloneJson, isJsonObject, jsonEqual, setOwn, type JsonObject } from '../patch/json-value.js';
import type { Path } from './field-set.js';
import { itemElement } from './walk.js';
import { childSemantics, type TypeSemantics } from './semantics.js';

/** live ⊕ config: what the object is once `config` is applied over it (inputs untouched). */
export function mergeApplied(live: unknown, config: unknown, s: TypeSemantics | undefined): unknown {
  if (isJsonObject(live) && isJsonObject(config) && !s?.atomic) {
    const out = cloneJson(live);
    for (const [k, v] of Object.entries(config)) setOwn(out, k, mergeApplied(live[k], v, childSemantics(s, k)));
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config) && s?.list && s.list.type !== 'atomic') {
    const out = live.map((x) => cloneJson(x));
    const index = new Map(out.map((x, i) => [itemElement(x, i, s), i]));
    config.forEach((item, i) => {
      const el = itemElement(item, i, s);
      const at = el.startsWith('i:') ? undefined : index.get(el);
      if (at === undefined) out.push(cloneJson(item));
      else if (s.list?.type === 'map') out[at] = mergeApplied(out[at], item, s);
    });
    return out;
  }
  return cloneJson(config);
}

/** A copy of `obj` without the values at `paths` (list items by key or value). */
export function removePaths(obj: unknown, paths: readonly Path[], s: TypeSemantics | undefined): unknown {
  const out = cloneJson(obj);
  for (const p of paths) removeAt(out, p, 0, s);
  return out;
}

function removeAt(node: unknown, p: Path, depth: number, s: TypeSemantics | undefined): void {
  const el = p[depth];
  const last = depth === p.length - 1;
  if (isJsonObject(node) && el.startsWith('f:')) {
    const k = el.slice(2);
    if (!Object.hasOwn(node, k)) return;
    if (last) delete (node as JsonObject)[k];
    else removeAt(node[k], p, depth + 1, childSemantics(s, k));
    return;
  }
  if (Array.isArray(node)) {
    const i = node.findIndex((x, j) => itemElement(x, j, s) === el || (el.startsWith('v:') && jsonEqual(x, JSON.parse(el.slice(2)))));
    if (i < 0) return;
    if (last) node.splice(i, 1);
    else removeAt(node[i], p, depth + 1, s);
  }
}
