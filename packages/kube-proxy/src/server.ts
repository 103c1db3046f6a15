import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  host: string;
  /** 0 = any free port; see MetricsServer.port. */
  port: number;
  registry: Registry;
  /** /readyz (and /healthz, as kube-proxy's healthz reflects sync state) answer 200 only once this is true. */
  ready: () => boolean;
}

export interface MetricsServer {
  app: FastifyInstance;
  port: number;
  close(): Promise<void>;
}

/** Builds the routes without listening, so tests can use inject(). */
export function buildMetricsApp(o: Omit<MetricsServerOptions, 'host' | 'port'>): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/livez', async (_req, reply) => reply.type('text/plain').send('ok'));
  // kube-proxy's /healthz fails until the proxy has synced its rules; ours until the caches synced.
  for (const path of ['/healthz', '/readyz']) {
    app.get(path, async (_req, reply) => {
      const ok = o.ready();
      return reply.code(ok ? 200 : 503).type('text/plain').send(ok ? 'ok' : 'caches not synced');
    });
  }
  app.get('/metrics', async (_req, reply) => {
    const text = await o.registry.metrics();
    return reply.type(o.registry.contentType).send(text);
  });
  return app;
}

export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const app = buildMetricsApp(o);
  await app.listen({ host: o.host, port: o.port });
  const port = (app.server.address() as AddressInfo).port;
  return { app, port, close: () => app.close() };
}

/** Parses "host:port" (port 0 allowed; "[::1]:10249" for IPv6). */
export function parseHostPort(v: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(v);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65_535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}
