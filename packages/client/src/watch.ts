import { LineSplitter } from './ndjson.js';
import { ApiError, isStatus } from '@tinykube/api';
import type { ObjectLike, WatchEvent, WatchEventType } from './types.js';

const eventTypes = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

/** A line of a watch stream that is not a valid event. Stable code for branching. */
export class WatchDecodeError extends Error {
  override readonly name = 'WatchDecodeError';
  readonly code = 'ERR_WATCH_DECODE';
  constructor(message: string, readonly line: string) {
    super(message);
  }
}

/** Options shared by every watch request (the query parameters Kubernetes understands). */
export interface WatchOptions {
  namespace?: string;
  /** Start after this version; '' or '0' means "synthetic ADDED for current state, then changes". */
  resourceVersion?: string;
  labelSelector?: string | Record<string, string>;
  fieldSelector?: string | Record<string, string>;
  /** Ask the server for BOOKMARK events carrying only a newer resourceVersion. */
  allowWatchBookmarks?: boolean;
  /** The server ends the stream after this many seconds (normal end, re-watch from the last version). */
  timeoutSeconds?: number;
  /** Aborting ends the iteration quietly and closes the connection. */
  signal?: AbortSignal;
}

function decodeLine<T extends ObjectLike>(line: string): WatchEvent<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new WatchDecodeError('watch event is not valid JSON', line);
  }
  const ev = parsed as { type?: unknown; object?: unknown };
  if (typeof ev !== 'object' || ev === null || typeof ev.type !== 'string' || typeof ev.object !== 'object' || ev.object === null) {
    throw new WatchDecodeError('watch event lacks type or object', line);
  }
  if (ev.type === 'ERROR') {
    // An ERROR event carries a Status; 410 Expired means the version is too old: the caller relists.
    throw isStatus(ev.object)
      ? ApiError.fromResponse(ev.object.code ?? 500, ev.object)
      : ApiError.fromResponse(500, undefined, 'watch ERROR event without a Status');
  }
  if (!eventTypes.has(ev.type)) throw new WatchDecodeError(`unknown watch event type ${ev.type}`, line);
  return { type: ev.type as WatchEventType, object: ev.object as T };
}

/**
 * Decodes a newline-delimited JSON watch stream. Chunks may split a line (or a UTF-8 character)
 * anywhere and may carry several events. Throws ApiError on an ERROR event (code 410 for Expired),
 * WatchDecodeError on garbage. When `signal` aborts, iteration ends without an error.
 */
export async function* decodeWatch<T extends ObjectLike = ObjectLike>(
  chunks: AsyncIterable<Uint8Array | string>,
  signal?: AbortSignal,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const lines = new LineSplitter();
  try {
    for await (const chunk of chunks) {
      if (signal?.aborted) return;
      for (const line of lines.push(chunk)) {
        yield decodeLine<T>(line);
        if (signal?.aborted) return;
      }
    }
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
  const rest = lines.end();
  if (rest) yield decodeLine<T>(rest);
}
