import type { KubeObject, ResourceInfo } from '@tinykube/api';
import { Lines, metaLines, timestamp } from './lines.js';

// The describer for kinds without their own: metadata, then every other top-level field as an
// indented tree with kubectl's generic wording (camelCase keys as capitalized words).

/** "matchLabels" → "Match Labels", "podCIDR" → "Pod CIDR". */
export function humanKey(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const RAW_KEYED = new Set(['Data', 'String Data', 'Binary Data', 'Labels', 'Annotations', 'Match Labels', 'Selector', 'Node Selector', 'Capacity', 'Allocatable', 'Limits', 'Requests']);

export function describeGeneric(info: ResourceInfo, obj: KubeObject): Lines {
  const l = new Lines();
  metaLines(l, obj, info.namespaced);
  l.kv(0, 'API Version', obj.apiVersion || info.apiVersion);
  l.kv(0, 'Kind', obj.kind || info.kind);
  l.kv(0, 'CreationTimestamp', timestamp(obj.metadata.creationTimestamp));
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    tree(l, 0, humanKey(k), v);
  }
  return l;
}

/** Writes a value: scalars on the key's line, objects and lists as indented sections. */
export function tree(l: Lines, depth: number, key: string, v: unknown): void {
  if (v === null || v === undefined || typeof v !== 'object') {
    l.kv(depth, key, v === undefined || v === null ? '' : String(v));
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0 || v.every((x) => typeof x !== 'object' || x === null)) {
      l.kv(depth, key, v.length === 0 ? '<none>' : v.map(String).join(', '));
      return;
    }
    l.header(depth, key);
    for (const item of v) {
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        const entries = Object.entries(item);
        entries.forEach(([k, x]) => tree(l, depth + 1, humanKey(k), x));
      } else tree(l, depth + 1, '-', item);
    }
    return;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) {
    l.kv(depth, key, '<none>');
    return;
  }
  l.header(depth, key);
  // Maps keyed by user data (labels, data, selectors) keep their keys as written.
  const rawKeys = RAW_KEYED.has(key);
  for (const [k, x] of entries) tree(l, depth + 1, rawKeys ? k : humanKey(k), x);
}
