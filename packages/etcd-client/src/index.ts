// @tinykube/etcd-client: a client for etcd v3's JSON gateway (POST /v3/...), usable against a real etcd and
// against tinykube-store. This file is the package's only public door.
export { EtcdClient } from './client.js';
export { EtcdError, isCompacted, isFutureRevision, isLeaseNotFound, isUnavailable, GrpcCode } from './errors.js';
export { prefixEnd } from './codec.js';
export type {
  CasResult,
  Compare,
  DeleteResult,
  EtcdClientOptions,
  KeyValue,
  LeaseInfo,
  LeaseTimeToLive,
  PutResult,
  RangeOptions,
  RangeResult,
  ResponseHeader,
  StatusResult,
  TxnOp,
  TxnOpResult,
  TxnResult,
  WatchBatch,
  WatchEvent,
  WatchOptions,
} from './types.js';
