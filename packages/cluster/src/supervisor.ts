import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Logger } from 'pino';

export interface ComponentSpec {
  /** Short name used in logs and for the log file (e.g. "apiserver"). */
  name: string;
  /** Absolute path of the program's entry point (a built dist/main.js). */
  entry: string;
  args: string[];
  /** Where stdout and stderr go (appended). */
  logFile: string;
}

/** Restart backoff like the kubelet's CrashLoopBackOff, scaled down: 1 s doubling to 30 s. */
const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** A process that ran this long is considered healthy again and its backoff resets. */
const HEALTHY_AFTER_MS = 10_000;

/**
 * Runs one component as a child process and restarts it when it dies, until stop().
 * This is what the kubelet will do for static pods; until the kubelet exists, `npm start` uses it.
 */
export class Supervised {
  private child?: ChildProcess;
  private out?: WriteStream;
  private stopping = false;
  private backoff = BACKOFF_START_MS;
  private restartTimer?: NodeJS.Timeout;
  restarts = 0;

  constructor(private readonly spec: ComponentSpec, private readonly log: Logger) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.out ??= createWriteStream(this.spec.logFile, { flags: 'a' });
    const startedAt = Date.now();
    const child = spawn(process.execPath, [this.spec.entry, ...this.spec.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.pipe(this.out, { end: false });
    child.stderr?.pipe(this.out, { end: false });
    this.log.info({ component: this.spec.name, pid: child.pid }, 'component started');
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      if (Date.now() - startedAt > HEALTHY_AFTER_MS) this.backoff = BACKOFF_START_MS;
      this.log.warn({ component: this.spec.name, code, signal, restartInMs: this.backoff, logFile: this.spec.logFile }, 'component exited; restarting');
      this.restartTimer = setTimeout(() => {
        this.restarts++;
        this.start();
      }, this.backoff);
      this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    });
  }

  /** SIGTERM, then SIGKILL after graceMs. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    }
    await new Promise<void>((resolve) => (this.out ? this.out.end(resolve) : resolve()));
  }
}
