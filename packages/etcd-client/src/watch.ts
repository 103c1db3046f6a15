// Watch over the JSON gateway: one streaming POST /v3/watch per watch, whose body is a single create_request
// (the gateway only starts the watch once the request body is complete). The answer is one JSON object per line:
// created, then event batches / progress notifications, or canceled (+ compact_revision).
//
// Resumption contract: we remember the next revision we still need (start revision, or created revision + 1 for
// a watch "from now", then last event's mod_revision + 1, or a progress notification's revision + 1) and reopen
// the stream from it after a broken connection, so the consumer sees neither gaps nor duplicates.
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { decodeHeader, decodeKv, keyRange, num, wireWatchLine, type WireObject } from './codec.js';
import { EtcdError, GrpcCode, MSG_COMPACTED } from './errors.js';
import { isAbortError, type Transport } from './transport.js';
import type { WatchBatch, WatchEvent, WatchOptions } from './types.js';

const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 2_000;

function httpStatusForGrpc(code: number): number {
  if (code === GrpcCode.NOT_FOUND) return 404;
  if (code === GrpcCode.INVALID_ARGUMENT || code === GrpcCode.OUT_OF_RANGE || code === GrpcCode.FAILED_PRECONDITION) return 400;
  if (code === GrpcCode.UNAVAILABLE) return 503;
  return 500;
}

/** Splits a byte stream into lines (the gateway writes one JSON object per line). */
async function* lines(body: Dispatcher.ResponseData['body']): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of body) {
    buf += decoder.decode(chunk as Buffer, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield line;
    }
  }
  const rest = (buf + decoder.decode()).trim();
  if (rest) yield rest;
}

/** Parses one stream line into a watch result; error lines become EtcdError. */
function parseLine(line: string) {
  let outer;
  try {
    outer = wireWatchLine.parse(JSON.parse(line));
  } catch (err) {
    // httpStatus 200: the server answered, with something we cannot read — reconnecting would not help.
    throw new EtcdError({ grpcCode: GrpcCode.UNKNOWN, httpStatus: 200, etcdMessage: `malformed watch line: ${line.slice(0, 200)}`, cause: err });
  }
  if (outer.error !== undefined) {
    const msg = typeof outer.error === 'string' ? outer.error : (outer.error.message ?? outer.message ?? 'watch error');
    const code = typeof outer.error === 'string' ? (outer.code ?? GrpcCode.UNKNOWN) : (outer.error.grpc_code ?? GrpcCode.UNKNOWN);
    throw new EtcdError({ grpcCode: code, httpStatus: httpStatusForGrpc(code), etcdMessage: msg });
  }
  return outer.result ?? {};
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Errors worth reconnecting after: no HTTP answer at all (reset, refused, timeout), or the server saying it is
 * briefly unavailable. Anything else the server answered (a 4xx, the gateway's 500 for a bad watch body) would
 * fail again the same way, so it ends the watch.
 */
function retryable(err: unknown): boolean {
  if (!(err instanceof EtcdError)) return true; // socket errors while reading the stream
  return err.httpStatus === 0 || err.httpStatus === 502 || err.httpStatus === 503 || err.httpStatus === 504 || err.grpcCode === GrpcCode.UNAVAILABLE;
}

export async function* watchStream(transport: Transport, key: string | Buffer, opts: WatchOptions = {}): AsyncGenerator<WatchBatch> {
  const { signal } = opts;
  // One caller often stops many watches with one signal (each watch adds one abort listener while it is open):
  // raise Node's leak-warning threshold instead of warning about a legitimate fan-out.
  if (signal && getMaxListeners(signal) < 10_000) setMaxListeners(10_000, signal);
  const base: WireObject = keyRange(key, opts);
  if (opts.prevKv) base.prev_kv = true;
  if (opts.progressNotify) base.progress_notify = true;
  if (opts.filters?.length) base.filters = opts.filters;
  let next = opts.startRevision ?? 0;
  let backoff = BACKOFF_MIN_MS;

  while (!signal?.aborted && !transport.closed) {
    const conn = new AbortController();
    const onAbort = () => conn.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const req: WireObject = { ...base };
      if (next > 0) req.start_revision = String(next);
      const res = await transport.stream('/v3/watch', { create_request: req }, conn.signal);
      for await (const line of lines(res.body)) {
        const r = parseLine(line);
        const header = decodeHeader(r.header);
        if (r.created) {
          if (next === 0) next = header.revision + 1;
          backoff = BACKOFF_MIN_MS;
          continue;
        }
        if (r.canceled) {
          const compactRevision = num(r.compact_revision);
          if (compactRevision > 0) {
            throw new EtcdError({ grpcCode: GrpcCode.OUT_OF_RANGE, httpStatus: 400, etcdMessage: `etcdserver: ${MSG_COMPACTED}`, compactRevision });
          }
          throw new EtcdError({ grpcCode: GrpcCode.CANCELLED, httpStatus: 200, etcdMessage: r.cancel_reason || 'watch canceled by the server' });
        }
        const events: WatchEvent[] = (r.events ?? []).map((e) => {
          const ev: WatchEvent = { type: e.type ?? 'PUT', kv: decodeKv(e.kv ?? {}) };
          if (e.prev_kv) ev.prevKv = decodeKv(e.prev_kv);
          return ev;
        });
        if (events.length > 0) next = Math.max(next, events[events.length - 1].kv.modRevision + 1);
        else next = Math.max(next, header.revision + 1);
        yield { header, events, progress: events.length === 0 };
      }
      // The server ended the stream cleanly (e.g. shutting down): reconnect like after a reset.
    } catch (err) {
      if (signal?.aborted || transport.closed || (isAbortError(err) && conn.signal.aborted)) return;
      if (!retryable(err)) throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      conn.abort();
    }
    await sleep(backoff, signal);
    backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
  }
}
