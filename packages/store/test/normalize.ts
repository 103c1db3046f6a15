// Normalisation of etcd gateway answers so that a real etcd and tinykube-store can be compared field by field.
// Only what legitimately differs between two servers is rewritten:
//   - cluster_id, member_id, raft_term: identity of the server/cluster → '<id>' (presence still compared);
//   - revisions (revision, create_revision, mod_revision, compact_revision) → '@N', N relative to the revision
//     at the start of the case (a JSON number is left alone, so int64-as-string is still checked);
//   - lease IDs (ID, lease) → 'L1', 'L2', … in order of first appearance (etcd picks random IDs).
import type { Json, JsonObject } from './wire.js';

const IDENTITY = new Set(['cluster_id', 'member_id', 'raft_term']);
const REVISIONS = new Set(['revision', 'create_revision', 'mod_revision', 'compact_revision']);
const LEASE_IDS = new Set(['ID', 'lease']);

export class Normalizer {
  private base = 0;
  private leases = new Map<string, string>();

  /** Starts a new case: revisions become relative to `base`, lease placeholders restart at L1. */
  reset(base: number): void {
    this.base = base;
    this.leases = new Map();
  }

  /** The placeholder a lease ID is (or will be) shown as. */
  lease(id: string): string {
    let name = this.leases.get(id);
    if (!name) {
      name = `L${this.leases.size + 1}`;
      this.leases.set(id, name);
    }
    return name;
  }

  /** Absolute revision for a relative one (to build requests such as start_revision). */
  abs(rel: number): string {
    return String(this.base + rel);
  }

  norm(x: Json | undefined): Json | undefined {
    if (Array.isArray(x)) return x.map((v) => this.norm(v) ?? null);
    if (x === null || typeof x !== 'object') return x;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(x)) {
      if (IDENTITY.has(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = '<id>';
      else if (REVISIONS.has(k) && typeof v === 'string' && /^-?\d+$/.test(v)) out[k] = `@${Number(v) - this.base}`;
      else if (LEASE_IDS.has(k) && typeof v === 'string' && /^-?\d+$/.test(v) && v !== '0') out[k] = this.lease(v);
      else out[k] = this.norm(v) ?? null;
    }
    return out;
  }
}

// ---- builders for expected (normalised) answers ----

export const ID = '<id>';

/** A response header at relative revision n. */
export function H(n: number): JsonObject {
  return { cluster_id: ID, member_id: ID, revision: `@${n}`, raft_term: ID };
}

/** A KeyValue as etcd writes it: empty value and lease 0 are omitted. */
export function KV(key: string, value: string, create: number, mod: number, version: number, lease?: string): JsonObject {
  const kv: JsonObject = { key: Buffer.from(key).toString('base64'), create_revision: `@${create}`, mod_revision: `@${mod}`, version: String(version) };
  if (value !== '') kv.value = Buffer.from(value).toString('base64');
  if (lease) kv.lease = lease;
  return kv;
}

/** The KeyValue of a DELETE event: only key and mod_revision. */
export function DEL(key: string, mod: number): JsonObject {
  return { key: Buffer.from(key).toString('base64'), mod_revision: `@${mod}` };
}
