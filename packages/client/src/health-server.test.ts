import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { healthCheck, startHealthServer, type HealthServer } from './health-server.js';

describe('health server', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function get(path: string, method = 'GET'): Promise<{ status: number; body: string }> {
    const res = await fetch(`http://127.0.0.1:${server!.port}${path}`, { method });
    return { status: res.status, body: await res.text() };
  }

  it('serves ping-only endpoints, gated readyz with kube\'s ?verbose/?exclude/per-check paths, and /metrics', async () => {
    let synced = false;
    const registry = new Registry();
    new Counter({ name: 'things_total', help: 'Things.', registers: [registry] }).inc(3);
    server = await startHealthServer({ host: '127.0.0.1', port: 0, registry, readyz: [healthCheck('informer-sync', () => synced, 'caches not synced')] });
    expect(server.port).toBeGreaterThan(0);
    expect(await get('/healthz')).toEqual({ status: 200, body: 'ok' });
    expect(await get('/livez')).toEqual({ status: 200, body: 'ok' });
    expect(await get('/readyz')).toEqual({ status: 503, body: 'caches not synced' });
    expect(await get('/readyz?verbose')).toEqual({ status: 503, body: '[+]ping ok\n[-]informer-sync failed: caches not synced\nreadyz check failed\n' });
    expect(await get('/readyz?exclude=informer-sync')).toEqual({ status: 200, body: 'ok' });
    expect(await get('/readyz/ping')).toEqual({ status: 200, body: 'ok' });
    expect((await get('/readyz/informer-sync')).status).toBe(503);
    synced = true;
    expect(await get('/readyz')).toEqual({ status: 200, body: 'ok' });
    expect(await get('/readyz?verbose')).toEqual({ status: 200, body: '[+]ping ok\n[+]informer-sync ok\nreadyz check passed\n' });
    expect((await get('/metrics')).body).toContain('things_total 3');
    expect((await get('/readyz/nope')).status).toBe(404);
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/healthz', 'POST')).status).toBe(405);
    expect((await get('/healthz', 'HEAD')).status).toBe(200);
  });

  it('has no /metrics without a registry and can gate /healthz too', async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0, healthz: [healthCheck('sync', () => false, 'not synced')] });
    expect(await get('/healthz')).toEqual({ status: 503, body: 'not synced' });
    expect(await get('/livez')).toEqual({ status: 200, body: 'ok' });
    expect((await get('/metrics')).status).toBe(404);
  });
});
