import { request } from 'node:http';
import { connect } from 'node:net';
import type { Container, Probe } from '@tinykube/api';
import type { Clock } from '@tinykube/client';
import type { ExecResult } from './runtime/types.js';

// Liveness, readiness and startup probes (httpGet to the pod IP, tcpSocket, exec), with Kubernetes'
// defaults: period 10 s, timeout 1 s, success threshold 1, failure threshold 3.

export interface ProbeResult {
  ok: boolean;
  message?: string;
}

export interface ProbeTarget {
  podIP: string;
  container: Container;
  /** Runs a command in the container's environment. */
  exec(argv: string[], timeoutMs: number): Promise<ExecResult>;
}

/** A port given by name refers to one of the container's ports. */
export function resolvePort(port: number | string, c: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

function httpProbe(host: string, port: number, path: string, headers: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', headers: { 'user-agent': 'kube-probe/1.32', ...headers }, timeout: timeoutMs }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { ok: true } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, message: `Get "http://${host}:${port}${path}": context deadline exceeded` });
    });
    req.on('error', (err) => resolve({ ok: false, message: `Get "http://${host}:${port}${path}": ${err.message}` }));
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = connect({ host, port, timeout: timeoutMs });
    sock.on('connect', () => {
      sock.destroy();
      resolve({ ok: true });
    });
    sock.on('timeout', () => {
      sock.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    sock.on('error', (err) => resolve({ ok: false, message: `dial tcp ${host}:${port}: ${err.message}` }));
  });
}

/** Runs one probe once. */
export async function runProbe(p: Probe, t: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
  if (p.exec) {
    const r = await t.exec(p.exec.command ?? [], timeoutMs);
    if (r.timedOut) return { ok: false, message: `command timed out after ${timeoutMs / 1000}s` };
    return r.exitCode === 0 ? { ok: true } : { ok: false, message: `command exited with ${r.exitCode}: ${r.output.slice(0, 256)}` };
  }
  if (p.httpGet) {
    const port = resolvePort(p.httpGet.port, t.container);
    if (port === undefined) return { ok: false, message: `unknown port ${p.httpGet.port}` };
    const headers: Record<string, string> = {};
    for (const h of p.httpGet.httpHeaders ?? []) headers[h.name] = h.value;
    return httpProbe(p.httpGet.host || t.podIP, port, p.httpGet.path ?? '/', headers, timeoutMs);
  }
  if (p.tcpSocket) {
    const port = resolvePort(p.tcpSocket.port, t.container);
    if (port === undefined) return { ok: false, message: `unknown port ${p.tcpSocket.port}` };
    return tcpProbe(p.tcpSocket.host || t.podIP, port, timeoutMs);
  }
  // grpc probes are not implemented: count them as passing rather than killing healthy containers.
  return { ok: true };
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ContainerProbesOptions extends ProbeTarget {
  clock: Clock;
  /** Readiness or startup changed: the pod's status needs recomputing. */
  onChange(): void;
  /** Liveness (or startup) failed failureThreshold times: the container must be restarted. */
  onFailure(kind: 'liveness' | 'startup', message: string): void;
  /** Runs a probe; tests inject a fake. */
  probe?: (p: Probe, t: ProbeTarget) => Promise<ProbeResult>;
}

/** The probe workers of one running container instance. */
export class ContainerProbes {
  ready: boolean;
  started: boolean;
  lastMessage: string | undefined;
  private stopped = false;
  private readonly cancels: (() => void)[] = [];

  constructor(private readonly o: ContainerProbesOptions) {
    const c = o.container;
    this.started = c.startupProbe === undefined;
    this.ready = c.readinessProbe === undefined && this.started;
  }

  start(): void {
    const c = this.o.container;
    if (c.startupProbe) this.schedule('startup', c.startupProbe, (c.startupProbe.initialDelaySeconds ?? 0) * 1000);
    if (c.livenessProbe) this.schedule('liveness', c.livenessProbe, (c.livenessProbe.initialDelaySeconds ?? 0) * 1000);
    if (c.readinessProbe) this.schedule('readiness', c.readinessProbe, (c.readinessProbe.initialDelaySeconds ?? 0) * 1000);
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.cancels.splice(0)) c();
  }

  private schedule(kind: ProbeKind, p: Probe, delayMs: number): void {
    let successes = 0;
    let failures = 0;
    const period = (p.periodSeconds ?? 10) * 1000;
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      // Liveness and readiness wait for the startup probe to succeed.
      if (kind !== 'startup' && !this.started) return void this.cancels.push(this.o.clock.setTimer(() => void tick(), period));
      if (kind === 'startup' && this.started) return;
      const r = await (this.o.probe ?? runProbe)(p, this.o);
      if (this.stopped) return;
      if (r.ok) {
        successes++;
        failures = 0;
      } else {
        failures++;
        successes = 0;
        this.lastMessage = r.message;
      }
      const succeeded = successes >= (kind === 'readiness' ? (p.successThreshold ?? 1) : 1);
      const failed = failures >= (p.failureThreshold ?? 3);
      if (kind === 'startup' && succeeded) {
        this.started = true;
        if (this.o.container.readinessProbe === undefined) this.ready = true;
        this.o.onChange();
        return;
      }
      if (kind === 'readiness') {
        const next = succeeded ? true : failed ? false : this.ready;
        if (next !== this.ready) {
          this.ready = next;
          this.o.onChange();
        }
      }
      if ((kind === 'liveness' || kind === 'startup') && failed) {
        this.o.onFailure(kind, r.message ?? `${kind} probe failed`);
        return;
      }
      this.cancels.push(this.o.clock.setTimer(() => void tick(), period));
    };
    this.cancels.push(this.o.clock.setTimer(() => void tick(), delayMs));
  }
}
