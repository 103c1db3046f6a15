import { z } from 'zod';

/** The Kubernetes `Status` object, the one error shape on the wire (kept loose: unknown fields survive). */
export const StatusCauseSchema = z.looseObject({
  reason: z.string().optional(),
  message: z.string().optional(),
  field: z.string().optional(),
});

export const StatusDetailsSchema = z.looseObject({
  name: z.string().optional(),
  group: z.string().optional(),
  kind: z.string().optional(),
  uid: z.string().optional(),
  causes: z.array(StatusCauseSchema).optional(),
  retryAfterSeconds: z.number().optional(),
});

export const StatusSchema = z.looseObject({
  kind: z.literal('Status'),
  apiVersion: z.string().optional(),
  metadata: z.looseObject({}).optional(),
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  details: StatusDetailsSchema.optional(),
  code: z.number().optional(),
});

export type Status = z.infer<typeof StatusSchema>;
export type StatusDetails = z.infer<typeof StatusDetailsSchema>;
export type StatusCause = z.infer<typeof StatusCauseSchema>;

/** The reason Kubernetes uses for each status code when the body does not say. */
const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * An error answered by the apiserver (or an ERROR watch event), rebuilt from its Status.
 * Branch on `reason` / `code` (or the is* helpers), never on `message`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  readonly status: Status;

  constructor(status: Status) {
    super(status.message || `${status.reason ?? 'Unknown'} (${status.code ?? 0})`);
    this.status = status;
    this.code = status.code ?? 0;
    this.reason = status.reason || reasonByCode[this.code] || 'Unknown';
    this.details = status.details;
  }

  /** Builds an ApiError from an HTTP status and a response body that may or may not be a Status. */
  static fromResponse(code: number, body: unknown, text?: string): ApiError {
    const parsed = StatusSchema.safeParse(body);
    if (parsed.success) return new ApiError({ ...parsed.data, code: parsed.data.code ?? code });
    const message = text?.trim() || `the server responded with status ${code}`;
    return new ApiError({ kind: 'Status', status: 'Failure', code, reason: reasonByCode[code] ?? 'Unknown', message });
  }
}

/** True when a watch ERROR object / response body is a Status. */
export function isStatus(x: unknown): x is Status {
  return StatusSchema.safeParse(x).success;
}

function reasonIs(err: unknown, reason: string, code: number): boolean {
  return err instanceof ApiError && (err.reason === reason || (err.reason === 'Unknown' && err.code === code));
}

export const isNotFound = (err: unknown): boolean => reasonIs(err, 'NotFound', 404);
export const isConflict = (err: unknown): boolean => reasonIs(err, 'Conflict', 409);
export const isAlreadyExists = (err: unknown): boolean => reasonIs(err, 'AlreadyExists', 409);
export const isInvalid = (err: unknown): boolean => reasonIs(err, 'Invalid', 422);
export const isTooManyRequests = (err: unknown): boolean => reasonIs(err, 'TooManyRequests', 429);
/** 410: the requested resourceVersion is too old (reason Expired or Gone). Relist. */
export const isGone = (err: unknown): boolean =>
  err instanceof ApiError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
export const isExpired = isGone;

/** The client gave up waiting for the server (the request's timeoutMs passed). */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  readonly code = 'ERR_REQUEST_TIMEOUT';
  constructor(readonly method: string, readonly path: string, readonly timeoutMs: number) {
    super(`${method} ${path} timed out after ${timeoutMs} ms`);
  }
}
