import { realClock, type Clock } from '@tinykube/client';
import { Heap } from './heap.js';
import type { PodInfo } from './pod-info.js';

/**
 * A cluster change that may make unschedulable pods schedulable. `plugins` names the filters
 * whose rejections it can undo ('all' for node additions): a pod moves back only when one of
 * the plugins that rejected it is listed.
 */
export interface ClusterEvent {
  label: string;
  plugins: ReadonlySet<string> | 'all';
}

export interface QueueOptions {
  clock?: Clock;
  /** kube-scheduler defaults: 1 s doubling to 10 s. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Unschedulable pods are retried at least this often even without a helpful event. */
  maxUnschedulableMs?: number;
}

type State = 'active' | 'backoff' | 'unschedulable' | 'inFlight';

/** A pod handed out by pop(); pass it back to requeue it after a failure. */
export interface QueuedPod {
  pod: PodInfo;
  attempts: number;
  /** The scheduling cycle that popped it (compared with the last move request). */
  cycle: number;
}

interface Entry extends QueuedPod {
  state: State;
  /** When it entered the active queue (FIFO within a priority). */
  timestamp: number;
  backoffUntil: number;
  unschedulableSince: number;
  /** Plugins that rejected it in its last attempt. */
  rejectors: ReadonlySet<string>;
  /** The pod changed while it was being scheduled: retry instead of parking it. */
  updatedInFlight: boolean;
  seq: number;
}

/**
 * kube-scheduler's PriorityQueue: an active heap (priority, then arrival), a backoff heap
 * (by expiry) and a map of unschedulable pods that return on helpful cluster events or after
 * maxUnschedulableMs. A pod stays known while in flight (being scheduled or bound), so
 * informer updates and deletes during that time are not lost.
 */
export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly active = new Heap<Entry>((a, b) =>
    a.pod.priority !== b.pod.priority ? a.pod.priority > b.pod.priority : a.timestamp !== b.timestamp ? a.timestamp < b.timestamp : a.seq < b.seq,
  );
  private readonly backoff = new Heap<Entry>((a, b) => a.backoffUntil < b.backoffUntil);
  private activeCount = 0;
  private backoffCount = 0;
  private unschedulableCount = 0;
  private waiters: Array<() => void> = [];
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private seq = 0;
  private closed = false;
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;

  constructor(opts: QueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 60_000;
  }

  /** Backoff after `attempts` failed attempts: initial * 2^(attempts-1), capped. */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      if (d >= this.maxBackoffMs / 2) return this.maxBackoffMs;
      d *= 2;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  lengths(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    const inFlight = this.entries.size - this.activeCount - this.backoffCount - this.unschedulableCount;
    return { active: this.activeCount, backoff: this.backoffCount, unschedulable: this.unschedulableCount, inFlight };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  stateOf(key: string): State | undefined {
    return this.entries.get(key)?.state;
  }

  /** A new pending pod (informer add). */
  add(pod: PodInfo): void {
    if (this.entries.has(pod.key)) return this.update(pod);
    const e: Entry = {
      pod,
      attempts: 0,
      cycle: 0,
      state: 'active',
      timestamp: this.clock.now(),
      backoffUntil: 0,
      unschedulableSince: 0,
      rejectors: new Set(),
      updatedInFlight: false,
      seq: this.seq++,
    };
    this.entries.set(pod.key, e);
    this.toActive(e);
  }

  /** The pending pod changed. A relevant change lets an unschedulable pod try again. */
  update(pod: PodInfo): void {
    const e = this.entries.get(pod.key);
    if (!e) return this.add(pod);
    if (e.pod.uid !== pod.uid) {
      this.delete(pod.key);
      return this.add(pod);
    }
    const changed = e.pod.schedulingSignature !== pod.schedulingSignature;
    e.pod = pod;
    if (e.state === 'inFlight') e.updatedInFlight ||= changed;
    else if (e.state === 'unschedulable' && changed) this.moveOut(e);
  }

  /** The pod is gone, bound, or no longer ours. */
  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.leaveState(e);
    this.entries.delete(key);
  }

  /** Waits for the next pod to schedule; undefined once the signal aborts or the queue closes. */
  async pop(signal?: AbortSignal): Promise<QueuedPod | undefined> {
    for (;;) {
      if (this.closed || signal?.aborted) return undefined;
      const e = this.popActive();
      if (e) return e;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.push(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Non-blocking pop (for tests and batch loops). */
  tryPop(): QueuedPod | undefined {
    return this.popActive();
  }

  /** Scheduling (and binding) succeeded: the pod leaves the queue. */
  done(pod: PodInfo): void {
    const e = this.entries.get(pod.key);
    if (e && e.pod.uid === pod.uid && e.state === 'inFlight') this.entries.delete(pod.key);
  }

  /**
   * The attempt found no node. The pod waits in the unschedulable map for an event that
   * could help it — unless such an event already arrived while it was being scheduled (or it
   * was itself updated), in which case it only backs off.
   */
  requeueUnschedulable(qp: QueuedPod, rejectors: ReadonlySet<string>): void {
    const e = this.ownEntry(qp);
    if (!e) return;
    e.rejectors = rejectors;
    e.backoffUntil = this.clock.now() + this.backoffDuration(e.attempts);
    if (this.moveRequestCycle >= e.cycle || e.updatedInFlight) return this.toBackoffOrActive(e);
    e.state = 'unschedulable';
    e.unschedulableSince = this.clock.now();
    this.unschedulableCount++;
  }

  /** An error (e.g. the binding failed): retry after the backoff. */
  requeueBackoff(qp: QueuedPod): void {
    const e = this.ownEntry(qp);
    if (!e) return;
    e.backoffUntil = this.clock.now() + this.backoffDuration(Math.max(1, e.attempts));
    this.toBackoffOrActive(e);
  }

  /** A cluster event: move the unschedulable pods it may help to backoff or active. */
  onClusterEvent(event: ClusterEvent): number {
    this.moveRequestCycle = this.schedulingCycle;
    if (this.unschedulableCount === 0) return 0;
    let moved = 0;
    for (const e of this.entries.values()) {
      if (e.state !== 'unschedulable') continue;
      if (event.plugins !== 'all' && ![...e.rejectors].some((p) => (event.plugins as ReadonlySet<string>).has(p))) continue;
      this.moveOut(e);
      moved++;
    }
    return moved;
  }

  /** Moves expired backoff pods to active and stale unschedulable pods out; call about every second. */
  flush(): void {
    const now = this.clock.now();
    for (let top = this.backoff.peek(); top; top = this.backoff.peek()) {
      if (this.entries.get(top.pod.key) !== top || top.state !== 'backoff') {
        this.backoff.pop();
        continue;
      }
      if (top.backoffUntil > now) break;
      this.backoff.pop();
      this.backoffCount--;
      this.toActive(top);
    }
    if (this.unschedulableCount === 0) return;
    for (const e of this.entries.values()) {
      if (e.state === 'unschedulable' && now - e.unschedulableSince >= this.maxUnschedulableMs) this.moveOut(e);
    }
  }

  /** Runs flush() every intervalMs until the signal aborts. */
  run(signal: AbortSignal, intervalMs = 1_000): void {
    if (signal.aborted) return;
    let cancel = (): void => {};
    const tick = (): void => {
      this.flush();
      cancel = this.clock.setTimer(tick, intervalMs);
    };
    cancel = this.clock.setTimer(tick, intervalMs);
    signal.addEventListener('abort', () => cancel(), { once: true });
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w();
  }

  private ownEntry(qp: QueuedPod): Entry | undefined {
    const e = this.entries.get(qp.pod.key);
    if (!e || e.state !== 'inFlight' || e.pod.uid !== qp.pod.uid) return undefined;
    return e;
  }

  private popActive(): Entry | undefined {
    for (let e = this.active.pop(); e; e = this.active.pop()) {
      if (this.entries.get(e.pod.key) !== e || e.state !== 'active') continue; // stale heap slot
      this.activeCount--;
      e.state = 'inFlight';
      e.attempts++;
      e.cycle = ++this.schedulingCycle;
      e.updatedInFlight = false;
      return e;
    }
    return undefined;
  }

  private moveOut(e: Entry): void {
    this.leaveState(e);
    this.toBackoffOrActive(e);
  }

  private toBackoffOrActive(e: Entry): void {
    if (e.backoffUntil > this.clock.now()) {
      e.state = 'backoff';
      this.backoffCount++;
      this.backoff.push(e);
    } else this.toActive(e);
  }

  private toActive(e: Entry): void {
    e.state = 'active';
    e.timestamp = this.clock.now();
    e.seq = this.seq++;
    this.activeCount++;
    this.active.push(e);
    const w = this.waiters.shift();
    if (w) w();
  }

  /** Drops the entry from its current state's count (heap slots are skipped lazily). */
  private leaveState(e: Entry): void {
    if (e.state === 'active') this.activeCount--;
    else if (e.state === 'backoff') this.backoffCount--;
    else if (e.state === 'unschedulable') this.unschedulableCount--;
    e.state = 'inFlight';
  }
}
