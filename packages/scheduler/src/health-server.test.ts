import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from './health-server.js';
import { SchedulerMetrics } from './metrics.js';

describe('health server', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves healthz, readyz (after sync) and metrics on a free port', async () => {
    let ready = false;
    const metrics = new SchedulerMetrics();
    metrics.observeAttempt('scheduled', 0.001);
    metrics.setPending({ active: 3, backoff: 1, unschedulable: 2 });
    server = await startHealthServer({ port: 0, host: '127.0.0.1', registry: metrics.registry, ready: () => ready });
    const base = `http://127.0.0.1:${server.port}`;
    expect(server.port).toBeGreaterThan(0);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('scheduler_schedule_attempts_total{result="scheduled",profile="default-scheduler"} 1');
    expect(text).toContain('scheduler_pending_pods{queue="unschedulable"} 2');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
