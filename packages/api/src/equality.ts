// Equality and canonical forms of JSON values: the one home of each (the apiserver, the controllers and the
// kubelet compare objects and hash templates with these).

/** Structural equality of JSON-like values; an absent property equals one set to undefined. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** The top-level keys whose values differ, for messages that say what changed. */
export function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !deepEqual(a[k], b[k])).sort();
}

/** Deterministic JSON (keys sorted), to tell whether a value changed or to hash it. Nulls are kept. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b))) : val,
  );
}

/**
 * Canonical JSON with apimachinery's Semantic.DeepEqual notion of "the same": keys sorted, and null/undefined
 * fields and empty objects/arrays dropped (nil and empty compare equal), so `creationTimestamp: null` (which kubectl
 * sends back on rollout undo) or `resources: {}` never make two otherwise equal templates differ. The Deployment
 * controller's pod-template-hash is computed from it: its output must not change.
 */
export function semanticJson(v: unknown): string {
  return JSON.stringify(semanticNormalize(v) ?? null);
}

function semanticNormalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => semanticNormalize(x) ?? null);
    return items.length ? items : undefined;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = semanticNormalize((v as Record<string, unknown>)[k]);
      if (x !== undefined) out[k] = x;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}

/** Semantic.DeepEqual for JSON values (see semanticJson). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return semanticJson(a) === semanticJson(b);
}
