import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { Session } from '../session.js';

// Opening the apiserver's streaming endpoints (exec, attach, portforward) as WebSockets, with the
// session's credentials and TLS settings, and the channel framing they share: every binary
// message is one channel byte followed by that channel's payload.

/** ws(s)://server/path?query; `query` values may repeat (command=a&command=b). */
export function streamUrl(server: string, path: string, query: [string, string][]): string {
  const u = new URL(server.replace(/\/+$/, '') + path);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of query) u.searchParams.append(k, v);
  return u.toString();
}

function authHeaders(s: Session): Record<string, string> {
  const c = s.config;
  const token = c.token ?? (c.tokenFile ? readFileSync(c.tokenFile, 'utf8').trim() : undefined);
  if (token) return { authorization: `Bearer ${token}` };
  if (c.username !== undefined) return { authorization: `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}` };
  return {};
}

/**
 * An open stream whose early messages are kept: a server may send frames (the port-forward port
 * prefix, a fast command's output and exit status) in the same packet as its upgrade answer,
 * before the caller had a chance to listen.
 */
export class ChannelSocket {
  private queue: WebSocket.RawData[] = [];
  private handler: ((data: WebSocket.RawData) => void) | undefined;
  private closed = false;
  private closeHandler: (() => void) | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => (this.handler ? this.handler(data) : this.queue.push(data)));
    ws.on('close', () => {
      this.closed = true;
      this.closeHandler?.();
    });
  }

  /** Delivers queued messages at once, then every later one. */
  onMessage(fn: (data: WebSocket.RawData) => void): void {
    this.handler = fn;
    for (const d of this.queue.splice(0)) fn(d);
  }

  /** Called when the socket closed (later, if it already has). Register after onMessage. */
  onClose(fn: () => void): void {
    if (this.closed) queueMicrotask(fn);
    else this.closeHandler = fn;
  }

  send(data: Buffer): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(data);
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  close(): void {
    this.ws.close();
  }
}

/** Connects and resolves once the server accepted the upgrade (rejects with its answer otherwise). */
export function openStream(s: Session, path: string, query: [string, string][], protocols: string[]): Promise<ChannelSocket> {
  const ws = new WebSocket(streamUrl(s.config.server, path, query), protocols, {
    headers: { ...authHeaders(s), 'user-agent': s.client.userAgent },
    ca: s.config.tls.ca,
    cert: s.config.tls.cert,
    key: s.config.tls.key,
    rejectUnauthorized: !s.config.tls.insecureSkipTlsVerify,
    // tls.connect's servername (kubeconfig tls-server-name); ws passes unknown options through.
    ...(s.config.tls.servername ? { servername: s.config.tls.servername } : {}),
  });
  const channel = new ChannelSocket(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(channel));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(upgradeError(res.statusCode ?? 0, body)));
    });
    ws.once('error', reject);
  });
}

/** The server's answer to a refused upgrade, as an error carrying its Status when it sent one. */
function upgradeError(code: number, body: string): Error {
  try {
    const status = JSON.parse(body) as { message?: string; reason?: string };
    if (status.message) return Object.assign(new Error(status.message), { statusCode: code, reason: status.reason });
  } catch {
    // not JSON: fall through
  }
  return Object.assign(new Error(`the server refused the stream: ${code} ${body.trim()}`), { statusCode: code });
}

/** One framed message: [channel][payload]. */
export function frame(channel: number, payload: Uint8Array | string = new Uint8Array()): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
  return Buffer.concat([Buffer.from([channel]), data]);
}

/** Splits a received message into its channel and payload. */
export function unframe(data: WebSocket.RawData): { channel: number; payload: Buffer } {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return { channel: buf[0] ?? -1, payload: buf.subarray(1) };
}
