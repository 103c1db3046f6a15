/**
 * What the WAL records: each record is one JSON payload describing an applied change, so that
 * replaying the records in order rebuilds exactly the same MVCC state and leases.
 * Changes are logged as their outcome (concrete keys put or deleted at a revision), never as the
 * original request, so replay does not depend on re-evaluating compares or ranges.
 */
import { z } from 'zod';

/** A put: [key b64, value b64, lease decimal]; a delete: [key b64]. */
export const WalOp = z.union([z.tuple([z.string()]), z.tuple([z.string(), z.string(), z.string()])]);
export type WalOp = z.infer<typeof WalOp>;

const Indexed = { /** record index (the status raftIndex), consecutive from 1 */ i: z.number().int() };

export const WalRecord = z.discriminatedUnion('t', [
  /** writes at revision r */
  z.object({ ...Indexed, t: z.literal('w'), r: z.number().int(), ops: z.array(WalOp) }),
  /** lease granted */
  z.object({ ...Indexed, t: z.literal('g'), id: z.string(), ttl: z.number().int() }),
  /** lease revoked or expired; its keys deleted at revision r (absent when it had none) */
  z.object({ ...Indexed, t: z.literal('v'), id: z.string(), r: z.number().int().optional(), ops: z.array(WalOp).optional() }),
  /** compaction at revision r */
  z.object({ ...Indexed, t: z.literal('c'), r: z.number().int() }),
]);
export type WalRecord = z.infer<typeof WalRecord>;
/** A record before the WAL numbers it. */
export type WalEntry = WalRecord extends infer R ? (R extends WalRecord ? Omit<R, 'i'> : never) : never;

export function encodeWalRecord(rec: WalRecord): Buffer {
  return Buffer.from(JSON.stringify(rec), 'utf8');
}

export class WalRecordError extends Error {
  override readonly name = 'WalRecordError';
  readonly code = 'WAL_RECORD_INVALID';
}

export function decodeWalRecord(payload: Buffer): WalRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new WalRecordError(`WAL record is not JSON: ${(err as Error).message}`);
  }
  const r = WalRecord.safeParse(raw);
  if (!r.success) throw new WalRecordError(`WAL record has an unexpected shape: ${r.error.message}`);
  return r.data;
}
