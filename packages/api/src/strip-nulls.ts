// Go decodes a JSON `null` into a field's zero value, so Kubernetes accepts manifests such as
// `kubectl create --dry-run -o yaml` output (`creationTimestamp: null`, `resources: {}`).
// Schemas model absent fields as optional, so nulls in objects are dropped before parsing.

/** A copy of `value` with every object property whose value is null removed (arrays keep their items). */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null) out[k] = stripNulls(v);
  }
  return out;
}
