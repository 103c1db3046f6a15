import type { IncomingMessage, Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { queryBool } from '@tinykube/api';
import type { PodWorker } from '../pod-worker.js';
import { runAttach } from './attach.js';
import { channelSocket, EXEC_PROTOCOLS, negotiate, PORT_FORWARD_PROTOCOLS } from './channel.js';
import { runExec } from './exec.js';
import { parsePorts, runPortForward } from './portforward.js';

// The kubelet's streaming endpoints, all WebSocket upgrades of the kubelet API server:
//   /exec/<ns>/<pod>/<container>?command=...&stdin&stdout&stderr&tty
//   /attach/<ns>/<pod>/<container>?stdin&stdout&stderr&tty
//   /portForward/<ns>/<pod>?ports=N[,M]
// A request that cannot be served — first of all one the auth filter refuses (401/403) — is answered
// with a plain HTTP error before any upgrade.

export interface StreamingOptions {
  log: Logger;
  workers(): PodWorker[];
  /** The IP port-forward connects to for a pod (its pod IP; hostNetwork pods: the node IP). */
  podIP(w: PodWorker): string | undefined;
  /** Authentication and authorization of the upgrade request (auth/filter.ts); undefined lets it through. */
  guard?(req: IncomingMessage): Promise<{ code: number; message: string } | undefined>;
}

type Session = (ws: WebSocket) => Promise<void>;

class HttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}


function reject(socket: Duplex, code: number, message: string): void {
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[code] ?? 'Error';
  const body = Buffer.from(message);
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

/** Decides what an upgrade request asks for, or throws HttpError. */
function plan(o: StreamingOptions, url: URL, offered: Set<string>): { session: Session; protocol: string } {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [kind, ns, podName, container] = parts;
  if (!kind || !ns || !podName || !['exec', 'attach', 'portForward'].includes(kind)) throw new HttpError(404, 'not found');
  const w = o.workers().find((x) => x.namespace === ns && x.name === podName && !x.isTerminating());
  if (!w) throw new HttpError(404, `pod ${ns}/${podName} not found`);
  const q = url.searchParams;
  const log = o.log.child({ pod: `${ns}/${podName}`, stream: kind });

  if (kind === 'portForward') {
    let ports: number[];
    try {
      ports = parsePorts(q);
    } catch (err) {
      throw new HttpError(400, (err as Error).message);
    }
    const ip = o.podIP(w);
    if (!ip) throw new HttpError(400, `pod ${ns}/${podName} has no IP yet`);
    const protocol = negotiate(offered, PORT_FORWARD_PROTOCOLS);
    if (!protocol) throw new HttpError(400, `no supported port-forward protocol among: ${[...offered].join(', ')}`);
    return { protocol, session: (ws) => runPortForward(channelSocket(ws, protocol), ip, ports, podName, log) };
  }

  if (!container) throw new HttpError(400, 'a container name is required');
  const protocol = negotiate(offered, EXEC_PROTOCOLS);
  if (!protocol) throw new HttpError(400, `no supported streaming protocol among: ${[...offered].join(', ')}`);
  if (!w.containerNames().includes(container)) throw new HttpError(404, `container "${container}" in pod "${podName}" is not valid`);
  if (kind === 'attach') {
    const target = w.logFor(container);
    if (!target?.running()) throw new HttpError(400, `container ${container} is not running`);
    return { protocol, session: (ws) => runAttach(channelSocket(ws, protocol), target, queryBool(q, 'stdout')) };
  }
  const command = q.getAll('command');
  if (command.length === 0) throw new HttpError(400, 'you must specify at least 1 command');
  const t = w.execTarget(container);
  if (!t) throw new HttpError(400, `container ${container} is not running`);
  const req = { command, env: t.env, cwd: t.cwd, stdin: queryBool(q, 'stdin'), stdout: queryBool(q, 'stdout'), stderr: queryBool(q, 'stderr'), tty: queryBool(q, 'tty') };
  return { protocol, session: (ws) => runExec(channelSocket(ws, protocol), req, log) };
}

/** Serves exec, attach and port-forward on `server`'s upgrade requests. */
export function attachStreaming(server: Server | HttpsServer, o: StreamingOptions): void {
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (_offered, req) => chosen.get(req) ?? false });

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      reject(socket, 400, 'only WebSocket upgrades are supported (SPDY is not)');
      return;
    }
    const offered = new Set(String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    let p: ReturnType<typeof plan>;
    try {
      p = plan(o, url, offered);
    } catch (err) {
      if (err instanceof HttpError) reject(socket, err.code, err.message);
      else {
        o.log.error({ err }, 'streaming request failed');
        reject(socket, 500, (err as Error).message);
      }
      return;
    }
    chosen.set(req, p.protocol);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', (err) => o.log.debug({ err }, 'streaming socket error'));
      p.session(ws).catch((err: unknown) => {
        o.log.warn({ err }, 'streaming session failed');
        ws.terminate();
      });
    });
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const guard = o.guard;
    if (!guard) return upgrade(req, socket, head);
    guard(req).then((refusal) => {
      if (socket.destroyed) return;
      if (refusal) reject(socket, refusal.code, refusal.message);
      else upgrade(req, socket, head);
    }, (err: unknown) => {
      o.log.error({ err }, 'streaming request check failed');
      reject(socket, 500, 'internal error');
    });
  });
}
