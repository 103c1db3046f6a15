import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Pod } from '@tinykube/api';
import { realClock } from '@tinykube/client';
import { waitFor } from '@tinykube/testkit';
import { PodIpam } from './ipam.js';
import { PodWorker } from './pod-worker.js';
import { ProcessRuntime } from './runtime/process-runtime.js';
import { buildServer } from './server.js';
import { execArgv, shellQuote } from './streaming/exec.js';
import { parsePorts } from './streaming/portforward.js';

const root = mkdtempSync(join(tmpdir(), 'tk-streaming-'));
const runtime = new ProcessRuntime({ monitorIntervalMs: 50 });
const log = pino({ level: 'silent' });
const workers: PodWorker[] = [];
let app: ReturnType<typeof buildServer>;
let base: string;
let target: Server;
let targetPort: number;

function makeWorker(name: string, script: string): PodWorker {
  const ipam = new PodIpam();
  ipam.setCidr('127.1.11.0/24');
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script], env: [{ name: 'GREETING', value: 'from-env' }] }] },
  };
  const w = new PodWorker({
    nodeName: 'n1', nodeIP: '127.0.0.1', rootDir: root, runtime, ipam, clock: realClock, log,
    source: { configMap: async () => undefined, secret: async () => undefined }, services: () => [], onStatus: () => {},
  }, pod, 'api');
  runtime.onExit((r) => (r.podUid === w.uid ? w.onContainerExit(r) : undefined));
  w.kick();
  workers.push(w);
  return w;
}

interface Session { frames: Map<number, Buffer>; status?: { status: string; reason?: string; details?: { causes: { reason: string; message: string }[] } }; protocol: string; closed: Promise<void>; ws: WebSocket }

function open(path: string, protocols = ['v5.channel.k8s.io']): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace('http', 'ws') + path, protocols);
    const s: Session = { frames: new Map(), protocol: '', ws, closed: new Promise((r) => ws.on('close', () => r())) };
    ws.on('message', (data: Buffer) => {
      const ch = data[0]!;
      if (ch === 3) s.status = JSON.parse(data.subarray(1).toString());
      s.frames.set(ch, Buffer.concat([s.frames.get(ch) ?? Buffer.alloc(0), data.subarray(1)]));
    });
    ws.on('open', () => {
      s.protocol = ws.protocol;
      resolve(s);
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

const text = (s: Session, ch: number): string => s.frames.get(ch)?.toString() ?? '';

beforeAll(async () => {
  app = buildServer({ log, workers: () => workers, healthy: () => true, podIP: () => '127.0.0.1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  target = createServer((req, res) => res.end(`pong ${req.url}`));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetPort = (target.address() as AddressInfo).port;
  const w = makeWorker('shell', 'echo started; sleep 3600');
  await waitFor(() => w.status?.containerStatuses?.[0]?.state?.running, { what: 'shell running' });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate(0)));
  await app?.close();
  target?.close();
  runtime.close();
  rmSync(root, { recursive: true, force: true });
});

describe('exec', () => {
  it('runs a command with the container env and reports a non-zero exit code', async () => {
    const s = await open('/exec/default/shell/main?command=sh&command=-c&command=echo%20hi%20%24GREETING%3B%20echo%20oops%20%3E%262%3B%20exit%203&stdout=true&stderr=true');
    await s.closed;
    expect(s.protocol).toBe('v5.channel.k8s.io');
    expect(text(s, 1)).toBe('hi from-env\n');
    expect(text(s, 2)).toBe('oops\n');
    expect(s.status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
  });

  it('feeds stdin and ends it on the v5 close signal', async () => {
    const s = await open('/exec/default/shell/main?command=cat&stdin=true&stdout=true&stderr=true');
    s.ws.send(Buffer.from([0, ...Buffer.from('line one\n')]));
    s.ws.send(Buffer.from([255, 0]));
    await s.closed;
    expect(text(s, 1)).toBe('line one\n');
    expect(s.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('gives the command a terminal with tty=true', async () => {
    const s = await open('/exec/default/shell/main?command=sh&command=-c&command=test%20-t%201%20%26%26%20echo%20is-a-tty&stdout=true&tty=true', ['v4.channel.k8s.io']);
    await s.closed;
    expect(s.protocol).toBe('v4.channel.k8s.io');
    expect(text(s, 1)).toContain('is-a-tty');
    expect(s.status?.status).toBe('Success');
  });

  it('resizes the terminal of a tty exec (resize channel)', async () => {
    const s = await open('/exec/default/shell/main?command=sh&stdin=true&stdout=true&tty=true', ['v4.channel.k8s.io']);
    s.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: 100, Height: 40 }))]));
    // the size is applied asynchronously: ask until the shell sees it
    await waitFor(() => {
      s.ws.send(Buffer.from([0, ...Buffer.from('stty size\n')]));
      return text(s, 1).includes('40 100');
    }, { timeoutMs: 10_000, intervalMs: 200, what: `stty size 40 100 (got ${JSON.stringify(text(s, 1))})` });
    s.ws.send(Buffer.from([0, ...Buffer.from('exit 0\n')]));
    await s.closed;
  });

  it('speaks base64.channel.k8s.io: text messages, the channel as a digit, base64 payloads', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/exec/default/shell/main?command=cat&stdin=true&stdout=true`, ['base64.channel.k8s.io']);
    const got: string[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => { if (!isBinary) got.push(data.toString()); });
    await new Promise((r) => ws.on('open', r));
    expect(ws.protocol).toBe('base64.channel.k8s.io');
    ws.send(`0${Buffer.from('over base64\n').toString('base64')}`);
    await waitFor(() => got.some((m) => m.startsWith('1') && Buffer.from(m.slice(1), 'base64').toString() === 'over base64\n'), { what: `stdout echo (got ${got})` });
    ws.close();
  });

  it('reports a missing executable as a Failure status', async () => {
    const s = await open('/exec/default/shell/main?command=no-such-binary-xyz&stdout=true');
    await s.closed;
    expect(s.status?.status).toBe('Failure');
  });

  it('refuses unknown pods and containers before upgrading', async () => {
    await expect(open('/exec/default/absent/main?command=true')).rejects.toThrow('HTTP 404');
    await expect(open('/exec/default/shell/nope?command=true')).rejects.toThrow('HTTP 404');
    await expect(open('/exec/default/shell/main')).rejects.toThrow('HTTP 400');
  });

  it('quotes arguments for the tty wrapper', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const argv = execArgv({ command: ['sh', '-c', 'echo a b'], env: { PATH: '/usr/bin:/bin' }, cwd: '/', stdin: false, stdout: true, stderr: false, tty: true }, '/usr/bin/script');
    expect(argv.slice(0, 2)).toEqual(['/usr/bin/script', '-qefc']);
    expect(argv[2]).toMatch(/\/sh -c 'echo a b'$/);
  });
});

describe('attach', () => {
  it('streams what the container writes from now on, then Success when it ends', async () => {
    const w = makeWorker('talker', 'echo before; sleep 0.5; echo after; sleep 0.3');
    // Attach only once "before" is in the log: what was written earlier is not replayed.
    await waitFor(() => { const p = w.logFor('main')?.path; return p && existsSync(p) && readFileSync(p, 'utf8').includes('before'); }, { what: 'talker wrote before' });
    const s = await open('/attach/default/talker/main?stdout=true');
    await s.closed;
    expect(text(s, 1)).toContain('after\n');
    expect(text(s, 1)).not.toContain('before');
    expect(s.status?.status).toBe('Success');
  });
});

describe('portForward', () => {
  it('parses ports', () => {
    expect(parsePorts(new URLSearchParams('ports=80,443'))).toEqual([80, 443]);
    expect(parsePorts(new URLSearchParams('port=8080'))).toEqual([8080]);
    expect(() => parsePorts(new URLSearchParams('ports=x'))).toThrow('invalid port');
  });

  it('carries a TCP connection over channels 0/1 with the port as the first frame', async () => {
    const raw: Buffer[] = [];
    const s = await open(`/portForward/default/shell?ports=${targetPort}`, ['v4.channel.k8s.io']);
    s.ws.on('message', (d: Buffer) => raw.push(d));
    s.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
    await s.closed;
    const data = s.frames.get(0)!;
    expect(data.readUInt16LE(0)).toBe(targetPort);
    expect(data.subarray(2).toString()).toMatch(/^HTTP\/1.1 200 OK[\s\S]*pong \/hello$/);
    expect(s.frames.get(1)?.readUInt16LE(0)).toBe(targetPort);
  });

  it('reports a refused connection on the error channel', async () => {
    const s = await open('/portForward/default/shell?ports=1', ['v4.channel.k8s.io']);
    await s.closed;
    expect(text(s, 1).slice(2)).toMatch(/ECONNREFUSED/);
  });
});
