// @tinykube/etcd-client: a client for etcd v3's JSON gateway (POST /v3/...), usable against a real etcd and
// against tinykube-store. This file is the package's only public door.
export { EtcdClient } from './client.js';
export { EtcdError, isCompacted, isFutureRevision, isLeaseNotFound, isUnavailable, GrpcCode } from './errors.js';
export { prefixEnd } from './codec.js';
/** Every request, result and option type of the client (types.ts holds nothing else). */
export type * from './types.js';
