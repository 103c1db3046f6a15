// Raw-HTTP helpers for the black-box store suites: they speak etcd's JSON gateway by hand (no @tinykube/etcd-client)
// so that the suites check the wire itself — field names, int64-as-string, omitted defaults, status codes.
import { request } from 'undici';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface WireResponse {
  status: number;
  /** Parsed body, or undefined when it was not JSON (then see `text`). */
  body: Json | undefined;
  text: string;
}

/** base64 of a UTF-8 string (etcd's encoding for keys and values). */
export function b64(s: string | Buffer): string {
  return Buffer.from(s).toString('base64');
}

export function unb64(s: Json | undefined): string {
  return typeof s === 'string' ? Buffer.from(s, 'base64').toString() : '';
}

function parse(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** POSTs a JSON object (or a raw string, sent as is) and returns status + parsed body. */
export async function post(url: string, path: string, body: JsonObject | string, opts: { method?: 'POST' | 'GET' } = {}): Promise<WireResponse> {
  const res = await request(`${url}${path}`, {
    method: opts.method ?? 'POST',
    headers: { 'content-type': 'application/json' },
    body: opts.method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headersTimeout: 20_000,
    bodyTimeout: 20_000,
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: parse(text), text };
}

/** Like post() but fails the test unless the answer is 200 with a JSON object. */
export async function ok(url: string, path: string, body: JsonObject): Promise<JsonObject> {
  const r = await post(url, path, body);
  if (r.status !== 200 || typeof r.body !== 'object' || r.body === null || Array.isArray(r.body)) {
    throw new Error(`${path} ${JSON.stringify(body)} → ${r.status} ${r.text}`);
  }
  return r.body;
}

/** The store's current revision, as a number. */
export async function currentRevision(url: string): Promise<number> {
  const r = await ok(url, '/v3/kv/range', { key: b64('\0'), count_only: true, limit: '1' });
  const header = r.header as JsonObject | undefined;
  return Number(header?.revision ?? 0);
}

export interface WireWatch {
  status: () => number | undefined;
  /** Every JSON line received so far (parsed; unparsable lines are kept as strings). */
  lines: Json[];
  /** True once the server ended the response. */
  ended: () => boolean;
  close(): void;
  /** Resolves when the response has ended (after close() or the server's end). */
  done: Promise<void>;
}

/** Opens POST /v3/watch with the given body (object or raw string) and collects answer lines in the background. */
export function openWatch(url: string, body: JsonObject | string): WireWatch {
  const ac = new AbortController();
  const lines: Json[] = [];
  let status: number | undefined;
  let ended = false;
  const done = (async () => {
    try {
      const res = await request(`${url}/v3/watch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        signal: ac.signal,
        headersTimeout: 20_000,
        bodyTimeout: 0,
      });
      status = res.statusCode;
      let buf = '';
      for await (const chunk of res.body) {
        buf += (chunk as Buffer).toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) lines.push(parse(line) ?? line);
        }
      }
      if (buf.trim()) lines.push(parse(buf.trim()) ?? buf.trim());
    } catch {
      // aborted by close() or reset by the server: `ended` tells the test
    } finally {
      ended = true;
    }
  })();
  return { status: () => status, lines, ended: () => ended, close: () => ac.abort(), done };
}
