import { StatusSchema, type Status, type StatusDetails } from '../schemas/meta.js';
import { statusInGoOrder } from './go-order.js';

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

/** Marks ApiErrors across duplicate module copies (src and dist loaded side by side). */
const BRAND = Symbol.for('tinykube.ApiError');

/**
 * A request failure that maps one-to-one onto a Kubernetes Status: thrown by the apiserver's
 * handlers (built by the named constructors), rebuilt by the client from a response or an ERROR
 * watch event, and thrown by fakes. Branch on `reason` / `code` (or the is* predicates), never on `message`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  readonly status: Status;
  readonly [BRAND] = true;

  constructor(status: Status) {
    super(status.message || `${status.reason ?? 'Unknown'} (${status.code ?? 0})`);
    this.status = statusInGoOrder(status);
    this.code = status.code ?? 0;
    this.reason = status.reason || reasonByCode[this.code] || 'Unknown';
    this.details = this.status.details;
  }

  /** Builds an ApiError from an HTTP status and a response body that may or may not be a Status. */
  static fromResponse(code: number, body: unknown, text?: string): ApiError {
    const parsed = StatusSchema.safeParse(body);
    if (parsed.success) return new ApiError({ ...parsed.data, code: parsed.data.code ?? code });
    const message = text?.trim() || `the server responded with status ${code}`;
    return new ApiError({ kind: 'Status', status: 'Failure', code, reason: reasonByCode[code] ?? 'Unknown', message });
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError || (typeof err === 'object' && err !== null && (err as { [BRAND]?: unknown })[BRAND] === true);
}
