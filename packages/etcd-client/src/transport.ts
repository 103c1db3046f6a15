// HTTP transport: one undici Agent (keep-alive pools per endpoint) shared by unary calls and watch streams.
// Endpoints are tried in order; we move to the next one only when a connection could not be made at all,
// so a non-idempotent request (put, txn) is never sent twice.
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { EtcdError, GrpcCode, grpcCodeForStatus } from './errors.js';
import { wireError, type WireObject } from './codec.js';

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_ERRORS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (err as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errCode(cause);
}

export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && ((err as { name?: unknown }).name === 'AbortError' || errCode(err) === 'UND_ERR_ABORTED');
}

/** Wraps a failure that produced no HTTP answer. */
export function networkError(err: unknown): EtcdError {
  if (err instanceof EtcdError) return err;
  const code = errCode(err);
  const timeout = code !== undefined && TIMEOUT_ERRORS.has(code);
  const detail = err instanceof Error ? err.message : String(err);
  return new EtcdError({
    grpcCode: timeout ? GrpcCode.DEADLINE_EXCEEDED : GrpcCode.UNAVAILABLE,
    httpStatus: 0,
    etcdMessage: `${timeout ? 'request timed out' : 'endpoint unavailable'}: ${code ?? detail}`,
    cause: err,
  });
}

/** Builds the EtcdError for a non-200 answer from its body ({"error","message","code"} or plain text). */
export function httpError(status: number, text: string): EtcdError {
  try {
    const parsed = wireError.safeParse(JSON.parse(text));
    if (parsed.success && (parsed.data.error !== undefined || parsed.data.message !== undefined)) {
      return new EtcdError({
        grpcCode: parsed.data.code ?? grpcCodeForStatus(status),
        httpStatus: status,
        etcdMessage: parsed.data.error ?? parsed.data.message ?? '',
      });
    }
  } catch {
    // not JSON: fall through to the plain-text form
  }
  return new EtcdError({ grpcCode: grpcCodeForStatus(status), httpStatus: status, etcdMessage: text.trim() || `HTTP ${status}` });
}

export class Transport {
  private readonly agent: Agent;
  private readonly origins: string[];
  private current = 0;
  /** Set by close(); watch loops end instead of reconnecting. */
  closed = false;

  constructor(endpoints: string[], private readonly timeoutMs: number, tls?: { ca?: string; cert?: string; key?: string }) {
    if (endpoints.length === 0) throw new Error('etcd-client: at least one endpoint is required');
    this.origins = endpoints.map((e) => new URL(e).origin);
    // connections: unbounded per origin so concurrent requests and long-lived watch streams never queue
    // behind each other; keep-alive so sequential requests reuse sockets.
    this.agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connect: { timeout: timeoutMs, ...tls } });
  }

  /** POSTs `body` to `path` and parses a 200 answer with `schema`; throws EtcdError otherwise. */
  async post<T>(path: string, body: WireObject, schema: z.ZodType<T>): Promise<T> {
    const res = await this.send(path, JSON.stringify(body), { headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw networkError(err);
    }
    if (res.statusCode !== 200) throw httpError(res.statusCode, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new EtcdError({ grpcCode: GrpcCode.UNKNOWN, httpStatus: res.statusCode, etcdMessage: `malformed response: ${text.slice(0, 200)}`, cause: err });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new EtcdError({ grpcCode: GrpcCode.UNKNOWN, httpStatus: res.statusCode, etcdMessage: `unexpected response shape: ${parsed.error.message}` });
    }
    return parsed.data;
  }

  /**
   * Opens a long-lived streaming POST (watch). Resolves once the response headers arrive; a non-200 answer
   * is thrown as EtcdError. The body is not bounded by the request timeout.
   */
  async stream(path: string, body: WireObject, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    const res = await this.send(path, JSON.stringify(body), { headersTimeout: this.timeoutMs, bodyTimeout: 0, signal });
    if (res.statusCode !== 200) {
      const text = await res.body.text().catch(() => '');
      throw httpError(res.statusCode, text);
    }
    return res;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.agent.destroy();
  }

  private async send(
    path: string,
    body: string,
    opts: { headersTimeout: number; bodyTimeout: number; signal?: AbortSignal },
  ): Promise<Dispatcher.ResponseData> {
    let lastErr: unknown;
    for (let attempt = 0; attempt < this.origins.length; attempt++) {
      const idx = (this.current + attempt) % this.origins.length;
      try {
        const res = await this.agent.request({
          origin: this.origins[idx],
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          ...opts,
        });
        this.current = idx;
        return res;
      } catch (err) {
        if (isAbortError(err)) throw err;
        lastErr = err;
        const code = errCode(err);
        if (code === undefined || !CONNECT_ERRORS.has(code)) break;
      }
    }
    throw networkError(lastErr);
  }
}
