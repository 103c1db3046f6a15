import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '@tinykube/api';
import { realClock } from '@tinykube/client';
import { waitFor } from '@tinykube/testkit';
import { PodIpam } from './ipam.js';
import { PodWorker } from './pod-worker.js';
import { FakeRuntime } from './runtime/fake-runtime.js';
import { ProcessRuntime } from './runtime/process-runtime.js';
import { buildServer } from './server.js';

const root = mkdtempSync(join(tmpdir(), 'tk-server-'));
const runtime = new ProcessRuntime({ monitorIntervalMs: 50 });
const log = pino({ level: 'silent' });
afterAll(() => {
  runtime.close();
  rmSync(root, { recursive: true, force: true });
});

function makeWorker(rt: ProcessRuntime | FakeRuntime, name: string, script: string, restartPolicy: 'Always' | 'Never' = 'Never'): PodWorker {
  const ipam = new PodIpam();
  ipam.setCidr('127.1.10.0/24');
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] } };
  const w = new PodWorker({
    nodeName: 'n1', nodeIP: '127.0.0.1', rootDir: root, runtime: rt, ipam, clock: realClock, log,
    source: { configMap: async () => undefined, secret: async () => undefined }, services: () => [], onStatus: () => {},
  }, pod, 'api');
  rt.onExit((r) => (r.podUid === w.uid ? w.onContainerExit(r) : undefined));
  w.kick();
  return w;
}

describe('kubelet API', () => {
  it('serves /healthz, /pods and container logs', async () => {
    const w = makeWorker(runtime, 'logger', 'printf "one\\ntwo\\nthree\\n"');
    await waitFor(() => w.status?.phase === 'Succeeded', { what: 'pod done' });
    const app = buildServer({ log, workers: () => [w], healthy: () => true });
    expect((await app.inject('/healthz')).body).toBe('ok');
    const list = (await app.inject('/pods')).json() as { kind: string; items: Pod[] };
    expect(list.kind).toBe('PodList');
    expect(list.items[0]?.status?.phase).toBe('Succeeded');
    expect((await app.inject('/containerLogs/default/logger/main')).body).toBe('one\ntwo\nthree\n');
    expect((await app.inject('/containerLogs/default/logger/main?tailLines=1')).body).toBe('three\n');
    expect((await app.inject('/containerLogs/default/logger/nope')).statusCode).toBe(404);
    expect((await app.inject('/containerLogs/default/logger/main?previous=true')).statusCode).toBe(400);
    expect((await app.inject('/containerLogs/default/absent/main')).statusCode).toBe(404);
    await app.close();
  });

  it('streams a running container log with follow until it ends', async () => {
    const w = makeWorker(runtime, 'follower', 'echo start; sleep 0.3; echo end');
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.running, { what: 'running' });
    const app = buildServer({ log, workers: () => [w], healthy: () => true });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address() as { port: number };
    const body = await (await fetch(`http://127.0.0.1:${addr.port}/containerLogs/default/follower/main?follow=true`)).text();
    expect(body).toBe('start\nend\n');
    await app.close();
  });
});

describe('fake runtime', () => {
  it('makes pods Running and Ready at once, without processes', async () => {
    const w = makeWorker(new FakeRuntime(), 'hollow', 'exit 1', 'Always');
    await waitFor(() => w.status?.phase === 'Running', { what: 'Running' });
    expect(w.status?.containerStatuses?.[0]).toMatchObject({ ready: true, started: true, containerID: expect.stringMatching(/^tinykube-fake:\/\//) });
    expect(w.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    await w.terminate(0);
    expect(w.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
  });
});
