import { healthCheck, startHealthServer, type HealthServer } from '@tinykube/client';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  host: string;
  /** 0 = any free port; see HealthServer.port. */
  port: number;
  registry: Registry;
  /** /readyz (and /healthz, as kube-proxy's healthz reflects sync state) answer 200 only once this is true. */
  ready: () => boolean;
}

/** kube-proxy's metrics address: @tinykube/client's health server, with /healthz gated on sync like /readyz. */
export function startMetricsServer(o: MetricsServerOptions): Promise<HealthServer> {
  // kube-proxy's /healthz fails until the proxy has synced its rules; ours until the caches synced.
  const synced = healthCheck('proxy-sync', o.ready, 'caches not synced');
  return startHealthServer({ host: o.host, port: o.port, registry: o.registry, healthz: [synced], readyz: [synced] });
}

/** Parses "host:port" (port 0 allowed; "[::1]:10249" for IPv6). */
export function parseHostPort(v: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(v);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65_535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}
