/**
 * pods/exec, pods/attach and pods/portforward: WebSocket upgrades of the apiserver's own socket.
 *
 * The channel protocols (v5/v4.channel.k8s.io...: kubectl exec/attach, client-node) are proxied
 * frame for frame to the kubelet's WebSocket (a second connection), both directions, and a close
 * on either side closes the other. The kubelet is dialled first, offering the client's
 * subprotocols, so the client gets exactly the one the kubelet chose.
 *
 * kubectl port-forward's `SPDY/3.1+portforward.k8s.io` is terminated here (spdy-portforward.ts).
 * The `ws` package rejects that name (not an RFC 7230 token): the header is swapped for a token
 * before the upgrade and the real name written back into the 101 response.
 *
 * Before any upgrade, errors are answered as Status responses (pod not found, not bound, kubelet
 * unreachable...). SPDY upgrades (kubectl's fallback) get the same errors, or a 400 saying that
 * only WebSocket is served.
 */
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import WebSocket, { WebSocketServer } from 'ws';
import { kubeletUnreachable, locateKubelet, type KubeletTarget } from '../kubelet/location.js';
import { parseResourcePath } from '../routes/path.js';
import { ApiError, badRequest, internal, isApiError, methodNotAllowed, pathNotFound, queryBool, statusError } from '@tinykube/api';
import type { Storage } from '../storage/storage.js';
import { SPDY_PORT_FORWARD_PROTOCOL, SpdyPortForwardTunnel } from './spdy-portforward.js';

const TUNNEL_TOKEN = 'tinykube-spdy-portforward-tunnel';
const KUBELET_PATHS = { exec: 'exec', attach: 'attach', portforward: 'portForward' } as const;
type StreamKind = keyof typeof KUBELET_PATHS;
/** How long the kubelet may take to accept the WebSocket. */
const DIAL_TIMEOUT_MS = 10_000;

export function writeStatus(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.status);
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-cache, private\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The kubelet URL for a stream request (the container moves from the query into the path). */
const STREAM_FLAGS = ['stdin', 'stdout', 'stderr', 'tty'] as const;

export function kubeletStreamUrl(kind: StreamKind, t: KubeletTarget, namespace: string, pod: string, query: URLSearchParams): string {
  const q = new URLSearchParams(query);
  q.delete('container');
  // PodExecOptions/PodAttachOptions as kube's streamParams pass them on: the kubelet reads only "1"
  for (const k of STREAM_FLAGS) {
    const on = queryBool(query, k);
    q.delete(k);
    if (on) q.set(k, '1');
  }
  const segs = [KUBELET_PATHS[kind], namespace, pod, ...(kind === 'portforward' ? [] : [t.container!])].map(encodeURIComponent);
  return `${t.tls ? 'wss' : 'ws'}://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}/${segs.join('/')}?${q}`;
}

/** The apiserver's client cert and the kubelets' CA, when kubelets serve https. */
function tlsOf(t: KubeletTarget): { ca?: string; cert?: string; key?: string } {
  return t.tls ? { ca: t.tls.ca, cert: t.tls.cert, key: t.tls.key } : {};
}

interface Dialled {
  ws: WebSocket;
  /** What the kubelet sent before the client side was ready (port prefixes, early output). */
  early: { data: WebSocket.RawData; isBinary: boolean }[];
  stopBuffering(): void;
}

/** Dials the kubelet; resolves once open, rejects with the Status the client should get. */
function dialKubelet(url: string, protocols: string[], t: KubeletTarget): Promise<Dialled> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { handshakeTimeout: DIAL_TIMEOUT_MS, perMessageDeflate: false, ...tlsOf(t) });
    ws.once('open', () => {
      const early: Dialled['early'] = [];
      const keep = (data: WebSocket.RawData, isBinary: boolean): void => { early.push({ data, isBinary }); };
      ws.on('message', keep);
      resolve({ ws, early, stopBuffering: () => ws.off('message', keep) });
    });
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const msg = Buffer.concat(chunks).toString().trim() || `the kubelet answered ${res.statusCode}`;
        reject(res.statusCode === 404 ? statusError(404, 'NotFound', msg) : (res.statusCode ?? 500) < 500 ? badRequest(msg) : internal(msg));
      });
    });
    ws.once('error', (err) => reject(kubeletUnreachable(t, err)));
  });
}

/** Frames both ways (after what `b` sent early); a close (or failure) of one side closes the other. */
function splice(a: WebSocket, dialled: Dialled): void {
  const b = dialled.ws;
  dialled.stopBuffering();
  for (const m of dialled.early.splice(0)) a.send(m.data as Buffer, { binary: m.isBinary });
  const closeCode = (code: number): number => (code === 1000 || (code >= 3000 && code < 5000) || (code > 1000 && code < 1015 && ![1004, 1005, 1006].includes(code)) ? code : 1000);
  a.on('message', (data, isBinary) => { if (b.readyState === b.OPEN) b.send(data as Buffer, { binary: isBinary }); });
  b.on('message', (data, isBinary) => { if (a.readyState === a.OPEN) a.send(data as Buffer, { binary: isBinary }); });
  a.on('close', (code) => { if (b.readyState === b.OPEN || b.readyState === b.CONNECTING) b.close(closeCode(code)); });
  b.on('close', (code) => { if (a.readyState === a.OPEN || a.readyState === a.CONNECTING) a.close(closeCode(code)); });
  a.on('error', () => b.terminate());
  b.on('error', () => a.terminate());
}

function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Serves the streaming subresources on `server`'s upgrade requests; close() ends every open stream. */
/** The audit record of one stream request: ResponseStarted at the upgrade, ResponseComplete when the socket closes. */
export interface StreamAudit {
  started(): void;
  end(code: number, status?: ApiError['status']): void;
}

/**
 * `gate` runs the request pipeline's security stages (authentication, audit, authorization) before anything else:
 * it throws the 401/403 the client gets (auditing that itself), else gives the request's audit record, if logged.
 */
export function attachStreamProxy(server: Server, storage: Storage, log: Logger, gate: (req: IncomingMessage) => Promise<StreamAudit | undefined> = async () => undefined): { close(): void } {
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (_p, req) => chosen.get(req) ?? false });
  wss.on('headers', (headers, req) => {
    if (chosen.get(req) !== TUNNEL_TOKEN) return;
    const i = headers.findIndex((h) => h.toLowerCase().startsWith('sec-websocket-protocol:'));
    if (i >= 0) headers[i] = `Sec-WebSocket-Protocol: ${SPDY_PORT_FORWARD_PROTOCOL}`;
  });

  async function serve(req: IncomingMessage, socket: Duplex, head: Buffer, onAudit: (a: StreamAudit) => void): Promise<void> {
    const audit = await gate(req);
    if (audit) onAudit(audit);
    const url = new URL(req.url ?? '/', 'http://apiserver');
    const path = parseResourcePath(url.pathname.replace(/\/+$/, ''));
    const sub = path?.subresource;
    if (!path || path.group !== '' || path.version !== 'v1' || path.resource !== 'pods' || !path.namespace || !path.name || !sub || !(sub in KUBELET_PATHS)) {
      throw pathNotFound();
    }
    if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed();
    const kind = sub as StreamKind;
    const reqLog = log.child({ pod: `${path.namespace}/${path.name}`, stream: kind });
    const target = await locateKubelet(storage, path.namespace, path.name, kind === 'portforward' ? undefined : url.searchParams.get('container'));
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      throw badRequest(`tinykube serves pods/${kind} over WebSocket only (${kind === 'portforward' ? SPDY_PORT_FORWARD_PROTOCOL + ' or v4.channel.k8s.io' : 'v5.channel.k8s.io'}), not ${String(req.headers.upgrade)}`);
    }
    const offered = offeredProtocols(req);
    const kubeletUrl = kubeletStreamUrl(kind, target, path.namespace, path.name, url.searchParams);

    if (kind === 'portforward' && offered.includes(SPDY_PORT_FORWARD_PROTOCOL)) {
      req.headers['sec-websocket-protocol'] = TUNNEL_TOKEN;
      chosen.set(req, TUNNEL_TOKEN);
      wss.handleUpgrade(req, socket, head, (client) => {
        audit?.started();
        const dial = (port: number): WebSocket => {
          const u = new URL(kubeletUrl);
          u.search = `?ports=${port}`;
          return new WebSocket(u.toString(), ['v4.channel.k8s.io'], { handshakeTimeout: DIAL_TIMEOUT_MS, perMessageDeflate: false, ...tlsOf(target) });
        };
        new SpdyPortForwardTunnel(client, dial, reqLog);
      });
      return;
    }

    const dialled = await dialKubelet(kubeletUrl, offered, target);
    const kubelet = dialled.ws;
    if (kubelet.protocol) chosen.set(req, kubelet.protocol);
    if (socket.destroyed) {
      kubelet.close(1000);
      return;
    }
    // Closed before the client side exists (a command that ended at once): the buffered frames still go out.
    let kubeletClosed = false;
    kubelet.once('close', () => { kubeletClosed = true; });
    wss.handleUpgrade(req, socket, head, (client) => {
      audit?.started();
      reqLog.debug({ protocol: kubelet.protocol }, 'stream proxied to the kubelet');
      splice(client, dialled);
      if (kubeletClosed) client.close(1000);
    });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    let audit: StreamAudit | undefined;
    let failure: ApiError | undefined;
    socket.once('close', () => audit?.end(failure ? failure.code : 101, failure?.status));
    serve(req, socket, head, (a) => { audit = a; }).catch((err: unknown) => {
      const apiErr = isApiError(err) ? err : internal(err instanceof Error ? err.message : String(err));
      failure = apiErr;
      if (apiErr.code >= 500) log.warn({ err, path: req.url }, 'stream request failed');
      else log.info({ path: req.url, code: apiErr.code, reason: apiErr.reason, message: apiErr.message }, 'stream request rejected');
      if (!socket.destroyed) writeStatus(socket, apiErr);
    });
  });
  return {
    close(): void {
      // Upgraded sockets are no longer the HTTP server's: end them here (their kubelet sides follow).
      for (const c of wss.clients) c.terminate();
    },
  };
}
