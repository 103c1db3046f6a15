// The ApiError, Status and the is* predicates live in @tinykube/api; this file holds the client's own failures.

/** The client gave up waiting for the server (the request's timeoutMs passed). */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  readonly code = 'ERR_REQUEST_TIMEOUT';
  constructor(readonly method: string, readonly path: string, readonly timeoutMs: number) {
    super(`${method} ${path} timed out after ${timeoutMs} ms`);
  }
}
