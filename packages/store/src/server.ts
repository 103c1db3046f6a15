/**
 * HTTP routing for etcd 3.4's JSON gateway on raw node:http (keep-alive, no framework overhead
 * on the hot path). Unary endpoints answer one JSON body; /v3/watch and /v3/lease/keepalive
 * answer a chunked stream of `{"result": ...}` lines. Bad input never crashes the server: every
 * failure becomes etcd's `{"error","message","code"}` with the gateway's HTTP status.
 */
import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import { decodeBody, decodeStream, Messages, type MessageType } from './codec.js';
import {
  encodeDelete, encodeHeaderOnly, encodePut, encodeRange, encodeTxn, encodeWatchLine,
} from './encode.js';
import { EtcdServerError, grpcMessageTooLarge, isEtcdServerError } from './errors.js';
import { protoSize, varintSize } from './pbjson.js';
import type { Store } from './store.js';
import { rangeEnd } from './txn.js';
import type { Watcher } from './watch.js';

export interface ServerOptions {
  store: Store;
  logger: Logger;
  /** etcd's --max-request-bytes */
  maxRequestBytes?: number;
  tls?: StoreTls;
}

/**
 * etcd's client TLS flags: --cert-file, --key-file (PEM text here), --trusted-ca-file and --client-cert-auth
 * (then a client without a certificate signed by that CA is refused in the TLS handshake, as etcd does).
 */
export interface StoreTls { cert: string; key: string; trustedCa?: string; clientCertAuth: boolean }

/** gRPC allows max-request-bytes plus this much before refusing a message (etcd's grpcOverheadBytes). */
const GRPC_OVERHEAD = 512 * 1024;

const JSON_HEADERS = {
  'Content-Type': 'application/json',
  'Grpc-Metadata-Content-Type': 'application/grpc',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS, PUT, DELETE',
  'Access-Control-Allow-Headers': 'accept, content-type, authorization',
};

interface Sizes {
  /** bytes of the request as a protobuf message */
  proto: number;
  /** bytes of the raft entry etcd would propose for it */
  raft: number;
}

interface Unary<T> {
  type: MessageType<T>;
  /** InternalRaftRequest field number when the request goes through raft (writes). */
  raftField?: number;
  handle(store: Store, req: T, sizes: Sizes): string | Promise<string>;
}

const unary = <T>(u: Unary<T>): Unary<unknown> => u as Unary<unknown>;

function routes(): Map<string, Unary<unknown>> {
  return new Map<string, Unary<unknown>>([
    ['/v3/kv/range', unary({ type: Messages.range, handle: (s, r) => encodeRange(s.header, s.range(r)) })],
    ['/v3/kv/put', unary({ type: Messages.put, raftField: 4, handle: async (s, r, z) => encodePut(s.header, await s.put(r, z.raft)) })],
    [
      '/v3/kv/deleterange',
      unary({ type: Messages.deleteRange, raftField: 5, handle: async (s, r, z) => encodeDelete(s.header, await s.deleteRange(r, z.raft)) }),
    ],
    ['/v3/kv/txn', unary({ type: Messages.txn, raftField: 6, handle: async (s, r, z) => encodeTxn(s.header, await s.txn(r, z.raft)) })],
    [
      '/v3/kv/compaction',
      unary({ type: Messages.compaction, raftField: 7, handle: async (s, r, z) => encodeHeaderOnly(s.header, await s.compact(r, z.raft)) }),
    ],
    [
      '/v3/lease/grant',
      unary({
        type: Messages.leaseGrant,
        raftField: 8,
        handle: async (s, r, z) => {
          const g = await s.leaseGrant(r, z.raft);
          return `{"header":${s.header.full(g.rev)},"ID":"${g.id}","TTL":"${g.ttl}"}`;
        },
      }),
    ],
    [
      '/v3/lease/revoke',
      unary({ type: Messages.leaseId, raftField: 9, handle: async (s, r, z) => encodeHeaderOnly(s.header, await s.leaseRevoke(r.ID, z.raft)) }),
    ],
    ['/v3/lease/timetolive', unary({ type: Messages.leaseTimeToLive, handle: (s, r) => timeToLive(s, r.ID, r.keys) })],
    ['/v3/kv/lease/timetolive', unary({ type: Messages.leaseTimeToLive, handle: (s, r) => timeToLive(s, r.ID, r.keys) })],
    ['/v3/lease/leases', unary({ type: Messages.empty, handle: (s) => leases(s) })],
    ['/v3/kv/lease/leases', unary({ type: Messages.empty, handle: (s) => leases(s) })],
    ['/v3/kv/lease/revoke', unary({ type: Messages.leaseId, raftField: 9, handle: async (s, r, z) => encodeHeaderOnly(s.header, await s.leaseRevoke(r.ID, z.raft)) })],
    ['/v3/maintenance/status', unary({ type: Messages.empty, handle: (s) => status(s) })],
  ]);
}

const idField = (id: bigint) => (id !== 0n ? `,"ID":"${id}"` : '');

function timeToLive(s: Store, id: bigint, keys: boolean): string {
  const { rev, found } = s.leaseTimeToLive(id, keys);
  if (!found) return `{"header":${s.header.full(rev)}${idField(id)},"TTL":"-1"}`;
  const ttl = found.ttl !== 0 ? `,"TTL":"${found.ttl}"` : '';
  const ks = found.keys.length > 0 ? `,"keys":[${found.keys.map((k) => `"${k.toString('base64')}"`).join(',')}]` : '';
  return `{"header":${s.header.full(rev)}${idField(id)}${ttl},"grantedTTL":"${found.grantedTtl}"${ks}}`;
}

function leases(s: Store): string {
  const { rev, ids } = s.leases();
  const list = ids.length > 0 ? `,"leases":[${ids.map((id) => `{${idField(id).slice(1)}}`).join(',')}]` : '';
  return `{"header":${s.header.full(rev)}${list}}`;
}

function status(s: Store): string {
  const st = s.status();
  return (
    `{"header":${s.header.full(st.rev)},"version":"${st.version}","dbSize":"${st.dbSize}","leader":"${st.leader}",` +
    `"raftIndex":"${st.raftIndex}","raftTerm":"${st.raftTerm}","raftAppliedIndex":"${st.raftIndex}","dbSizeInUse":"${st.dbSize}"}`
  );
}

export function createStoreServer(opts: ServerOptions): http.Server {
  const { store } = opts;
  const log = opts.logger.child({ component: 'http' });
  const maxRequestBytes = opts.maxRequestBytes ?? 1_572_864;
  const grpcMax = maxRequestBytes + GRPC_OVERHEAD;
  // JSON (base64) is ~4/3 of the protobuf size; past this a body cannot be a legal request.
  const bodyCap = grpcMax * 2 + 64 * 1024;
  const table = routes();

  const sendError = (res: http.ServerResponse, err: EtcdServerError) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(err.httpStatus, JSON_HEADERS);
    res.end(err.body());
  };

  const fail = (res: http.ServerResponse, err: unknown, path: string) => {
    if (isEtcdServerError(err)) {
      if (err.httpStatus >= 500) log.error({ err, path }, 'request failed');
      else log.debug({ path, reason: err.reason }, 'request rejected');
      sendError(res, err);
      return;
    }
    log.error({ err, path }, 'unexpected error while handling a request');
    sendError(res, new EtcdServerError('Internal', 13, (err as Error)?.message ?? 'internal error'));
  };

  const readBody = (req: http.IncomingMessage, res: http.ServerResponse, then: (body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > bodyCap) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (over) {
        sendError(res, grpcMessageTooLarge(Math.floor((size * 3) / 4), grpcMax));
        return;
      }
      then(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', () => res.destroy());
  };

  const handleUnary = (route: Unary<unknown>, path: string, req: http.IncomingMessage, res: http.ServerResponse) => {
    readBody(req, res, (body) => {
      let msg: unknown;
      let sizes: Sizes;
      try {
        msg = decodeBody(body, route.type);
        const proto = protoSize(msg as Record<string, unknown>, route.type.desc);
        if (proto > grpcMax) throw grpcMessageTooLarge(proto, grpcMax);
        // InternalRaftRequest: header{ID} (field 100, ~10 bytes) + the request as field `raftField`
        sizes = { proto, raft: route.raftField ? 2 + 1 + 10 + 1 + varintSize(proto) + proto : 0 };
      } catch (err) {
        fail(res, err, path);
        return;
      }
      let out: string | Promise<string>;
      try {
        out = route.handle(store, msg, sizes);
      } catch (err) {
        fail(res, err, path);
        return;
      }
      const send = (s: string) => {
        res.writeHead(200, { ...JSON_HEADERS, 'Content-Length': Buffer.byteLength(s) });
        res.end(s);
      };
      if (typeof out === 'string') send(out);
      else out.then(send, (err: unknown) => fail(res, err, path));
    });
  };

  const startStream = (res: http.ServerResponse) => {
    res.writeHead(200, JSON_HEADERS);
    res.flushHeaders();
  };

  const handleKeepAlive = (req: http.IncomingMessage, res: http.ServerResponse) => {
    readBody(req, res, (body) => {
      let msgs;
      try {
        msgs = decodeStream(body, Messages.leaseId);
      } catch (err) {
        fail(res, err, '/v3/lease/keepalive');
        return;
      }
      startStream(res);
      for (const m of msgs) {
        const { rev, ttl } = store.leaseKeepAlive(m.ID);
        res.write(`{"result":{"header":${store.header.full(rev)}${idField(m.ID)}${ttl !== 0 ? `,"TTL":"${ttl}"` : ''}}}\n`);
      }
      res.end();
    });
  };

  let watchStreams = 0;
  const handleWatch = (req: http.IncomingMessage, res: http.ServerResponse) => {
    readBody(req, res, (body) => {
      let msgs;
      try {
        msgs = decodeStream(body, Messages.watch);
      } catch (err) {
        fail(res, err, '/v3/watch');
        return;
      }
      startStream(res);
      res.socket?.setNoDelay(true);
      watchStreams++;
      res.once('close', () => { watchStreams--; });
      const active = new Set<Watcher>();
      let nextId = 0n;
      const sink = {
        write: (line: string) => res.write(line),
        canceled: (w: Watcher) => {
          active.delete(w);
          if (active.size === 0) res.end();
        },
      };
      const cleanup = () => {
        for (const w of active) store.hub.remove(w);
        active.clear();
      };
      res.on('close', cleanup);
      res.on('drain', () => {
        for (const w of [...active]) store.hub.drained(w);
      });
      for (const m of msgs) {
        if (m.create_request) {
          const c = m.create_request;
          const id = c.watch_id !== 0n ? c.watch_id : nextId;
          nextId = (id > nextId ? id : nextId) + 1n;
          const spec = {
            key: c.key,
            end: rangeEnd(c.range_end),
            startRev: Number(c.start_revision),
            prevKv: c.prev_kv,
            noPut: c.filters.includes(0),
            noDelete: c.filters.includes(1),
            progressNotify: c.progress_notify,
            id,
          };
          const w = store.watch(spec, sink);
          if (!w.closed) active.add(w);
        } else if (m.cancel_request) {
          const id = m.cancel_request.watch_id;
          for (const w of active) {
            if (w.spec.id !== id) continue;
            store.hub.remove(w);
            active.delete(w);
            res.write(encodeWatchLine({ header: store.header.full(store.durableRev), watchId: id, canceled: true }));
          }
        } else if (m.progress_request) {
          res.write(encodeWatchLine({ header: store.header.full(store.durableRev), watchId: -1n }));
        }
      }
    });
  };

  const tls = opts.tls;
  const serverOpts: https.ServerOptions = tls
    ? { cert: tls.cert, key: tls.key, ca: tls.trustedCa, requestCert: tls.clientCertAuth, rejectUnauthorized: tls.clientCertAuth }
    : {};
  const make = (handler: http.RequestListener): http.Server => (tls ? https.createServer(serverOpts, handler) : http.createServer(handler));
  const server = make((req, res) => {
    const raw = (req.url ?? '/').split('?', 1)[0];
    // etcd 3.4 still serves the deprecated /v3beta/ prefix with the same gateway
    const path = raw.startsWith('/v3beta/') ? `/v3/${raw.slice('/v3beta/'.length)}` : raw;
    const route = table.get(path);
    const isStream = path === '/v3/watch' || path === '/v3/lease/keepalive';
    if (!route && !isStream) {
      if (req.method === 'GET' && path === '/version') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`{"etcdserver":"${store.status().version}","etcdcluster":"3.4.0"}`);
        return;
      }
      if (req.method === 'GET' && path === '/metrics') {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(store.metricsText(watchStreams));
        return;
      }
      if (req.method === 'GET' && path === '/health') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('{"health":"true"}');
        return;
      }
      req.resume();
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      // the gateway's own 404 under /v3/; Go's ServeMux text elsewhere
      res.end(path.startsWith('/v3/') ? 'Not Found\n' : '404 page not found\n');
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('Method Not Allowed\n');
      return;
    }
    if (route) handleUnary(route, path, req, res);
    else if (path === '/v3/watch') handleWatch(req, res);
    else handleKeepAlive(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Watches are long-lived; only the time to receive a request is bounded.
  server.requestTimeout = 5 * 60_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
