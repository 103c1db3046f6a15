import type { HealthServer } from '@tinykube/client';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyMetrics } from './metrics.js';
import { parseHostPort, startMetricsServer } from './server.js';

describe('metrics server', () => {
  let s: HealthServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('serves /metrics with the kubeproxy_ metrics on port 0 and gates /healthz on sync', async () => {
    const metrics = new ProxyMetrics();
    metrics.forService('default/web:http').accepted.inc();
    let ready = false;
    s = await startMetricsServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, ready: () => ready });
    expect(s.port).toBeGreaterThan(0);
    const get = (path: string) => fetch(`http://127.0.0.1:${s!.port}${path}`);
    const m = await get('/metrics');
    expect(m.status).toBe(200);
    const body = await m.text();
    expect(body).toContain('kubeproxy_connections_total{service="default/web:http"} 1');
    expect(body).toContain('kubeproxy_active_connections 0');
    expect(body).toContain('kubeproxy_sync_proxy_rules_duration_seconds_bucket');
    expect((await get('/healthz')).status).toBe(503);
    expect((await get('/livez')).status).toBe(200);
    ready = true;
    expect(await (await get('/healthz')).text()).toBe('ok');
    expect((await get('/readyz')).status).toBe(200);
  });

  it('parses host:port flags', () => {
    expect(parseHostPort('127.0.0.1:10249')).toEqual({ host: '127.0.0.1', port: 10249 });
    expect(parseHostPort('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseHostPort('127.0.0.1')).toBeUndefined();
    expect(parseHostPort('127.0.0.1:70000')).toBeUndefined();
  });
});
