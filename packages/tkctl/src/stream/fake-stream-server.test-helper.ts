import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// A tiny stand-in for the apiserver's streaming side, for tests: answers GET of pod "p" and
// hands every WebSocket upgrade (with its request) to the test.

export interface FakeStreamServer {
  url: string;
  upgrades: { path: string; query: URLSearchParams; protocol: string }[];
  close(): Promise<void>;
}

export async function startFakeStreamServer(onSocket: (ws: WebSocket, req: IncomingMessage) => void): Promise<FakeStreamServer> {
  const upgrades: FakeStreamServer['upgrades'] = [];
  const http: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/v1/namespaces/default/pods/p') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'main' }] } }));
      return;
    }
    res.statusCode = 404;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `pods "${req.url?.split('/').pop()}" not found` }));
  });
  const wss = new WebSocketServer({ server: http, handleProtocols: (protocols) => [...protocols][0] ?? false });
  wss.on('connection', (ws, req) => {
    const u = new URL(req.url ?? '/', 'http://x');
    upgrades.push({ path: u.pathname, query: u.searchParams, protocol: ws.protocol });
    onSocket(ws, req);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    upgrades,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
