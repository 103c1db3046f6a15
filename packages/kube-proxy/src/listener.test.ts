import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@tinykube/testkit';
import { connectLines, connectOutcome, startEchoServer, whoAnswers, type EchoServer } from '../test/echo.js';
import { Balancer } from './balancer.js';
import { ServiceListener } from './listener.js';
import { ProxyMetrics } from './metrics.js';

const HOST = '127.0.0.1';
let echo: EchoServer[] = [];
const listeners: ServiceListener[] = [];

beforeAll(async () => {
  echo = await Promise.all([startEchoServer('a', '127.0.0.2'), startEchoServer('b', '127.0.0.3'), startEchoServer('c', '127.0.0.4')]);
});
afterAll(async () => {
  await Promise.all(echo.map((e) => e.close()));
});
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.destroy()));
});

async function start(balancer: Balancer, metrics?: ProxyMetrics): Promise<ServiceListener> {
  const l = new ServiceListener({ host: HOST, port: 0, service: 'default/web:http', balancer, counters: metrics?.forService('default/web:http') });
  listeners.push(l);
  expect(await l.listen()).toEqual({ ok: true });
  return l;
}

const backends = (...es: EchoServer[]) => es.map((e) => ({ ip: e.ip, port: e.port }));

async function metricValue(m: ProxyMetrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = (metric?.values ?? []).find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}

describe('ServiceListener', () => {
  it('forwards connections to three backends in round robin, both ways', async () => {
    const metrics = new ProxyMetrics();
    const lb = new Balancer();
    lb.setBackends(backends(...echo));
    const l = await start(lb, metrics);
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push(await whoAnswers(HOST, l.boundPort()));
    expect(names).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);

    const c = await connectLines(HOST, l.boundPort());
    expect(await c.line()).toBe('a');
    c.send('hello through the proxy\n');
    expect(await c.line()).toBe('hello through the proxy');
    c.close();
    expect(await metricValue(metrics, 'kubeproxy_connections_total', { service: 'default/web:http' })).toBe(7);
    await waitFor(async () => (await metricValue(metrics, 'kubeproxy_active_connections')) === 0, { what: 'active connections back to 0' });
  });

  it('keeps an established connection when the endpoints change; new connections use the new ones', async () => {
    const lb = new Balancer();
    lb.setBackends(backends(echo[0]!));
    const l = await start(lb);
    const c = await connectLines(HOST, l.boundPort());
    expect(await c.line()).toBe('a');

    lb.setBackends(backends(echo[1]!));
    c.send('still here\n');
    expect(await c.line()).toBe('still here');
    expect(await whoAnswers(HOST, l.boundPort())).toBe('b');
    expect(l.activeConnections()).toBeGreaterThanOrEqual(1);
    c.close();
  });

  it('passes a half-close through: the client still reads the whole answer after shutting its side', async () => {
    const lb = new Balancer();
    lb.setBackends(backends(echo[2]!));
    const l = await start(lb);
    const got = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: HOST, port: l.boundPort(), allowHalfOpen: true });
      let data = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => (data += d));
      s.on('end', () => {
        s.end();
        resolve(data);
      });
      s.on('error', reject);
      s.on('connect', () => s.end('last words\n'));
    });
    expect(got).toBe('c\nlast words\n');
  });

  it('tries the next backend when one refuses, and resets the client when all do', async () => {
    const metrics = new ProxyMetrics();
    const dead = { ip: '127.0.0.5', port: await freePort('127.0.0.5') };
    const lb = new Balancer();
    lb.setBackends([dead, ...backends(echo[0]!)]);
    const l = await start(lb, metrics);
    expect(await whoAnswers(HOST, l.boundPort())).toBe('a');
    expect(await metricValue(metrics, 'kubeproxy_connection_errors_total', { reason: 'connect_refused' })).toBe(1);

    lb.setBackends([dead]);
    const outcome = await new Promise<string>((resolve) => {
      const s = net.connect({ host: HOST, port: l.boundPort() });
      s.on('data', () => resolve('data'));
      s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      s.on('end', () => resolve('end'));
    });
    expect(outcome).toBe('ECONNRESET');
  });

  it('close() refuses new connections at once but lets established ones finish', async () => {
    const lb = new Balancer();
    lb.setBackends(backends(echo[0]!));
    const l = await start(lb);
    const port = l.boundPort();
    const c = await connectLines(HOST, port);
    expect(await c.line()).toBe('a');

    let closed = false;
    const done = l.close().then(() => (closed = true));
    expect(await connectOutcome(HOST, port)).toBe('ECONNREFUSED');
    c.send('after close\n');
    expect(await c.line()).toBe('after close');
    expect(closed).toBe(false);
    c.close();
    await done;
    expect(closed).toBe(true);
    expect(l.state).toBe('closed');
  });

  it('reports EADDRINUSE as a value when the address is taken, and can retry later', async () => {
    const lb = new Balancer();
    const holder = new ServiceListener({ host: HOST, port: 0, service: 'x', balancer: lb });
    listeners.push(holder);
    expect((await holder.listen()).ok).toBe(true);
    const second = new ServiceListener({ host: HOST, port: holder.boundPort(), service: 'x', balancer: lb });
    listeners.push(second);
    const r = await second.listen();
    expect(r.ok ? 'ok' : r.code).toBe('EADDRINUSE');
    expect(second.state).toBe('idle');
    await holder.close();
    expect(await second.listen()).toEqual({ ok: true });
    expect(second.state).toBe('listening');
  });
});
