import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Balancer } from './balancer.js';
import { noCounters, type ConnectionErrorReason, type ServiceCounters } from './metrics.js';

// One TCP listener (ClusterIP:port or nodeIP:nodePort) forwarding each accepted connection to a
// backend its Balancer picks. The data path is two socket.pipe() calls with Nagle off: no per-byte
// work in JavaScript beyond what streams do, so the added latency stays a fraction of a millisecond.

export type ListenResult = { ok: true } | { ok: false; code: string; err: Error };

export interface ServiceListenerOptions {
  host: string;
  /** 0 = any free port (tests); see boundPort(). */
  port: number;
  /** The service port name ("ns/name:port") for logs. */
  service: string;
  balancer: Balancer;
  counters?: ServiceCounters;
  logger?: Logger;
  /** Give up on a backend that has not accepted within this long and try the next one (default 3 s). */
  connectTimeoutMs?: number;
  /** Backends tried per client connection before it is reset (default 3). */
  maxAttempts?: number;
}

interface Conn {
  client: net.Socket;
  upstream?: net.Socket;
  timer?: NodeJS.Timeout;
}

export type ListenerState = 'idle' | 'listening' | 'closed';

export class ServiceListener {
  readonly host: string;
  readonly port: number;
  readonly service: string;
  private readonly balancer: Balancer;
  private readonly counters: ServiceCounters;
  private readonly log: Logger;
  private readonly connectTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly conns = new Set<Conn>();
  private server: net.Server | undefined;
  private closing: Promise<void> | undefined;
  private st: ListenerState = 'idle';

  constructor(o: ServiceListenerOptions) {
    this.host = o.host;
    this.port = o.port;
    this.service = o.service;
    this.balancer = o.balancer;
    this.counters = o.counters ?? noCounters;
    this.log = (o.logger ?? pino({ level: 'silent' })).child({ listener: `${o.host}:${o.port}`, service: o.service });
    this.connectTimeoutMs = o.connectTimeoutMs ?? 3_000;
    this.maxAttempts = o.maxAttempts ?? 3;
  }

  get state(): ListenerState {
    return this.st;
  }

  /** The port actually bound (differs from `port` only when that was 0). */
  boundPort(): number {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    return addr?.port ?? this.port;
  }

  activeConnections(): number {
    return this.conns.size;
  }

  /**
   * Binds host:port. A failure is a value: EADDRINUSE means another proxy serves this address (the
   * caller stands by and retries), EADDRNOTAVAIL that the address is not on this host (yet).
   * May be called again after a failure.
   */
  listen(): Promise<ListenResult> {
    if (this.st === 'listening') return Promise.resolve({ ok: true });
    if (this.st === 'closed') return Promise.resolve({ ok: false, code: 'ECLOSED', err: new Error('listener is closed') });
    // allowHalfOpen: a client that shuts down its sending side still gets the whole response.
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (s) => this.onConnection(s));
    return new Promise<ListenResult>((resolve) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        server.close();
        resolve({ ok: false, code: err.code ?? 'UNKNOWN', err });
      };
      server.once('error', onError);
      server.listen({ host: this.host, port: this.port, exclusive: true }, () => {
        server.removeListener('error', onError);
        server.on('error', (err) => this.log.error({ err }, 'listener error'));
        this.server = server;
        this.st = 'listening';
        resolve({ ok: true });
      });
    });
  }

  /**
   * Stops accepting. Established connections carry on; resolves once the last has ended.
   * Connections that arrive after this are refused by the kernel (nothing listens).
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.st = 'closed';
    const server = this.server;
    this.closing = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    return this.closing;
  }

  /** close() and cut every established connection (process shutdown). */
  destroy(): Promise<void> {
    const done = this.close();
    for (const c of this.conns) {
      c.upstream?.destroy();
      c.client.destroy();
    }
    return done;
  }

  private onConnection(client: net.Socket): void {
    const conn: Conn = { client };
    this.conns.add(conn);
    this.counters.accepted.inc();
    this.counters.active.inc();
    // A client reset is the client's business; 'close' below tears down the other side.
    client.on('error', (err) => this.log.debug({ err }, 'client connection error'));
    client.once('close', () => {
      this.conns.delete(conn);
      this.counters.active.dec();
      if (conn.timer) clearTimeout(conn.timer);
      // After a clean close (both directions ended) the upstream finishes flushing on its own;
      // after a reset or destroy, or while still connecting, it is cut.
      const clean = client.readableEnded && client.writableFinished;
      if (conn.upstream && (!clean || conn.upstream.connecting)) conn.upstream.destroy();
    });
    this.connect(conn, client.remoteAddress ?? '', 1);
  }

  private connect(conn: Conn, clientIP: string, attempt: number): void {
    const { client } = conn;
    const backend = this.balancer.pick(clientIP);
    if (!backend) {
      // Only in the window between the last endpoint going away and the proxier closing this listener.
      this.counters.error('no_endpoints');
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: backend.ip, port: backend.port, noDelay: true, allowHalfOpen: true });
    conn.upstream = upstream;
    conn.timer = setTimeout(() => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), this.connectTimeoutMs);

    const onConnectError = (err: NodeJS.ErrnoException): void => {
      clearTimeout(conn.timer);
      conn.timer = undefined;
      conn.upstream = undefined;
      this.counters.error(connectErrorReason(err));
      this.balancer.forgetClient(clientIP);
      this.log.debug({ err, backend, attempt }, 'backend connect failed');
      if (client.destroyed) return;
      if (attempt < Math.min(this.maxAttempts, this.balancer.size())) this.connect(conn, clientIP, attempt + 1);
      else client.resetAndDestroy();
    };
    upstream.once('error', onConnectError);
    upstream.once('connect', () => {
      clearTimeout(conn.timer);
      conn.timer = undefined;
      upstream.removeListener('error', onConnectError);
      upstream.on('error', (err) => {
        // The backend reset or failed mid-stream: pass the reset on rather than a clean end.
        this.counters.error('stream_error');
        this.log.debug({ err, backend }, 'backend connection error');
        if (!client.destroyed) client.resetAndDestroy();
      });
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      // pipe() forwards backpressure and FIN in each direction; each socket closes itself once both
      // directions have ended (autoDestroy), so a normal close needs no code here.
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }
}

function connectErrorReason(err: NodeJS.ErrnoException): ConnectionErrorReason {
  if (err.code === 'ECONNREFUSED') return 'connect_refused';
  if (err.code === 'ETIMEDOUT') return 'connect_timeout';
  return 'connect_error';
}
