// etcd v3 JSON gateway encoding: bytes are base64, int64 fields are JSON strings (numbers accepted when decoding),
// and fields at their default value are omitted by the server (missing kvs/count/more/succeeded, event type PUT).
// The zod schemas below are the single description of the wire; decode* turn them into the public types.
import { z } from 'zod';
import type { Compare, DeleteResult, KeyValue, PutResult, RangeOptions, RangeResult, ResponseHeader, TxnOp, TxnOpResult } from './types.js';

const int64 = z.union([z.string(), z.number()]).optional();
const bytes = z.string().optional();

export const wireHeader = z.object({
  cluster_id: int64,
  member_id: int64,
  revision: int64,
  raft_term: int64,
});

export const wireKv = z.object({
  key: bytes,
  value: bytes,
  create_revision: int64,
  mod_revision: int64,
  version: int64,
  lease: int64,
});

export const wireRange = z.object({ header: wireHeader.optional(), kvs: z.array(wireKv).optional(), count: int64, more: z.boolean().optional() });
export const wirePut = z.object({ header: wireHeader.optional(), prev_kv: wireKv.optional() });
export const wireDelete = z.object({ header: wireHeader.optional(), deleted: int64, prev_kvs: z.array(wireKv).optional() });
export const wireTxn = z.object({
  header: wireHeader.optional(),
  succeeded: z.boolean().optional(),
  responses: z
    .array(z.object({ response_put: wirePut.optional(), response_range: wireRange.optional(), response_delete_range: wireDelete.optional() }))
    .optional(),
});
export const wireHeaderOnly = z.object({ header: wireHeader.optional() });

export const wireWatchResult = z.object({
  header: wireHeader.optional(),
  watch_id: int64,
  created: z.boolean().optional(),
  canceled: z.boolean().optional(),
  compact_revision: int64,
  cancel_reason: z.string().optional(),
  fragment: z.boolean().optional(),
  events: z.array(z.object({ type: z.enum(['PUT', 'DELETE']).optional(), kv: wireKv.optional(), prev_kv: wireKv.optional() })).optional(),
});
/** One line of a /v3/watch stream: a result, or an error in gateway form ({"error","message","code"} or nested). */
export const wireWatchLine = z.object({
  result: wireWatchResult.optional(),
  error: z.union([z.string(), z.object({ message: z.string().optional(), grpc_code: z.number().optional(), http_code: z.number().optional() }).loose()]).optional(),
  message: z.string().optional(),
  code: z.number().optional(),
});

/** The gateway's error body: {"error","message","code"}. */
export const wireError = z.object({ error: z.string().optional(), message: z.string().optional(), code: z.number().optional() });

export type WireKv = z.infer<typeof wireKv>;
export type WireHeader = z.infer<typeof wireHeader>;

// ---- primitives ----

export function toBytes(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v) : v;
}

export function b64(v: string | Buffer): string {
  return toBytes(v).toString('base64');
}

export function fromB64(v: string | undefined): Buffer {
  return v ? Buffer.from(v, 'base64') : Buffer.alloc(0);
}

export function num(v: string | number | undefined): number {
  return v === undefined ? 0 : Number(v);
}

export function str64(v: string | number | undefined): string {
  return v === undefined ? '0' : String(v);
}

/** etcd's getPrefix: the smallest key greater than every key starting with `prefix` ([0] = no upper bound). */
export function prefixEnd(prefix: string | Buffer): Buffer {
  const b = Buffer.from(toBytes(prefix));
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i] < 0xff) {
      b[i]++;
      return b.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** Key and range_end for a request: explicit rangeEnd wins; prefix of '' means every key (etcd's "\0".."\0"). */
export function keyRange(key: string | Buffer, opts: { rangeEnd?: string | Buffer; prefix?: boolean }): { key: string; range_end?: string } {
  const k = toBytes(key);
  if (opts.rangeEnd !== undefined) return { key: b64(k), range_end: b64(opts.rangeEnd) };
  if (opts.prefix) {
    if (k.length === 0) return { key: b64(Buffer.from([0])), range_end: b64(Buffer.from([0])) };
    return { key: b64(k), range_end: b64(prefixEnd(k)) };
  }
  return { key: b64(k) };
}

// ---- decoding ----

export function decodeHeader(h: WireHeader | undefined): ResponseHeader {
  return { clusterId: str64(h?.cluster_id), memberId: str64(h?.member_id), revision: num(h?.revision), raftTerm: str64(h?.raft_term) };
}

export function decodeKv(kv: WireKv): KeyValue {
  return {
    key: fromB64(kv.key),
    value: fromB64(kv.value),
    createRevision: num(kv.create_revision),
    modRevision: num(kv.mod_revision),
    version: num(kv.version),
    lease: str64(kv.lease),
  };
}

export function decodeRange(r: z.infer<typeof wireRange>): RangeResult {
  return { header: decodeHeader(r.header), kvs: (r.kvs ?? []).map(decodeKv), count: num(r.count), more: r.more ?? false };
}

export function decodePut(r: z.infer<typeof wirePut>): PutResult {
  const out: PutResult = { header: decodeHeader(r.header) };
  if (r.prev_kv) out.prevKv = decodeKv(r.prev_kv);
  return out;
}

export function decodeDelete(r: z.infer<typeof wireDelete>): DeleteResult {
  return { header: decodeHeader(r.header), deleted: num(r.deleted), prevKvs: (r.prev_kvs ?? []).map(decodeKv) };
}

export function decodeTxnResponses(rs: z.infer<typeof wireTxn>['responses']): TxnOpResult[] {
  return (rs ?? []).map((r): TxnOpResult => {
    if (r.response_put) return { put: decodePut(r.response_put) };
    if (r.response_range) return { range: decodeRange(r.response_range) };
    if (r.response_delete_range) return { deleteRange: decodeDelete(r.response_delete_range) };
    // An op whose response is entirely default values serialises as {} — only a put can be that empty
    // (a range always has a header with the revision), but be lenient and report it as an empty put.
    return { put: { header: decodeHeader(undefined) } };
  });
}

// ---- encoding ----

export type WireObject = Record<string, unknown>;

export function encodeRange(key: string | Buffer, o: RangeOptions = {}): WireObject {
  const req: WireObject = keyRange(key, o);
  if (o.limit) req.limit = String(o.limit);
  if (o.revision) req.revision = String(o.revision);
  if (o.countOnly) req.count_only = true;
  if (o.keysOnly) req.keys_only = true;
  if (o.sortOrder && o.sortOrder !== 'NONE') req.sort_order = o.sortOrder;
  if (o.sortTarget && o.sortTarget !== 'KEY') req.sort_target = o.sortTarget;
  return req;
}

export function encodePut(
  key: string | Buffer,
  value: string | Buffer,
  o: { lease?: string; prevKv?: boolean; ignoreValue?: boolean; ignoreLease?: boolean } = {},
): WireObject {
  const req: WireObject = { key: b64(key) };
  // etcd rejects a value together with ignore_value ("etcdserver: value is provided").
  if (o.ignoreValue) req.ignore_value = true;
  else req.value = b64(value);
  if (o.lease && o.lease !== '0') req.lease = o.lease;
  if (o.prevKv) req.prev_kv = true;
  if (o.ignoreLease) req.ignore_lease = true;
  return req;
}

export function encodeDelete(key: string | Buffer, o: { rangeEnd?: string | Buffer; prefix?: boolean; prevKv?: boolean } = {}): WireObject {
  const req: WireObject = keyRange(key, o);
  if (o.prevKv) req.prev_kv = true;
  return req;
}

export function encodeCompare(c: Compare): WireObject {
  const req: WireObject = { ...keyRange(c.key, { rangeEnd: c.rangeEnd }), result: c.result, target: c.target };
  switch (c.target) {
    case 'VERSION': req.version = String(c.version); break;
    case 'CREATE': req.create_revision = String(c.createRevision); break;
    case 'MOD': req.mod_revision = String(c.modRevision); break;
    case 'VALUE': req.value = b64(c.value); break;
    case 'LEASE': req.lease = c.lease; break;
  }
  return req;
}

export function encodeTxnOp(op: TxnOp): WireObject {
  if ('put' in op) return { request_put: encodePut(op.put.key, op.put.value, op.put) };
  if ('range' in op) return { request_range: encodeRange(op.range.key, op.range) };
  return { request_delete_range: encodeDelete(op.deleteRange.key, op.deleteRange) };
}
