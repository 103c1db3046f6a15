/**
 * etcd 3.4's KV request semantics on top of the MVCC index: range (limit, sort, filters),
 * put (prev_kv, ignore_value/ignore_lease), delete range, and txn (request validation, the
 * duplicate-key interval check, compares, then one revision for all writes).
 * Ported from etcdserver/apply.go and api/v3rpc/key.go so that answers and errors match.
 */
import type { DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest, Compare } from './codec.js';
import { etcdError } from './errors.js';
import type { KeyValue, RangeOptions, RangeResult, WriteTxn } from './mvcc.js';

/** What a request reads through: the durable view for reads, a WriteTxn for writes. */
export interface KvView {
  /** The revision this view sees (header revision of reads). */
  readonly viewRev: number;
  range(key: Buffer, end: Buffer | undefined, opts: RangeOptions): RangeResult;
}

export interface KvContext {
  compactRev: number;
  leaseExists(id: bigint): boolean;
}

export interface RangeResponse { rev: number; kvs: KeyValue[]; more: boolean; count: number; keysOnly: boolean }
export interface PutResponse { rev: number; prevKv?: KeyValue }
export interface DeleteResponse { rev: number; deleted: number; prevKvs?: KeyValue[] }
export type OpResponse =
  | { range: RangeResponse }
  | { put: PutResponse }
  | { deleteRange: DeleteResponse }
  | { txn: TxnResponse };
export interface TxnResponse { rev: number; succeeded: boolean; responses: OpResponse[] }

export const MAX_TXN_OPS = 128;

/** etcd's mkGteRange: "\0" as range_end means "every key >= key"; empty means "just key". */
export function rangeEnd(end: Buffer): Buffer | undefined {
  if (end.length === 0) return undefined;
  if (end.length === 1 && end[0] === 0) return Buffer.alloc(0);
  return end;
}

const big = (n: bigint) => Number(n);

export function checkRange(r: RangeRequest): void {
  if (r.key.length === 0) throw etcdError('emptyKey');
}

export function checkPut(r: PutRequest): void {
  if (r.key.length === 0) throw etcdError('emptyKey');
  if (r.ignore_value && r.value.length !== 0) throw etcdError('valueProvided');
  if (r.ignore_lease && r.lease !== 0n) throw etcdError('leaseProvided');
}

export function checkDelete(r: DeleteRangeRequest): void {
  if (r.key.length === 0) throw etcdError('emptyKey');
}

// ---- range ----

const SORT_NONE = 0;
const SORT_ASCEND = 1;
const SORT_DESCEND = 2;

export function doRange(view: KvView, r: RangeRequest): RangeResponse {
  const limit = big(r.limit);
  const fetchAll =
    r.sort_order !== SORT_NONE || r.min_mod_revision !== 0n || r.max_mod_revision !== 0n ||
    r.min_create_revision !== 0n || r.max_create_revision !== 0n;
  const rr = view.range(r.key, rangeEnd(r.range_end), {
    rev: big(r.revision),
    limit: fetchAll || limit <= 0 ? 0 : limit + 1, // one extra to learn `more`
    countOnly: r.count_only,
  });
  let kvs = rr.kvs;
  const maxMod = big(r.max_mod_revision);
  const minMod = big(r.min_mod_revision);
  const maxCreate = big(r.max_create_revision);
  const minCreate = big(r.min_create_revision);
  if (maxMod !== 0) kvs = kvs.filter((kv) => kv.modRev <= maxMod);
  if (minMod !== 0) kvs = kvs.filter((kv) => kv.modRev >= minMod);
  if (maxCreate !== 0) kvs = kvs.filter((kv) => kv.createRev <= maxCreate);
  if (minCreate !== 0) kvs = kvs.filter((kv) => kv.createRev >= minCreate);

  let order = r.sort_order;
  // mvcc returns keys in ascending order; other targets default to ascending
  if (r.sort_target !== 0 && order === SORT_NONE) order = SORT_ASCEND;
  if (order === SORT_ASCEND || order === SORT_DESCEND) {
    const cmp = sorter(r.sort_target);
    if (cmp) {
      const sign = order === SORT_ASCEND ? 1 : -1;
      kvs = [...kvs].sort((a, b) => sign * cmp(a, b));
    }
  }
  let more = false;
  if (limit > 0 && kvs.length > limit) {
    kvs = kvs.slice(0, limit);
    more = true;
  }
  return { rev: rr.rev, kvs, more, count: rr.count, keysOnly: r.keys_only };
}

function sorter(target: number): ((a: KeyValue, b: KeyValue) => number) | undefined {
  switch (target) {
    case 0: return (a, b) => Buffer.compare(a.key, b.key);
    case 1: return (a, b) => a.version - b.version;
    case 2: return (a, b) => a.createRev - b.createRev;
    case 3: return (a, b) => a.modRev - b.modRev;
    case 4: return (a, b) => Buffer.compare(a.value, b.value);
    default: return undefined;
  }
}

// ---- put / delete (inside a WriteTxn) ----

/** Assumes checkPut passed and the lease exists. */
export function doPut(txn: WriteTxn, p: PutRequest): PutResponse {
  let value = p.value;
  let lease = p.lease;
  let prev: KeyValue | undefined;
  if (p.ignore_value || p.ignore_lease || p.prev_kv) {
    prev = txn.range(p.key, undefined, { rev: 0, limit: 0, countOnly: false }).kvs[0];
  }
  if ((p.ignore_value || p.ignore_lease) && !prev) throw etcdError('keyNotFound');
  if (p.ignore_value && prev) value = prev.value;
  if (p.ignore_lease && prev) lease = prev.lease;
  txn.put(p.key, value, lease);
  return { rev: txn.rev, prevKv: p.prev_kv ? prev : undefined };
}

export function doDelete(txn: WriteTxn, d: DeleteRangeRequest): DeleteResponse {
  const end = rangeEnd(d.range_end);
  let prevKvs: KeyValue[] | undefined;
  if (d.prev_kv) prevKvs = txn.range(d.key, end, { rev: 0, limit: 0, countOnly: false }).kvs;
  const deleted = txn.deleteRange(d.key, end);
  return { rev: txn.viewRev, deleted, prevKvs };
}

// ---- txn ----

/** etcd's checkTxnRequest: op count, empty keys, empty ops (recursively). */
export function checkTxn(r: TxnRequest, maxOps = MAX_TXN_OPS): void {
  const opc = Math.max(r.compare.length, r.success.length, r.failure.length);
  if (opc > maxOps) throw etcdError('tooManyOps');
  for (const c of r.compare) if (c.key.length === 0) throw etcdError('emptyKey');
  for (const op of r.success) checkOp(op, maxOps - opc);
  for (const op of r.failure) checkOp(op, maxOps - opc);
}

function checkOp(op: RequestOp, maxOps: number): void {
  if (op.request_range) return checkRange(op.request_range);
  if (op.request_put) return checkPut(op.request_put);
  if (op.request_delete_range) return checkDelete(op.request_delete_range);
  if (op.request_txn) return checkTxn(op.request_txn, maxOps);
  throw etcdError('keyNotFound'); // an empty RequestOp
}

/** A half-open interval of keys; end undefined means "+infinity" (etcd's affine "" end). */
interface Interval { start: string; end: string | undefined }
const ls = (b: Buffer) => b.toString('latin1');
const hits = (dels: Interval[], k: string) => dels.some((iv) => k >= iv.start && (iv.end === undefined || k < iv.end));

/** etcd's checkIntervals: no key may be put twice or both put and deleted in one txn branch. */
export function checkIntervals(reqs: RequestOp[]): { puts: Set<string>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const op of reqs) {
    const d = op.request_delete_range;
    if (!d) continue;
    const start = ls(d.key);
    // a point is [k, k+"\0"); note range_end "\0" is a real (empty) interval here, as in etcd
    dels.push({ start, end: d.range_end.length !== 0 ? ls(d.range_end) : `${start}\0` });
  }
  const puts = new Set<string>();
  for (const op of reqs) {
    const t = op.request_txn;
    if (!t) continue;
    const then = checkIntervals(t.success);
    const els = checkIntervals(t.failure);
    for (const k of then.puts) {
      if (puts.has(k) || hits(dels, k)) throw etcdError('duplicateKey');
      puts.add(k);
    }
    for (const k of els.puts) {
      if (puts.has(k) && !then.puts.has(k)) throw etcdError('duplicateKey');
      if (hits(dels, k)) throw etcdError('duplicateKey');
      puts.add(k);
    }
    dels.push(...then.dels, ...els.dels);
  }
  for (const op of reqs) {
    const p = op.request_put;
    if (!p) continue;
    const k = ls(p.key);
    if (puts.has(k) || hits(dels, k)) throw etcdError('duplicateKey');
    puts.add(k);
  }
  return { puts, dels };
}

export function isTxnReadOnly(r: TxnRequest): boolean {
  const ro = (ops: RequestOp[]): boolean =>
    ops.every((op) => !op.request_put && !op.request_delete_range && (!op.request_txn || isTxnReadOnly(op.request_txn)));
  return ro(r.success) && ro(r.failure);
}

function compareOne(view: KvView, c: Compare): boolean {
  const { kvs } = view.range(c.key, rangeEnd(c.range_end), { rev: 0, limit: 0, countOnly: false });
  if (kvs.length === 0) {
    // nil == empty value in gRPC: a value compare on a missing key always fails
    if (c.target === 3) return false;
    return compareKv(c, undefined);
  }
  return kvs.every((kv) => compareKv(c, kv));
}

function compareKv(c: Compare, kv: KeyValue | undefined): boolean {
  let result: number;
  const n = (v: bigint | undefined) => v ?? 0n;
  const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  switch (c.target) {
    case 0: result = cmpBig(BigInt(kv?.version ?? 0), n(c.version)); break;
    case 1: result = cmpBig(BigInt(kv?.createRev ?? 0), n(c.create_revision)); break;
    case 2: result = cmpBig(BigInt(kv?.modRev ?? 0), n(c.mod_revision)); break;
    case 3: result = Buffer.compare(kv?.value ?? Buffer.alloc(0), c.value ?? Buffer.alloc(0)); break;
    case 4: result = cmpBig(kv?.lease ?? 0n, n(c.lease)); break;
    default: result = 0;
  }
  switch (c.result) {
    case 0: return result === 0;
    case 3: return result !== 0;
    case 1: return result > 0;
    case 2: return result < 0;
    default: return true;
  }
}

/** Evaluates compares along the taken path (etcd's compareToPath): one bool per txn, depth first. */
export function txnPath(view: KvView, r: TxnRequest): boolean[] {
  const ok = r.compare.every((c) => compareOne(view, c));
  const path = [ok];
  for (const op of ok ? r.success : r.failure) if (op.request_txn) path.push(...txnPath(view, op.request_txn));
  return path;
}

/** Validates the taken branch before anything is written (etcd's checkRequests). */
export function checkTxnOps(view: KvView, ctx: KvContext, r: TxnRequest, path: boolean[], isWrite: boolean): void {
  const walk = (t: TxnRequest, p: boolean[], check: (op: RequestOp) => void): number => {
    let used = 1;
    for (const op of p[0] ? t.success : t.failure) {
      check(op);
      if (op.request_txn) used += walk(op.request_txn, p.slice(used), check);
    }
    return used;
  };
  if (isWrite) {
    walk(r, path, (op) => {
      const put = op.request_put;
      if (!put) return;
      if ((put.ignore_value || put.ignore_lease) && view.range(put.key, undefined, { rev: 0, limit: 0, countOnly: false }).kvs.length === 0) {
        throw etcdError('keyNotFound');
      }
      if (put.lease !== 0n && !ctx.leaseExists(put.lease)) throw etcdError('leaseNotFound');
    });
  }
  walk(r, path, (op) => {
    const rr = op.request_range;
    if (!rr || rr.revision === 0n) return;
    if (big(rr.revision) > view.viewRev) throw etcdError('futureRev');
    if (big(rr.revision) < ctx.compactRev) throw etcdError('compacted');
  });
}

/**
 * Runs the taken branch. `view` is the WriteTxn for write txns (reads see earlier writes of the
 * same txn) or the read view for read-only ones. Returns the consumed path length.
 */
export function applyTxn(
  view: KvView,
  write: WriteTxn | undefined,
  r: TxnRequest,
  path: boolean[],
  out: TxnResponse,
): number {
  let used = 1;
  for (const op of path[0] ? r.success : r.failure) {
    if (op.request_range) out.responses.push({ range: doRange(view, op.request_range) });
    else if (op.request_put && write) out.responses.push({ put: doPut(write, op.request_put) });
    else if (op.request_delete_range && write) out.responses.push({ deleteRange: doDelete(write, op.request_delete_range) });
    else if (op.request_txn) {
      const inner: TxnResponse = { rev: 0, succeeded: path[used], responses: [] };
      used += applyTxn(view, write, op.request_txn, path.slice(used), inner);
      out.responses.push({ txn: inner });
    }
  }
  return used;
}
