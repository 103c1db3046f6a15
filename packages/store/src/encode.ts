/**
 * Response encoding exactly as etcd 3.4's gateway writes it: proto field names, int64 as strings,
 * bytes as base64, fields at their default omitted, fields in proto declaration order.
 * Built as strings by hand because this is the hot path (every answer, every watch event).
 */
import type { KeyValue } from './mvcc.js';
import type { DeleteResponse, OpResponse, PutResponse, RangeResponse, TxnResponse } from './txn.js';

export interface ServerIdentity {
  clusterId: string;
  memberId: string;
  raftTerm: string;
}

export class HeaderCodec {
  private cachedRev = -1;
  private cached = '';
  private readonly prefix: string;
  private readonly suffix: string;

  constructor(readonly id: ServerIdentity) {
    this.prefix = `{"cluster_id":"${id.clusterId}","member_id":"${id.memberId}"`;
    this.suffix = `"raft_term":"${id.raftTerm}"}`;
  }

  /** The top-level header; revision 0 is omitted (watch cancellations carry none). */
  full(rev: number): string {
    if (rev === this.cachedRev) return this.cached;
    const h = rev === 0 ? `${this.prefix},${this.suffix}` : `${this.prefix},"revision":"${rev}",${this.suffix}`;
    this.cachedRev = rev;
    this.cached = h;
    return h;
  }
}

/** Headers of responses nested in a txn carry only the revision. */
const nestedHeader = (rev: number) => (rev === 0 ? '{}' : `{"revision":"${rev}"}`);

/** mvccpb.KeyValue: key, create_revision, mod_revision, version, value, lease. */
export function encodeKv(kv: KeyValue, keysOnly = false): string {
  if (!keysOnly && kv.json !== undefined) return kv.json;
  let s = `{"key":"${kv.key.toString('base64')}"`;
  if (kv.createRev !== 0) s += `,"create_revision":"${kv.createRev}"`;
  if (kv.modRev !== 0) s += `,"mod_revision":"${kv.modRev}"`;
  if (kv.version !== 0) s += `,"version":"${kv.version}"`;
  if (!keysOnly && kv.value.length > 0) s += `,"value":"${kv.value.toString('base64')}"`;
  if (kv.lease !== 0n) s += `,"lease":"${kv.lease}"`;
  s += '}';
  if (!keysOnly) kv.json = s;
  return s;
}

function rangeBody(r: RangeResponse): string {
  let s = '';
  if (r.kvs.length > 0) s += `,"kvs":[${r.kvs.map((kv) => encodeKv(kv, r.keysOnly)).join(',')}]`;
  if (r.more) s += ',"more":true';
  if (r.count !== 0) s += `,"count":"${r.count}"`;
  return s;
}

function putBody(r: PutResponse): string {
  return r.prevKv ? `,"prev_kv":${encodeKv(r.prevKv)}` : '';
}

function deleteBody(r: DeleteResponse): string {
  let s = '';
  if (r.deleted !== 0) s += `,"deleted":"${r.deleted}"`;
  if (r.prevKvs && r.prevKvs.length > 0) s += `,"prev_kvs":[${r.prevKvs.map((kv) => encodeKv(kv)).join(',')}]`;
  return s;
}

function txnBody(r: TxnResponse): string {
  let s = '';
  if (r.succeeded) s += ',"succeeded":true';
  if (r.responses.length > 0) s += `,"responses":[${r.responses.map(encodeOp).join(',')}]`;
  return s;
}

function encodeOp(op: OpResponse): string {
  if ('range' in op) return `{"response_range":{"header":${nestedHeader(op.range.rev)}${rangeBody(op.range)}}}`;
  if ('put' in op) return `{"response_put":{"header":${nestedHeader(op.put.rev)}${putBody(op.put)}}}`;
  if ('deleteRange' in op) {
    return `{"response_delete_range":{"header":${nestedHeader(op.deleteRange.rev)}${deleteBody(op.deleteRange)}}}`;
  }
  return `{"response_txn":{"header":${nestedHeader(op.txn.rev)}${txnBody(op.txn)}}}`;
}

export const encodeRange = (h: HeaderCodec, r: RangeResponse) => `{"header":${h.full(r.rev)}${rangeBody(r)}}`;
export const encodePut = (h: HeaderCodec, r: PutResponse) => `{"header":${h.full(r.rev)}${putBody(r)}}`;
export const encodeDelete = (h: HeaderCodec, r: DeleteResponse) => `{"header":${h.full(r.rev)}${deleteBody(r)}}`;
export const encodeTxn = (h: HeaderCodec, r: TxnResponse) => `{"header":${h.full(r.rev)}${txnBody(r)}}`;
export const encodeHeaderOnly = (h: HeaderCodec, rev: number) => `{"header":${h.full(rev)}}`;

/** mvccpb.Event: type (PUT omitted), kv, prev_kv. A deletion's kv is {key, mod_revision}. */
export function encodeEvent(kv: KeyValue, prev: KeyValue | undefined): string {
  const type = kv.tombstone ? '"type":"DELETE",' : '';
  return `{${type}"kv":${encodeKv(kv)}${prev ? `,"prev_kv":${encodeKv(prev)}` : ''}}`;
}

const watchIdField = (id: bigint) => (id !== 0n ? `,"watch_id":"${id}"` : '');

export interface WatchLine {
  header: string;
  watchId: bigint;
  created?: boolean;
  canceled?: boolean;
  compactRevision?: number;
  events?: string[];
}

/** One line of the watch stream: {"result": WatchResponse}. */
export function encodeWatchLine(w: WatchLine): string {
  let s = `{"result":{"header":${w.header}${watchIdField(w.watchId)}`;
  if (w.created) s += ',"created":true';
  if (w.canceled) s += ',"canceled":true';
  if (w.compactRevision) s += `,"compact_revision":"${w.compactRevision}"`;
  if (w.events && w.events.length > 0) s += `,"events":[${w.events.join(',')}]`;
  return `${s}}}\n`;
}
