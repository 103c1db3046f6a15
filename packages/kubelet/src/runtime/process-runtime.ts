import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import { pino, type Logger } from 'pino';
import { realClock, type Clock } from '@tinykube/client';
import { openLogFd, rotateIfNeeded } from '../logs.js';
import { isAlive, killGroup, readStat, rssByGroup, scanProcesses } from './proc.js';
import type { ContainerRecord, ExecResult, Runtime, StartSpec } from './types.js';

export interface ProcessRuntimeOptions {
  logger?: Logger;
  clock?: Clock;
  /** How often memory, adopted processes and log sizes are checked (default 500 ms). */
  monitorIntervalMs?: number;
  /** Rotation threshold (default 10 MiB). */
  logRotateBytes?: number;
}

const EXIT_UNKNOWN = 137;

/**
 * Containers as OS processes. Each container is spawned detached, as the leader of its own process
 * group, so that signals reach everything it started (kill -pgid) and so that it outlives the
 * kubelet. stdout and stderr go straight to the log file. A monitor loop polls /proc for memory
 * limits (RSS of the group; over the limit → SIGKILL, OOMKilled), for the death of adopted processes
 * (they are not our children, so no exit event comes), and for log rotation.
 */
export class ProcessRuntime implements Runtime {
  readonly kind = 'process' as const;
  readonly version = 'tinykube-process://0.1';
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly running = new Map<string, ContainerRecord>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private readonly exitHandlers: ((rec: ContainerRecord) => void)[] = [];
  private readonly oomKilled = new Set<string>();
  private readonly lastSignal = new Map<string, NodeJS.Signals>();
  private readonly rotateBytes: number;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;

  constructor(o: ProcessRuntimeOptions = {}) {
    this.log = (o.logger ?? pino({ level: 'silent' })).child({ component: 'process-runtime' });
    this.clock = o.clock ?? realClock;
    this.rotateBytes = o.logRotateBytes ?? 10 * 1024 * 1024;
    this.timer = setInterval(() => this.monitor(), o.monitorIntervalMs ?? 500);
    this.timer.unref();
  }

  onExit(fn: (rec: ContainerRecord) => void): void {
    this.exitHandlers.push(fn);
  }

  start(spec: StartSpec): ContainerRecord {
    const rec: ContainerRecord = {
      id: '', pid: 0, startTicks: 0, podUid: spec.podUid, name: spec.name, attempt: spec.attempt, image: spec.image,
      imageID: spec.imageID, logPath: spec.logPath, specHash: spec.specHash, memoryLimitBytes: spec.memoryLimitBytes,
      startedAt: this.clock.now(), state: 'running',
    };
    let fd: number | undefined;
    try {
      fd = openLogFd(spec.logPath);
      const child = spawn(spec.argv[0]!, spec.argv.slice(1), {
        cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', fd, fd],
      });
      // Attached first: a failed spawn emits 'error' later, and an unhandled one would crash the kubelet.
      child.on('error', (err) => this.log.warn({ err, container: spec.name }, 'container process error'));
      if (child.pid === undefined) {
        // spawn reports ENOENT/EACCES asynchronously; the pid tells us at once that it failed.
        return this.failedStart(rec, `failed to start ${spec.argv[0]}`);
      }
      rec.pid = child.pid;
      rec.id = `tinykube://${child.pid}`;
      rec.startTicks = readStat(child.pid)?.startTicks ?? 0;
      this.running.set(rec.id, rec);
      child.on('exit', (code, signal) => {
        const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 9) : 9);
        this.finish(rec, exitCode, signal ?? undefined);
      });
      child.unref();
      this.log.info({ pod: spec.podUid, container: spec.name, pid: child.pid, argv: spec.argv }, 'container started');
      return rec;
    } catch (err) {
      return this.failedStart(rec, (err as Error).message);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  adopt(rec: ContainerRecord): ContainerRecord {
    if (rec.state !== 'running') return rec;
    rec.adopted = true;
    if (rec.pid > 0 && isAlive(rec.pid, rec.startTicks)) {
      this.running.set(rec.id, rec);
      this.log.info({ pod: rec.podUid, container: rec.name, pid: rec.pid }, 'adopted running container');
    } else {
      this.markUnknownExit(rec, 'the container process ended while the kubelet was not running');
    }
    return rec;
  }

  async stop(rec: ContainerRecord, graceMs: number): Promise<void> {
    if (rec.state !== 'running') return;
    const ended = this.waitExit(rec);
    this.signal(rec, 'SIGTERM');
    const graceful = await Promise.race([ended.then(() => true), delay(Math.max(0, graceMs)).then(() => false)]);
    if (graceful) return;
    this.log.info({ pod: rec.podUid, container: rec.name, pid: rec.pid, graceMs }, 'grace period over; killing');
    this.signal(rec, 'SIGKILL');
    await ended;
  }

  exec(rec: ContainerRecord, argv: string[], env: Record<string, string>, cwd: string, timeoutMs: number): Promise<ExecResult> {
    void rec;
    return new Promise((resolve) => {
      let output = '';
      let timedOut = false;
      let child;
      try {
        child = spawn(argv[0]!, argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        resolve({ exitCode: 126, output: (err as Error).message, timedOut: false });
        return;
      }
      const keep = (b: Buffer): void => {
        if (output.length < 64 * 1024) output += b.toString();
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const t = setTimeout(() => {
        timedOut = true;
        if (child.pid) killGroup(child.pid, 'SIGKILL');
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(t);
        resolve({ exitCode: 126, output: err.message, timedOut: false });
      });
      child.on('close', (code, signal) => {
        clearTimeout(t);
        resolve({ exitCode: code ?? 128 + (signal ? (constants.signals[signal] ?? 9) : 9), output, timedOut });
      });
    });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Containers this runtime believes are running (for tests and /pods). */
  runningRecords(): ContainerRecord[] {
    return [...this.running.values()];
  }

  // ---- internals ----

  private signal(rec: ContainerRecord, sig: NodeJS.Signals): void {
    this.lastSignal.set(rec.id, sig);
    killGroup(rec.pid, sig);
  }

  private waitExit(rec: ContainerRecord): Promise<void> {
    if (rec.state !== 'running') return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(rec.id) ?? [];
      list.push(resolve);
      this.waiters.set(rec.id, list);
    });
  }

  private failedStart(rec: ContainerRecord, message: string): ContainerRecord {
    rec.id = `tinykube://failed-${rec.podUid}-${rec.name}-${rec.attempt}`;
    rec.state = 'exited';
    rec.exitCode = 128;
    rec.reason = 'StartError';
    rec.message = message;
    rec.finishedAt = this.clock.now();
    this.log.warn({ pod: rec.podUid, container: rec.name, message }, 'container failed to start');
    queueMicrotask(() => this.emitExit(rec));
    return rec;
  }

  private finish(rec: ContainerRecord, exitCode: number, signal: string | undefined): void {
    if (rec.state !== 'running') return;
    // The leader is gone; whatever it left behind in its group goes too, as when a cgroup is killed.
    killGroup(rec.pid, 'SIGKILL');
    const oom = this.oomKilled.delete(rec.id);
    rec.state = 'exited';
    rec.exitCode = oom ? 137 : exitCode;
    if (signal) rec.signal = signal;
    rec.reason = oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    rec.finishedAt = this.clock.now();
    this.log.info({ pod: rec.podUid, container: rec.name, pid: rec.pid, exitCode: rec.exitCode, reason: rec.reason }, 'container exited');
    this.emitExit(rec);
  }

  /** An adopted process ended: we are not its parent, so its exit code is unknowable. */
  private markUnknownExit(rec: ContainerRecord, message: string): void {
    const sig = this.lastSignal.get(rec.id);
    if (rec.pid > 0) killGroup(rec.pid, 'SIGKILL');
    const oom = this.oomKilled.delete(rec.id);
    rec.state = 'exited';
    if (oom) {
      rec.exitCode = 137;
      rec.reason = 'OOMKilled';
    } else if (sig) {
      // We stopped it ourselves: report what the signal would have given.
      rec.exitCode = 128 + (constants.signals[sig] ?? 9);
      rec.reason = 'Error';
    } else {
      // Kubernetes' own answer for a container whose end it did not see.
      rec.exitCode = EXIT_UNKNOWN;
      rec.reason = 'ContainerStatusUnknown';
      rec.message = message;
    }
    rec.finishedAt = this.clock.now();
    this.emitExit(rec);
  }

  private emitExit(rec: ContainerRecord): void {
    this.running.delete(rec.id);
    this.lastSignal.delete(rec.id);
    for (const w of this.waiters.get(rec.id) ?? []) w();
    this.waiters.delete(rec.id);
    for (const fn of this.exitHandlers) {
      try {
        fn(rec);
      } catch (err) {
        this.log.error({ err }, 'exit handler threw');
      }
    }
  }

  private monitor(): void {
    if (this.running.size === 0) return;
    this.ticks++;
    const recs = [...this.running.values()];
    const needScan = recs.some((r) => r.memoryLimitBytes !== undefined);
    if (needScan) {
      const rss = rssByGroup(scanProcesses());
      for (const rec of recs) {
        if (rec.memoryLimitBytes === undefined) continue;
        const used = rss.get(rec.pid) ?? 0;
        if (used > rec.memoryLimitBytes && !this.oomKilled.has(rec.id)) {
          this.log.warn({ pod: rec.podUid, container: rec.name, rssBytes: used, limitBytes: rec.memoryLimitBytes }, 'memory limit exceeded; killing');
          this.oomKilled.add(rec.id);
          killGroup(rec.pid, 'SIGKILL');
        }
      }
    }
    for (const rec of recs) {
      if (rec.adopted && !isAlive(rec.pid, rec.startTicks)) this.markUnknownExit(rec, 'the container process ended; its exit code is unknown to a restarted kubelet');
    }
    if (this.ticks % 20 === 0) {
      for (const rec of recs) {
        try {
          if (rotateIfNeeded(rec.logPath, this.rotateBytes)) this.log.info({ path: rec.logPath }, 'log rotated');
        } catch (err) {
          this.log.warn({ err, path: rec.logPath }, 'log rotation failed');
        }
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
