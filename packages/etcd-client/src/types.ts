// The public shapes of @tinykube/etcd-client. These are the package's contract (shared with the apiserver and
// the store's tests), written out by hand on purpose: they are the decoded, camelCase view, not the wire JSON.
// The wire JSON is described by the zod schemas in codec.ts.

/** Revisions are JS numbers (etcd's int64 never gets near 2^53 here); lease ids are decimal strings. */
export interface KeyValue {
  key: Buffer;
  value: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
  /** '0' = no lease */
  lease: string;
}

export interface ResponseHeader {
  clusterId: string;
  memberId: string;
  revision: number;
  raftTerm: string;
}

export interface RangeOptions {
  rangeEnd?: string | Buffer;
  prefix?: boolean;
  limit?: number;
  revision?: number;
  countOnly?: boolean;
  keysOnly?: boolean;
  sortOrder?: 'NONE' | 'ASCEND' | 'DESCEND';
  sortTarget?: 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';
}

export interface RangeResult {
  header: ResponseHeader;
  kvs: KeyValue[];
  count: number;
  more: boolean;
}

export interface PutResult {
  header: ResponseHeader;
  prevKv?: KeyValue;
}

export interface DeleteResult {
  header: ResponseHeader;
  deleted: number;
  prevKvs: KeyValue[];
}

export type Compare = { key: string | Buffer; rangeEnd?: string | Buffer; result: 'EQUAL' | 'NOT_EQUAL' | 'GREATER' | 'LESS' } & (
  | { target: 'VERSION'; version: number }
  | { target: 'CREATE'; createRevision: number }
  | { target: 'MOD'; modRevision: number }
  | { target: 'VALUE'; value: string | Buffer }
  | { target: 'LEASE'; lease: string }
);

export type TxnOp =
  | { put: { key: string | Buffer; value: string | Buffer; lease?: string; prevKv?: boolean } }
  | { range: { key: string | Buffer } & RangeOptions }
  | { deleteRange: { key: string | Buffer; rangeEnd?: string | Buffer; prefix?: boolean; prevKv?: boolean } };

export type TxnOpResult = { put: PutResult } | { range: RangeResult } | { deleteRange: DeleteResult };

export interface TxnResult {
  header: ResponseHeader;
  succeeded: boolean;
  responses: TxnOpResult[];
}

/** Result of a compare-and-swap helper: a failed CAS is a value, not an exception (kine's style). */
export type CasResult = { ok: true; revision: number } | { ok: false; current?: KeyValue };

export interface WatchOptions {
  rangeEnd?: string | Buffer;
  prefix?: boolean;
  /** First revision to deliver; omitted = from "now" (the revision at which the server created the watch). */
  startRevision?: number;
  prevKv?: boolean;
  progressNotify?: boolean;
  filters?: ('NOPUT' | 'NODELETE')[];
  signal?: AbortSignal;
}

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prevKv?: KeyValue;
}

/** progress: true for an empty progress notification (header.revision = everything up to it was delivered). */
export interface WatchBatch {
  header: ResponseHeader;
  events: WatchEvent[];
  progress: boolean;
}

export interface EtcdClientOptions {
  endpoints: string[];
  /** Per unary request; default 10_000. Watches are not bounded by it once established. */
  requestTimeoutMs?: number;
  /** https endpoints: the CA to trust and the client cert (etcdctl's --cacert --cert --key), PEM text. */
  tls?: { ca?: string; cert?: string; key?: string };
}

export interface LeaseInfo {
  id: string;
  ttl: number;
}

export interface LeaseTimeToLive {
  id: string;
  /** Remaining seconds; -1 when the lease does not exist (as etcd answers). */
  ttl: number;
  grantedTtl: number;
  keys: Buffer[];
}

export interface StatusResult {
  header: ResponseHeader;
  version: string;
  dbSize: number;
  leader: string;
  raftTerm: string;
  raftIndex: string;
}
