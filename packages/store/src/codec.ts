/**
 * Request shapes of etcd 3.4's v3 API: the proto descriptors that drive gateway-compatible
 * decoding (field order, names, numbers) and the zod schemas that type the decoded result.
 * int64 fields decode to bigint (lease IDs use all 64 bits); bytes to Buffer.
 */
import { z } from 'zod';
import { decodeError, EtcdServerError } from './errors.js';
import { decodeFirst, GoJsonError, type JNode } from './gojson.js';
import { decodeMessage, isDecodeError, type FieldDesc, type FieldKind, type MsgDesc } from './pbjson.js';

// ---- descriptors (etcd 3.4 rpc.proto) ----

const bytes: FieldKind = { k: 'bytes' };
const int64: FieldKind = { k: 'int64' };
const bool: FieldKind = { k: 'bool' };
const enumOf = (goType: string, names: string[]): FieldKind => ({
  k: 'enum',
  goType,
  values: Object.fromEntries(names.map((n, i) => [n, i])),
});
const msg = (desc: () => MsgDesc): FieldKind => ({ k: 'msg', desc });
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const f = (no: number, name: string, kind: FieldKind, extra: Partial<FieldDesc> = {}): FieldDesc => ({
  no,
  name,
  camel: camel(name),
  kind,
  ...extra,
});

export const SORT_ORDERS = ['NONE', 'ASCEND', 'DESCEND'] as const;
export const SORT_TARGETS = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'] as const;
export const COMPARE_RESULTS = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'] as const;
export const COMPARE_TARGETS = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'] as const;
export const FILTER_TYPES = ['NOPUT', 'NODELETE'] as const;

export const RangeRequestDesc: MsgDesc = {
  fields: [
    f(1, 'key', bytes),
    f(2, 'range_end', bytes),
    f(3, 'limit', int64),
    f(4, 'revision', int64),
    f(5, 'sort_order', enumOf('etcdserverpb.RangeRequest_SortOrder', [...SORT_ORDERS])),
    f(6, 'sort_target', enumOf('etcdserverpb.RangeRequest_SortTarget', [...SORT_TARGETS])),
    f(7, 'serializable', bool),
    f(8, 'keys_only', bool),
    f(9, 'count_only', bool),
    f(10, 'min_mod_revision', int64),
    f(11, 'max_mod_revision', int64),
    f(12, 'min_create_revision', int64),
    f(13, 'max_create_revision', int64),
  ],
};

export const PutRequestDesc: MsgDesc = {
  fields: [
    f(1, 'key', bytes),
    f(2, 'value', bytes),
    f(3, 'lease', int64),
    f(4, 'prev_kv', bool),
    f(5, 'ignore_value', bool),
    f(6, 'ignore_lease', bool),
  ],
};

export const DeleteRangeRequestDesc: MsgDesc = {
  fields: [f(1, 'key', bytes), f(2, 'range_end', bytes), f(3, 'prev_kv', bool)],
};

export const CompareDesc: MsgDesc = {
  fields: [
    f(1, 'result', enumOf('etcdserverpb.Compare_CompareResult', [...COMPARE_RESULTS])),
    f(2, 'target', enumOf('etcdserverpb.Compare_CompareTarget', [...COMPARE_TARGETS])),
    f(3, 'key', bytes),
    f(4, 'version', int64, { oneof: 'target_union' }),
    f(5, 'create_revision', int64, { oneof: 'target_union' }),
    f(6, 'mod_revision', int64, { oneof: 'target_union' }),
    f(7, 'value', bytes, { oneof: 'target_union' }),
    f(8, 'lease', int64, { oneof: 'target_union' }),
    f(64, 'range_end', bytes),
  ],
};

export const RequestOpDesc: MsgDesc = {
  fields: [
    f(1, 'request_range', msg(() => RangeRequestDesc), { oneof: 'request' }),
    f(2, 'request_put', msg(() => PutRequestDesc), { oneof: 'request' }),
    f(3, 'request_delete_range', msg(() => DeleteRangeRequestDesc), { oneof: 'request' }),
    f(4, 'request_txn', msg(() => TxnRequestDesc), { oneof: 'request' }),
  ],
};

export const TxnRequestDesc: MsgDesc = {
  fields: [
    f(1, 'compare', msg(() => CompareDesc), { repeated: true }),
    f(2, 'success', msg(() => RequestOpDesc), { repeated: true }),
    f(3, 'failure', msg(() => RequestOpDesc), { repeated: true }),
  ],
};

export const CompactionRequestDesc: MsgDesc = { fields: [f(1, 'revision', int64), f(2, 'physical', bool)] };
// Lease messages use upper-case field names whose JSON name is the same (TTL, ID).
export const LeaseGrantRequestDesc: MsgDesc = {
  fields: [{ no: 1, name: 'TTL', camel: 'TTL', kind: int64 }, { no: 2, name: 'ID', camel: 'ID', kind: int64 }],
};
export const LeaseIdRequestDesc: MsgDesc = { fields: [{ no: 1, name: 'ID', camel: 'ID', kind: int64 }] };
export const LeaseTimeToLiveRequestDesc: MsgDesc = {
  fields: [{ no: 1, name: 'ID', camel: 'ID', kind: int64 }, f(2, 'keys', bool)],
};
export const EmptyDesc: MsgDesc = { fields: [] };

export const WatchCreateRequestDesc: MsgDesc = {
  fields: [
    f(1, 'key', bytes),
    f(2, 'range_end', bytes),
    f(3, 'start_revision', int64),
    f(4, 'progress_notify', bool),
    f(5, 'filters', enumOf('etcdserverpb.WatchCreateRequest_FilterType', [...FILTER_TYPES]), { repeated: true }),
    f(6, 'prev_kv', bool),
    f(7, 'watch_id', int64),
    f(8, 'fragment', bool),
  ],
};
export const WatchCancelRequestDesc: MsgDesc = { fields: [f(1, 'watch_id', int64)] };
export const WatchRequestDesc: MsgDesc = {
  fields: [
    f(1, 'create_request', msg(() => WatchCreateRequestDesc), { oneof: 'request_union' }),
    f(2, 'cancel_request', msg(() => WatchCancelRequestDesc), { oneof: 'request_union' }),
    f(3, 'progress_request', msg(() => EmptyDesc), { oneof: 'request_union' }),
  ],
};

// ---- zod schemas: the types of decoded requests ----

const zBytes = z.instanceof(Buffer);

export const RangeRequest = z.object({
  key: zBytes,
  range_end: zBytes,
  limit: z.bigint(),
  revision: z.bigint(),
  sort_order: z.number().int(),
  sort_target: z.number().int(),
  serializable: z.boolean(),
  keys_only: z.boolean(),
  count_only: z.boolean(),
  min_mod_revision: z.bigint(),
  max_mod_revision: z.bigint(),
  min_create_revision: z.bigint(),
  max_create_revision: z.bigint(),
});
export type RangeRequest = z.infer<typeof RangeRequest>;

export const PutRequest = z.object({
  key: zBytes,
  value: zBytes,
  lease: z.bigint(),
  prev_kv: z.boolean(),
  ignore_value: z.boolean(),
  ignore_lease: z.boolean(),
});
export type PutRequest = z.infer<typeof PutRequest>;

export const DeleteRangeRequest = z.object({ key: zBytes, range_end: zBytes, prev_kv: z.boolean() });
export type DeleteRangeRequest = z.infer<typeof DeleteRangeRequest>;

export const Compare = z.object({
  result: z.number().int(),
  target: z.number().int(),
  key: zBytes,
  range_end: zBytes,
  // target_union: at most one is set
  version: z.bigint().optional(),
  create_revision: z.bigint().optional(),
  mod_revision: z.bigint().optional(),
  value: zBytes.optional(),
  lease: z.bigint().optional(),
});
export type Compare = z.infer<typeof Compare>;

export const RequestOp = z.object({
  request_range: RangeRequest.optional(),
  request_put: PutRequest.optional(),
  request_delete_range: DeleteRangeRequest.optional(),
  get request_txn() {
    return TxnRequest.optional();
  },
});
export type RequestOp = z.infer<typeof RequestOp>;

export const TxnRequest = z.object({
  compare: z.array(Compare),
  get success() {
    return z.array(RequestOp);
  },
  get failure() {
    return z.array(RequestOp);
  },
});
export type TxnRequest = z.infer<typeof TxnRequest>;

export const CompactionRequest = z.object({ revision: z.bigint(), physical: z.boolean() });
export type CompactionRequest = z.infer<typeof CompactionRequest>;
export const LeaseGrantRequest = z.object({ TTL: z.bigint(), ID: z.bigint() });
export type LeaseGrantRequest = z.infer<typeof LeaseGrantRequest>;
export const LeaseIdRequest = z.object({ ID: z.bigint() });
export type LeaseIdRequest = z.infer<typeof LeaseIdRequest>;
export const LeaseTimeToLiveRequest = z.object({ ID: z.bigint(), keys: z.boolean() });
export type LeaseTimeToLiveRequest = z.infer<typeof LeaseTimeToLiveRequest>;
export const EmptyRequest = z.object({});

export const WatchCreateRequest = z.object({
  key: zBytes,
  range_end: zBytes,
  start_revision: z.bigint(),
  progress_notify: z.boolean(),
  filters: z.array(z.number().int()),
  prev_kv: z.boolean(),
  watch_id: z.bigint(),
  fragment: z.boolean(),
});
export type WatchCreateRequest = z.infer<typeof WatchCreateRequest>;
export const WatchRequest = z.object({
  create_request: WatchCreateRequest.optional(),
  cancel_request: z.object({ watch_id: z.bigint() }).optional(),
  progress_request: z.object({}).optional(),
});
export type WatchRequest = z.infer<typeof WatchRequest>;

// ---- decoding entry points ----

/** A message kind: its descriptor plus the schema that types it. */
export interface MessageType<T> {
  desc: MsgDesc;
  schema: z.ZodType<T>;
}

export const Messages = {
  range: { desc: RangeRequestDesc, schema: RangeRequest },
  put: { desc: PutRequestDesc, schema: PutRequest },
  deleteRange: { desc: DeleteRangeRequestDesc, schema: DeleteRangeRequest },
  txn: { desc: TxnRequestDesc, schema: TxnRequest },
  compaction: { desc: CompactionRequestDesc, schema: CompactionRequest },
  leaseGrant: { desc: LeaseGrantRequestDesc, schema: LeaseGrantRequest },
  leaseId: { desc: LeaseIdRequestDesc, schema: LeaseIdRequest },
  leaseTimeToLive: { desc: LeaseTimeToLiveRequestDesc, schema: LeaseTimeToLiveRequest },
  empty: { desc: EmptyDesc, schema: EmptyRequest },
  watch: { desc: WatchRequestDesc, schema: WatchRequest },
} as const;

/** Types a decoded message with its schema; a failure here is a bug in the decoder, not bad input. */
function typed<T>(type: MessageType<T>, decoded: Record<string, unknown>): T {
  const r = type.schema.safeParse(decoded);
  if (!r.success) throw new EtcdServerError('Internal', 13, `tinykube-store: decoder produced an invalid message: ${r.error.message}`);
  return r.data;
}

/** Decodes a unary request body as the gateway does (an empty body is an empty message). */
export function decodeBody<T>(body: Buffer, type: MessageType<T>): T {
  let node: JNode | undefined;
  try {
    node = decodeFirst(body)?.node;
    return typed(type, decodeMessage(node, type.desc));
  } catch (err) {
    if (isDecodeError(err)) throw decodeError(err.message);
    throw err;
  }
}

/**
 * Decodes a streaming request body (watch, keepalive): a sequence of JSON messages. A bad body is
 * reported with gRPC code Unknown (HTTP 500), as etcd's gateway does for streams; garbage after
 * at least one good message is ignored (the gateway has already acted on the good ones).
 */
export function decodeStream<T>(body: Buffer, type: MessageType<T>): T[] {
  const out: T[] = [];
  let pos = 0;
  try {
    for (;;) {
      const next = decodeFirst(body, pos);
      if (!next) return out;
      out.push(typed(type, decodeMessage(next.node, type.desc)));
      pos = next.end;
    }
  } catch (err) {
    if (!isDecodeError(err)) throw err;
    if (out.length > 0) return out;
    throw decodeError(err.message, true);
  }
}

export { GoJsonError };
