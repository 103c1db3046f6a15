import { goJsonString } from './gojson.js';

/** gRPC status codes that etcd's errors use. */
export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  OutOfRange: 11,
  Unavailable: 14,
  Internal: 13,
} as const;

/** grpc-gateway v1's HTTPStatusFromCode, as etcd 3.4's gateway maps gRPC codes to HTTP. */
export function httpStatusFromGrpc(code: number): number {
  switch (code) {
    case 0: return 200;
    case 1: return 408;
    case 2: return 500;
    case 3: return 400;
    case 4: return 504;
    case 5: return 404;
    case 6: return 409;
    case 7: return 403;
    case 8: return 429;
    case 9: return 412;
    case 10: return 409;
    case 11: return 400;
    case 12: return 501;
    case 13: return 500;
    case 14: return 503;
    case 15: return 500;
    case 16: return 401;
    default: return 500;
  }
}

/** One error on the wire: `{"error": msg, "message": msg, "code": grpcCode}` with its HTTP status. */
export class EtcdServerError extends Error {
  override readonly name = 'EtcdServerError';
  readonly httpStatus: number;
  constructor(
    /** Stable identifier for branching in code (never branch on message text). */
    readonly reason: string,
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
    this.httpStatus = httpStatusFromGrpc(grpcCode);
  }

  /** The gateway's JSON error body. */
  body(): string {
    const m = goJsonString(this.message);
    return `{"error":${m},"message":${m},"code":${this.grpcCode}}`;
  }
}

const def = (reason: string, code: number, message: string) => ({ reason, code, message });

/**
 * The registry of etcd 3.4 errors this server can return, worded and coded as the real server
 * does (each was checked against etcd 3.4.23's gateway).
 */
export const ETCD_ERRORS = {
  emptyKey: def('EmptyKey', GrpcCode.InvalidArgument, 'etcdserver: key is not provided'),
  keyNotFound: def('KeyNotFound', GrpcCode.InvalidArgument, 'etcdserver: key not found'),
  valueProvided: def('ValueProvided', GrpcCode.InvalidArgument, 'etcdserver: value is provided'),
  leaseProvided: def('LeaseProvided', GrpcCode.InvalidArgument, 'etcdserver: lease is provided'),
  tooManyOps: def('TooManyOps', GrpcCode.InvalidArgument, 'etcdserver: too many operations in txn request'),
  duplicateKey: def('DuplicateKey', GrpcCode.InvalidArgument, 'etcdserver: duplicate key given in txn request'),
  compacted: def('Compacted', GrpcCode.OutOfRange, 'etcdserver: mvcc: required revision has been compacted'),
  futureRev: def('FutureRevision', GrpcCode.OutOfRange, 'etcdserver: mvcc: required revision is a future revision'),
  leaseNotFound: def('LeaseNotFound', GrpcCode.NotFound, 'etcdserver: requested lease not found'),
  leaseExist: def('LeaseExist', GrpcCode.FailedPrecondition, 'etcdserver: lease already exists'),
  leaseTTLTooLarge: def('LeaseTTLTooLarge', GrpcCode.OutOfRange, 'etcdserver: too large lease TTL'),
  requestTooLarge: def('RequestTooLarge', GrpcCode.InvalidArgument, 'etcdserver: request is too large'),
  stopped: def('Stopped', GrpcCode.Unavailable, 'etcdserver: server stopped'),
} as const;

export type EtcdErrorName = keyof typeof ETCD_ERRORS;

/** A fresh error for a registry entry. */
export function etcdError(name: EtcdErrorName): EtcdServerError {
  const d = ETCD_ERRORS[name];
  return new EtcdServerError(d.reason, d.code, d.message);
}

/**
 * A request body the gateway could not decode. Unary endpoints answer InvalidArgument (400);
 * the streaming ones (watch, lease keepalive) answer Unknown (500) — etcd's gateway does both.
 */
export function decodeError(message: string, streaming = false): EtcdServerError {
  return new EtcdServerError('BadRequest', streaming ? GrpcCode.Unknown : GrpcCode.InvalidArgument, message);
}

/** gRPC's receive limit (max-request-bytes + 512 KiB), hit before etcd itself sees the request. */
export function grpcMessageTooLarge(size: number, max: number): EtcdServerError {
  return new EtcdServerError(
    'MessageTooLarge',
    GrpcCode.ResourceExhausted,
    `grpc: received message larger than max (${size} vs. ${max})`,
  );
}

export function isEtcdServerError(err: unknown): err is EtcdServerError {
  return err instanceof EtcdServerError;
}
