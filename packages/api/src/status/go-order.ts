import type { Status, StatusCause, StatusDetails } from '../schemas/meta.js';

/**
 * metav1.Status's JSON field order as Go's encoding/json writes it (struct order: TypeMeta, ListMeta, then
 * status, message, reason, details, code). Clients compare error bodies as text, so ours match byte for byte.
 */
const STATUS_KEYS = ['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'details', 'code'] as const;
const DETAILS_KEYS = ['name', 'group', 'kind', 'uid', 'causes', 'retryAfterSeconds'] as const;
const CAUSE_KEYS = ['reason', 'message', 'field'] as const;

/** A copy of `obj` with `keys` first, in that order (absent ones skipped), then any other keys as they were. */
function ordered<T extends object>(obj: T, keys: readonly string[]): T {
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  for (const [k, v] of Object.entries(src)) if (!(k in out) && v !== undefined) out[k] = v;
  return out as T;
}

export function statusInGoOrder(s: Status): Status {
  const out = ordered(s, STATUS_KEYS);
  if (out.details) {
    const d: StatusDetails = ordered(out.details, DETAILS_KEYS);
    if (Array.isArray(d.causes)) d.causes = d.causes.map((c: StatusCause) => ordered(c, CAUSE_KEYS));
    out.details = d;
  }
  return out;
}
