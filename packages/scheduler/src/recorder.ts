import type { Logger } from 'pino';
import { isNotFound } from '@tinykube/api';
import type { SchedulerApi } from './api.js';
import { kubeTime, podEvent, type PodEvent } from './events.js';
import type { PodInfo } from './pod-info.js';

export interface RecorderOptions {
  reportingInstance: string;
  now?: () => Date;
  /** Writes in flight at once (events and status patches share this budget). */
  maxInFlight?: number;
  /** Beyond this backlog new writes are dropped, like client-go's event broadcaster. */
  maxPending?: number;
  /** Repeats of the same event within this window bump its count instead of creating one. */
  aggregateWindowMs?: number;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

type Task = () => Promise<void>;

/**
 * Posts Events and pod status patches in the background with bounded concurrency, so the
 * scheduling loop never waits on them. Like client-go's event correlator, an identical
 * event (same pod, reason, message) repeated within the window is a PATCH of count and
 * lastTimestamp on the existing Event rather than a new object.
 */
export class BackgroundWriter {
  private readonly pending: Task[] = [];
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  /** pod uid → "type/reason/message" → the Event created for it (for aggregation). */
  private readonly seen = new Map<string, Map<string, Seen>>();
  private readonly now: () => Date;
  private readonly maxInFlight: number;
  private readonly maxPending: number;
  private readonly windowMs: number;
  dropped = 0;

  constructor(
    private readonly api: SchedulerApi,
    private readonly log: Logger,
    private readonly opts: RecorderOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.maxInFlight = opts.maxInFlight ?? 16;
    this.maxPending = opts.maxPending ?? 5_000;
    this.windowMs = opts.aggregateWindowMs ?? 10 * 60_000;
  }

  event(pod: PodInfo, type: PodEvent['type'], reason: string, message: string): void {
    const now = this.now();
    const key = `${type}\u0000${reason}\u0000${message}`;
    const forPod = this.seen.get(pod.uid);
    const prev = forPod?.get(key);
    if (forPod && prev && now.getTime() - prev.at < this.windowMs) {
      prev.count++;
      prev.at = now.getTime();
      const patch = { count: prev.count, lastTimestamp: kubeTime(now) };
      this.enqueue(async () => {
        try {
          await this.api.patchEvent(prev.namespace, prev.name, patch);
        } catch (err) {
          if (!isNotFound(err)) throw err;
          forPod.delete(key); // expired or deleted: the next repeat creates a fresh one
        }
      });
      return;
    }
    const ev = podEvent(pod, type, reason, message, now, this.opts.reportingInstance);
    this.enqueue(() => this.api.createEvent(ev));
    // Only failures repeat; a Scheduled event is the pod's last word from us.
    if (type !== 'Warning') return;
    if (this.seen.size > 10_000) this.seen.clear(); // bound memory; worst case a repeat creates a new Event
    let m = forPod;
    if (!m) this.seen.set(pod.uid, (m = new Map()));
    m.set(key, { name: ev.metadata.name, namespace: ev.metadata.namespace, count: 1, at: now.getTime() });
  }

  /** Forget aggregation state of a pod that left the scheduler's hands. */
  forgetPod(uid: string): void {
    this.seen.delete(uid);
  }

  statusPatch(pod: PodInfo, patch: Record<string, unknown>): void {
    this.enqueue(async () => {
      try {
        await this.api.patchPodStatus(pod.namespace, pod.name, patch);
      } catch (err) {
        if (!isNotFound(err)) throw err; // a deleted pod needs no condition
      }
    });
  }

  /** Resolves when nothing is pending or in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(task: Task): void {
    if (this.pending.length >= this.maxPending) {
      this.dropped++;
      return;
    }
    this.pending.push(task);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const task = this.pending.shift() as Task;
      this.inFlight++;
      task()
        .catch((err: unknown) => this.log.warn({ err }, 'background write failed'))
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.inFlight === 0 && this.pending.length === 0) for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }
}
