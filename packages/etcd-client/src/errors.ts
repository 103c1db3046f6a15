// One error class for everything the server (or the network) refuses. etcd's JSON gateway only tells errors apart
// by gRPC code plus message text (compacted and future revision are both code 11), so the predicates below match
// etcd's fixed message strings — the same strings etcd's own Go client compares against (rpctypes).

/** gRPC status codes used by etcd. */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  FAILED_PRECONDITION: 9,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;

export const MSG_COMPACTED = 'mvcc: required revision has been compacted';
export const MSG_FUTURE_REV = 'mvcc: required revision is a future revision';
export const MSG_LEASE_NOT_FOUND = 'requested lease not found';

export interface EtcdErrorInit {
  grpcCode: number;
  /** 0 when no HTTP response was received (network failure, timeout). */
  httpStatus: number;
  etcdMessage: string;
  compactRevision?: number;
  cause?: unknown;
}

export class EtcdError extends Error {
  /** etcd's gRPC code (e.g. 11 OUT_OF_RANGE for compacted/future revision, 5 NOT_FOUND lease, 14 UNAVAILABLE network). */
  readonly grpcCode: number;
  readonly httpStatus: number;
  /** etcd's "error" text, e.g. 'etcdserver: mvcc: required revision has been compacted'. */
  readonly etcdMessage: string;
  /** Set for watch cancellations caused by compaction. */
  readonly compactRevision?: number;

  constructor(init: EtcdErrorInit) {
    super(init.etcdMessage, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'EtcdError';
    this.grpcCode = init.grpcCode;
    this.httpStatus = init.httpStatus;
    this.etcdMessage = init.etcdMessage;
    if (init.compactRevision !== undefined) this.compactRevision = init.compactRevision;
  }
}

/** The requested revision (range, watch start, compaction) is at or below the compacted revision. */
export function isCompacted(err: unknown): err is EtcdError {
  return err instanceof EtcdError && (err.compactRevision !== undefined || err.etcdMessage.includes(MSG_COMPACTED));
}

/** The requested revision (range, compaction) is above the store's current revision. */
export function isFutureRevision(err: unknown): err is EtcdError {
  return err instanceof EtcdError && err.etcdMessage.includes(MSG_FUTURE_REV);
}

/** The lease named by a put, keep-alive or revoke does not exist (never granted, revoked or expired). */
export function isLeaseNotFound(err: unknown): err is EtcdError {
  return err instanceof EtcdError && err.etcdMessage.includes(MSG_LEASE_NOT_FOUND);
}

/** The request never got an answer (connection refused/reset, timeout). */
export function isUnavailable(err: unknown): err is EtcdError {
  return err instanceof EtcdError && err.httpStatus === 0;
}

/** Maps an HTTP status with a non-JSON body (e.g. the gateway's plain "Not Found") to the closest gRPC code. */
export function grpcCodeForStatus(status: number): number {
  if (status === 404) return GrpcCode.UNIMPLEMENTED;
  if (status === 400) return GrpcCode.INVALID_ARGUMENT;
  if (status === 503) return GrpcCode.UNAVAILABLE;
  if (status === 504) return GrpcCode.DEADLINE_EXCEEDED;
  return GrpcCode.UNKNOWN;
}
