import { describe, expect, it } from 'vitest';
import { ProxyMetrics } from './metrics.js';
import { buildMetricsApp, parseHostPort, startMetricsServer } from './server.js';

describe('metrics server', () => {
  it('serves /metrics with the kubeproxy_ metrics and gates /healthz on sync', async () => {
    const metrics = new ProxyMetrics();
    metrics.forService('default/web:http').accepted.inc();
    let ready = false;
    const app = buildMetricsApp({ registry: metrics.registry, ready: () => ready });
    const m = await app.inject({ method: 'GET', url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('kubeproxy_connections_total{service="default/web:http"} 1');
    expect(m.body).toContain('kubeproxy_active_connections 0');
    expect(m.body).toContain('kubeproxy_sync_proxy_rules_duration_seconds_bucket');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(503);
    expect((await app.inject({ url: '/livez' })).statusCode).toBe(200);
    ready = true;
    expect((await app.inject({ url: '/healthz' })).body).toBe('ok');
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await app.close();
  });

  it('listens on port 0 and reports the bound port', async () => {
    const s = await startMetricsServer({ host: '127.0.0.1', port: 0, registry: new ProxyMetrics().registry, ready: () => true });
    try {
      expect(s.port).toBeGreaterThan(0);
      const res = await fetch(`http://127.0.0.1:${s.port}/healthz`);
      expect(await res.text()).toBe('ok');
    } finally {
      await s.close();
    }
  });

  it('parses host:port flags', () => {
    expect(parseHostPort('127.0.0.1:10249')).toEqual({ host: '127.0.0.1', port: 10249 });
    expect(parseHostPort('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseHostPort('127.0.0.1')).toBeUndefined();
    expect(parseHostPort('127.0.0.1:70000')).toBeUndefined();
  });
});
