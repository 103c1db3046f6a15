import { patchMetaOrDefault, type PatchFieldMeta, type PatchMeta } from '@tinykube/api';

// kubectl's client-side apply patch (strategicpatch.CreateThreeWayMergePatch): from the
// last-applied configuration (`original`), the new manifest (`modified`) and the live object
// (`current`) build a strategic merge patch that
//   - sets every field of `modified` that differs from `current` (additions and changes), and
//   - deletes every field that was in `original` but is gone from `modified` (null, or
//     `{$patch: delete}` for an element of a list merged by key, or $deleteFromPrimitiveList),
// leaving fields that only the server or other writers set alone. Lists merged by key also get
// `$setElementOrder/<list>` so the server keeps the manifest's order, as kubectl sends it.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The patch that takes `current` to `modified`, deleting what `original` had and `modified`
 * dropped. `kind` selects the merge keys (the same table the apiserver applies patches with).
 * An empty object means nothing to change.
 */
export function threeWayMergePatch(original: unknown, modified: Obj, current: Obj, kind: string | PatchMeta): Obj {
  const meta = typeof kind === 'string' ? patchMetaOrDefault(kind) : kind;
  return diffMaps(isObj(original) ? original : undefined, modified, current, meta);
}

function diffMaps(original: Obj | undefined, modified: Obj, current: Obj | undefined, meta: PatchMeta): Obj {
  const patch: Obj = {};
  for (const [key, m] of Object.entries(modified)) {
    const c = current?.[key];
    const o = original?.[key];
    const fieldMeta: PatchFieldMeta | undefined = Object.hasOwn(meta, key) ? meta[key] : undefined;
    if (m === null) {
      // An explicit null in a manifest means "absent".
      if (c !== undefined && c !== null) patch[key] = null;
    } else if (isObj(m) && isObj(c) && !fieldMeta?.replace) {
      const sub = diffMaps(isObj(o) ? o : undefined, m, c, fieldMeta?.fields ?? {});
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(m) && Array.isArray(c) && fieldMeta?.merge) {
      Object.assign(patch, fieldMeta.mergeKey
        ? diffKeyedList(key, Array.isArray(o) ? o : [], m, c, fieldMeta.mergeKey, fieldMeta.fields ?? {})
        : diffPrimitiveSet(key, Array.isArray(o) ? o : [], m, c));
    } else if (!jsonEqual(m, c)) {
      patch[key] = m;
    }
  }
  // Deletions: what the last apply set and this manifest no longer has.
  if (original) for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  return patch;
}

function diffKeyedList(key: string, original: unknown[], modified: unknown[], current: unknown[], mergeKey: string, fields: PatchMeta): Obj {
  const keyed = (list: unknown[]) => list.every((x) => isObj(x) && x[mergeKey] !== undefined);
  // Elements without their merge key cannot be merged: send the whole list, as kubectl would.
  if (!keyed(modified) || !keyed(current)) return jsonEqual(modified, current) ? {} : { [key]: modified };
  const find = (list: unknown[], k: unknown) => list.find((x) => isObj(x) && jsonEqual(x[mergeKey], k)) as Obj | undefined;
  const items: unknown[] = [];
  for (const mi of modified as Obj[]) {
    const k = mi[mergeKey];
    const ci = find(current, k);
    if (!ci) {
      items.push(mi);
      continue;
    }
    const sub = diffMaps(find(original, k), mi, ci, fields);
    if (Object.keys(sub).length > 0) items.push({ ...sub, [mergeKey]: k });
  }
  for (const oi of original) {
    if (!isObj(oi) || oi[mergeKey] === undefined) continue;
    if (!find(modified, oi[mergeKey])) items.push({ $patch: 'delete', [mergeKey]: oi[mergeKey] });
  }
  const order = (current as Obj[]).map((x) => x[mergeKey]);
  const reordered = !jsonEqual(order.filter((k) => modified.some((mi) => jsonEqual((mi as Obj)[mergeKey], k))), (modified as Obj[]).map((x) => x[mergeKey]).filter((k) => find(current, k)));
  if (items.length === 0 && !reordered) return {};
  const out: Obj = { [`$setElementOrder/${key}`]: (modified as Obj[]).map((x) => ({ [mergeKey]: x[mergeKey] })) };
  if (items.length > 0) out[key] = items;
  return out;
}

function diffPrimitiveSet(key: string, original: unknown[], modified: unknown[], current: unknown[]): Obj {
  const has = (list: unknown[], v: unknown) => list.some((x) => jsonEqual(x, v));
  const added = modified.filter((v) => !has(current, v));
  const removed = original.filter((v) => !has(modified, v));
  if (added.length === 0 && removed.length === 0) return {};
  const out: Obj = { [`$setElementOrder/${key}`]: modified };
  if (added.length > 0) out[key] = added;
  if (removed.length > 0) out[`$deleteFromPrimitiveList/${key}`] = removed;
  return out;
}
