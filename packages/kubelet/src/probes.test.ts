import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Probe } from '@tinykube/api';
import { freePort, waitFor, FakeClock } from '@tinykube/testkit';
import { ContainerProbes, resolvePort, runProbe, type ProbeResult } from './probes.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.statusCode = req.url === '/ok' ? 200 : req.url === '/redirect' ? 302 : 500;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const exec = async () => ({ exitCode: 0, output: '', timedOut: false });

describe('runProbe', () => {
  const c: Container = { name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 1234 }] };
  it('passes httpGet on 2xx/3xx and fails on 5xx, to the pod IP', async () => {
    const t = { podIP: '127.0.0.1', container: c, exec };
    expect((await runProbe({ httpGet: { path: '/ok', port } }, t)).ok).toBe(true);
    expect((await runProbe({ httpGet: { path: '/redirect', port } }, t)).ok).toBe(true);
    expect(await runProbe({ httpGet: { path: '/bad', port } }, t)).toEqual({ ok: false, message: 'HTTP probe failed with statuscode: 500' });
  });
  it('checks tcpSocket connections', async () => {
    const t = { podIP: '127.0.0.1', container: c, exec };
    expect((await runProbe({ tcpSocket: { port } }, t)).ok).toBe(true);
    const closed = await freePort();
    expect((await runProbe({ tcpSocket: { port: closed } }, t)).ok).toBe(false);
  });
  it('uses the exit code of exec probes', async () => {
    const t = { podIP: '127.0.0.1', container: c, exec: async () => ({ exitCode: 1, output: 'nope', timedOut: false }) };
    expect(await runProbe({ exec: { command: ['false'] } }, t)).toMatchObject({ ok: false });
  });
  it('resolves named ports', () => {
    expect(resolvePort('http', c)).toBe(1234);
    expect(resolvePort('8080', c)).toBe(8080);
    expect(resolvePort('nope', c)).toBeUndefined();
  });
});

describe('ContainerProbes', () => {
  function setup(container: Container, results: ProbeResult[]) {
    const clock = new FakeClock();
    const calls: string[] = [];
    const failures: string[] = [];
    let changes = 0;
    let i = 0;
    const probes = new ContainerProbes({
      podIP: '127.0.0.1', container, exec, clock,
      probe: async (p: Probe) => {
        calls.push(p === container.livenessProbe ? 'liveness' : p === container.readinessProbe ? 'readiness' : 'startup');
        return results[Math.min(i++, results.length - 1)]!;
      },
      onChange: () => changes++,
      onFailure: (kind) => failures.push(kind),
    });
    return { clock, probes, calls, failures, changes: () => changes };
  }

  it('is ready without a readiness probe, and not ready until one succeeds', async () => {
    expect(new ContainerProbes({ podIP: '', container: { name: 'c' }, exec, clock: new FakeClock(), onChange() {}, onFailure() {} }).ready).toBe(true);
    const s = setup({ name: 'c', readinessProbe: { httpGet: { port: 1 }, initialDelaySeconds: 5, periodSeconds: 2 } }, [{ ok: true }]);
    expect(s.probes.ready).toBe(false);
    s.probes.start();
    s.clock.advance(4_000);
    expect(s.calls).toEqual([]);
    s.clock.advance(1_000);
    await waitFor(() => s.probes.ready, { what: 'ready' });
    expect(s.changes()).toBe(1);
    s.probes.stop();
  });

  it('reports a liveness failure after failureThreshold consecutive failures', async () => {
    const s = setup({ name: 'c', livenessProbe: { exec: { command: ['x'] }, periodSeconds: 1, failureThreshold: 3 } }, [{ ok: false }]);
    s.probes.start();
    for (let k = 0; k < 3; k++) {
      s.clock.advance(k === 0 ? 0 : 1_000);
      await waitFor(() => s.calls.length === k + 1, { what: `probe ${k + 1}` });
    }
    await waitFor(() => s.failures.length === 1, { what: 'liveness failure' });
    expect(s.failures).toEqual(['liveness']);
    s.clock.advance(5_000);
    expect(s.calls.length).toBe(3); // no more probing after the failure was reported
  });

  it('holds liveness and readiness until the startup probe succeeds', async () => {
    const s = setup({
      name: 'c',
      startupProbe: { exec: { command: ['x'] }, periodSeconds: 1, failureThreshold: 10 },
      livenessProbe: { exec: { command: ['x'] }, periodSeconds: 1 },
    }, [{ ok: false }, { ok: true }, { ok: true }]);
    expect(s.probes.started).toBe(false);
    expect(s.probes.ready).toBe(false);
    s.probes.start();
    s.clock.advance(0);
    await waitFor(() => s.calls.length >= 1, { what: 'first startup probe' });
    expect(s.calls).toEqual(['startup']);
    s.clock.advance(1_000);
    await waitFor(() => s.probes.started, { what: 'started' });
    expect(s.probes.ready).toBe(true);
    s.clock.advance(1_000);
    await waitFor(() => s.calls.includes('liveness'), { what: 'liveness after startup' });
    s.probes.stop();
  });
});
