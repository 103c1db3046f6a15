// Kubernetes strategic merge patch (application/strategic-merge-patch+json), following the
// semantics of k8s.io/apimachinery/pkg/util/strategicpatch when applied by the apiserver:
//
// - objects merge key by key; `null` deletes a key;
// - lists tagged "merge" (patch-meta.ts) merge by their merge key, or as a set of primitives;
//   other lists are replaced;
// - directives: `$patch: replace|delete` (on an object or as a list element),
//   `$setElementOrder/<list>`, `$retainKeys`, `$deleteFromPrimitiveList/<list>`.
//
// Ordering follows Kubernetes exactly: items named by the patch keep the patch's order,
// server-only items keep theirs and are interleaved by their position in the live list;
// without $setElementOrder, new items land before the remaining server-only items.

import { cloneJson, isJsonObject, jsonKind, setOwn, type JsonObject } from './json-value.js';
import { PatchError } from './patch-error.js';
import { patchMetaOrDefault, type PatchFieldMeta, type PatchMeta } from './patch-meta.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

function bad(message: string): PatchError {
  return new PatchError('BadStrategicPatch', message);
}

/**
 * Applies a strategic merge patch to `original` (a Kubernetes object of `kind`), returning a
 * new object; the inputs are not modified. `kind` selects the merge table (patch-meta.ts);
 * a PatchMeta may be passed instead. Throws PatchError: status 400 for a malformed patch,
 * 422 for one that conflicts with itself.
 */
export function strategicMergePatch(original: unknown, patch: unknown, kind: string | PatchMeta): unknown {
  if (!isJsonObject(patch)) throw new PatchError('BadPatchDocument', 'invalid JSON document: a strategic merge patch must be a JSON object');
  const meta = typeof kind === 'string' ? patchMetaOrDefault(kind) : kind;
  const target = isJsonObject(original) ? cloneJson(original) : {};
  return mergeMap(target, cloneJson(patch), meta);
}

/** Merges `patch` into `original`; both are private copies and may be modified. */
function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    delete patch[DIRECTIVE];
    if (directive === 'replace') return cleanNewValue(patch) as JsonObject;
    if (directive === 'delete') return {};
    // "merge" is the default behaviour; Kubernetes rejects it on objects, we accept it as a no-op.
    if (directive !== 'merge') throw bad(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, meta);

  const deleteLists: [string, unknown][] = [];
  for (const [key, patchValue] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deleteLists.push([listKey(key, DELETE_FROM_PRIMITIVE_LIST), patchValue]);
      continue;
    }
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const fieldMeta: PatchFieldMeta | undefined = Object.hasOwn(meta, key) ? meta[key] : undefined;
    const current = Object.hasOwn(original, key) ? original[key] : undefined;
    if (current === undefined || jsonKind(current) !== jsonKind(patchValue)) {
      setOrDrop(original, key, patchValue);
    } else if (isJsonObject(current)) {
      setOwn(original, key, fieldMeta?.replace ? cleanNewValue(patchValue) : mergeMap(current, patchValue as JsonObject, fieldMeta?.fields ?? {}));
    } else if (Array.isArray(current)) {
      setOwn(original, key, fieldMeta?.merge ? mergeList(current, patchValue as unknown[], fieldMeta) : cleanNewValue(patchValue));
    } else {
      setOwn(original, key, patchValue);
    }
  }
  // Deletions from primitive lists run after additions so the result does not depend on key order.
  for (const [key, toDelete] of deleteLists) deleteFromPrimitiveList(original, key, toDelete);
  return original;
}

/** Sets a value taken from the patch, minus directives and nulls; a bare directive is dropped. */
function setOrDrop(original: JsonObject, key: string, patchValue: unknown): void {
  if (isJsonObject(patchValue) && Object.hasOwn(patchValue, DIRECTIVE)) {
    // A directive on an object that does not exist yet: "replace" still yields the object.
    if (patchValue[DIRECTIVE] !== 'replace' && patchValue[DIRECTIVE] !== 'merge') {
      delete original[key];
      return;
    }
  }
  setOwn(original, key, cleanNewValue(patchValue));
}

/**
 * A patch value that lands in the object as is: drop directive keys, list elements that are
 * directives, and null object values (Kubernetes discards unmatched nulls).
 */
function cleanNewValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((v) => !(isJsonObject(v) && Object.hasOwn(v, DIRECTIVE))).map(cleanNewValue);
  }
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
      setOwn(out, k, cleanNewValue(v));
    }
    return out;
  }
  return value;
}

function listKey(directiveKey: string, prefix: string): string {
  const key = directiveKey.slice(prefix.length);
  if (key === '') {
    throw bad(prefix === SET_ELEMENT_ORDER ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list');
  }
  return key;
}

// --- $retainKeys ---

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw bad('invalid patch format of retainKeys: $retainKeys must be a list');
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw bad(`invalid patch format of retainKeys: field ${JSON.stringify(k)} is not in $retainKeys`);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

// --- $deleteFromPrimitiveList ---

function deleteFromPrimitiveList(original: JsonObject, key: string, toDelete: unknown): void {
  if (!Object.hasOwn(original, key)) return;
  if (toDelete === null) {
    delete original[key];
    return;
  }
  const current = original[key];
  if (!Array.isArray(toDelete)) throw bad('invalid patch format of primitive list: $deleteFromPrimitiveList must be a list');
  if (!Array.isArray(current)) return;
  if (toDelete.some((v) => isJsonObject(v) || Array.isArray(v))) {
    throw bad('invalid patch format of primitive list: $deleteFromPrimitiveList may only hold primitives');
  }
  setOwn(original, key, current.filter((v) => !toDelete.includes(v)));
}

// --- lists ---

type ElementKind = 'object' | 'primitive';

/** All elements must share one JSON type; lists of lists are not supported (as in Kubernetes). */
function elementKind(...lists: unknown[][]): ElementKind | undefined {
  let seen: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = jsonKind(v);
      if (k === 'array') throw new PatchError('StrategicPatchConflict', 'lists of lists are not supported');
      if (seen === undefined) seen = k;
      else if (seen !== k) throw bad(`list element types are not identical: ${seen} and ${k}`);
    }
  }
  if (seen === undefined) return undefined;
  return seen === 'object' ? 'object' : 'primitive';
}

/** The identity of a list element: its merge-key value for objects, itself for primitives. */
function identity(item: unknown, mergeKey: string | undefined): unknown {
  if (mergeKey === undefined) return item;
  if (!isJsonObject(item) || !Object.hasOwn(item, mergeKey)) {
    throw bad(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
  }
  return item[mergeKey];
}

function indexOf(list: readonly unknown[], id: unknown, mergeKey: string | undefined): number {
  return list.findIndex((x) => identity(x, mergeKey) === id);
}

function mergeList(original: unknown[], patch: unknown[], meta: PatchFieldMeta): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  if (kind === 'primitive') {
    const merged = [...new Set([...original, ...patch])];
    return enforceOrder(merged, patch, original, undefined);
  }
  const mergeKey = meta.mergeKey;
  if (mergeKey === undefined) throw bad('cannot merge lists of objects without a merge key');

  // Directive elements first: `$patch: delete` removes by key, `$patch: replace` replaces the list.
  let base = original;
  let items: unknown[] = [];
  let replace = false;
  for (const item of patch) {
    const obj = item as JsonObject;
    if (!Object.hasOwn(obj, DIRECTIVE)) {
      items.push(obj);
      continue;
    }
    const directive = obj[DIRECTIVE];
    if (directive === 'delete') {
      const id = identity(obj, mergeKey);
      base = base.filter((x) => identity(x, mergeKey) !== id);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw bad('merging lists cannot yet be specified in the patch');
    } else {
      throw bad(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(obj)}`);
    }
  }
  if (replace) {
    base = items.map(cleanNewValue);
    items = [];
  }

  const merged = [...base];
  for (const item of items) {
    const id = identity(item, mergeKey);
    const at = indexOf(merged, id, mergeKey);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, item as JsonObject, meta.fields ?? {});
    else merged.push(cleanNewValue(item));
  }
  return enforceOrder(merged, items, base, mergeKey);
}

/**
 * Orders `merged`: items named in `patchOrder` follow that order; the others ("server-only")
 * keep their order in `serverOrder` and are interleaved by it.
 */
function enforceOrder(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
  const patchIds = patchOrder.map((x) => identity(x, mergeKey));
  const serverIds = serverOrder.map((x) => identity(x, mergeKey));
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) (patchIds.includes(identity(item, mergeKey)) ? inPatch : serverOnly).push(item);
  const byPatch = sortBy(inPatch, patchIds, mergeKey);
  const byServer = sortBy(serverOnly, serverIds, mergeKey);
  return interleave(byServer, byPatch, serverIds, mergeKey);
}

function sortBy(items: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const rank = (x: unknown) => {
    const i = order.indexOf(identity(x, mergeKey));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.item);
}

/**
 * Kubernetes' mergeSortedSlice: walk both lists, taking the server-only item only when both
 * items are in the live list and the server-only one comes first there.
 */
function interleave(serverOnly: unknown[], patchItems: unknown[], serverIds: unknown[], mergeKey: string | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (j >= patchItems.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(patchItems[j++]);
    else {
      const li = serverIds.indexOf(identity(serverOnly[i], mergeKey));
      const ri = serverIds.indexOf(identity(patchItems[j], mergeKey));
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}

// --- $setElementOrder ---

/**
 * Handles each `$setElementOrder/<list>` with its list: merges the list, then orders it by the
 * directive (precedence: $setElementOrder, then the patch list, then the live list). Both keys
 * are removed from the patch so the main loop does not see them again.
 */
function applySetElementOrder(original: JsonObject, patch: JsonObject, meta: PatchMeta): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    const key = listKey(directiveKey, SET_ELEMENT_ORDER);
    if (!Array.isArray(order)) throw bad(`invalid patch format of setElementOrder list: ${directiveKey} must be a list`);

    const fieldMeta: PatchFieldMeta | undefined = Object.hasOwn(meta, key) ? meta[key] : undefined;
    const hasOriginal = Object.hasOwn(original, key) && original[key] !== null;
    const hasPatch = Object.hasOwn(patch, key) && patch[key] !== null;
    if (!hasOriginal && !hasPatch) continue;
    const originalList = hasOriginal ? original[key] : [];
    const patchList = hasPatch ? patch[key] : [];
    if (!Array.isArray(originalList) || !Array.isArray(patchList)) {
      // Not a list on one side: leave it to the main loop's type-mismatch rule.
      continue;
    }
    if (!fieldMeta?.merge) continue; // a replaced list has no order to set
    const kind = elementKind(originalList, patchList, order);
    const mergeKey = kind === 'object' ? fieldMeta.mergeKey : undefined;
    if (kind === 'object' && mergeKey === undefined) throw bad('cannot merge lists of objects without a merge key');
    validateOrder(patchList, order, mergeKey);

    let merged: unknown[];
    if (!hasPatch) merged = originalList;
    else if (!hasOriginal) merged = cleanNewValue(patchList) as unknown[];
    else merged = mergeList(originalList, patchList, fieldMeta);
    setOwn(original, key, enforceOrder(merged, order, originalList, mergeKey));
    delete patch[key];
  }
}

/** The patch list's items (deletions and directives aside) must appear in the order list, in order. */
function validateOrder(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  const items = patchList.filter((x) => !(isJsonObject(x) && Object.hasOwn(x, DIRECTIVE)));
  const orderIds = order.map((x) => identity(x, mergeKey));
  let o = 0;
  for (const item of items) {
    const id = identity(item, mergeKey);
    while (o < orderIds.length && orderIds[o] !== id) o++;
    if (o >= orderIds.length) {
      throw bad(`the order in patch list ${JSON.stringify(patchList)} doesn't match $setElementOrder list ${JSON.stringify(order)}`);
    }
    o++;
  }
}
