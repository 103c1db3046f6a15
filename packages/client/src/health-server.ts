import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** One named check (kube's healthz.HealthChecker): undefined when healthy, else why not. */
export interface HealthCheck {
  name: string;
  check(): string | undefined;
}

/** A check that fails with `reason` while `ok()` is false (e.g. informer caches not synced yet). */
export function healthCheck(name: string, ok: () => boolean, reason: string): HealthCheck {
  return { name, check: () => (ok() ? undefined : reason) };
}

/** The check every endpoint has: the process answers. */
const ping: HealthCheck = { name: 'ping', check: () => undefined };

export interface HealthServerOptions {
  host: string;
  /** 0 = any free port; see HealthServer.port. */
  port: number;
  /** Served on /metrics when given. */
  registry?: Registry;
  /** Checks of each endpoint besides `ping`. */
  healthz?: HealthCheck[];
  livez?: HealthCheck[];
  readyz?: HealthCheck[];
}

export interface HealthServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

const ENDPOINTS = ['healthz', 'livez', 'readyz'] as const;

/**
 * A component's plain-HTTP /healthz, /livez, /readyz and Prometheus /metrics. As in kube's healthz
 * package: `/<endpoint>?verbose` lists every check (`[+]ping ok`), `?exclude=<name>` skips one,
 * `/<endpoint>/<name>` runs one. A healthy endpoint answers `ok`; an unhealthy one 503 with the
 * failing checks' reasons (or the verbose list).
 */
export async function startHealthServer(o: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => handle(o, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function handle(o: HealthServerOptions, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [endpoint, single, ...rest] = url.pathname.split('/').filter(Boolean);
  if (endpoint === 'metrics' && !single && o.registry) {
    const registry = o.registry;
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
    return;
  }
  const name = ENDPOINTS.find((e) => e === endpoint);
  const checks = name ? [ping, ...(o[name] ?? [])] : [];
  const picked = single === undefined ? checks.filter((c) => !url.searchParams.getAll('exclude').includes(c.name)) : checks.filter((c) => c.name === single);
  if (!name || rest.length > 0 || picked.length === 0) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const results = picked.map((c) => ({ name: c.name, failure: c.check() }));
  const failed = results.filter((r) => r.failure !== undefined);
  const status = failed.length === 0 ? 200 : 503;
  let body: string;
  if (url.searchParams.has('verbose')) {
    const lines = results.map((r) => (r.failure === undefined ? `[+]${r.name} ok` : `[-]${r.name} failed: ${r.failure}`));
    body = `${lines.join('\n')}\n${name} check ${failed.length === 0 ? 'passed' : 'failed'}\n`;
  } else {
    body = failed.length === 0 ? 'ok' : failed.map((r) => r.failure).join('\n');
  }
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
}
