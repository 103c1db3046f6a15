import { realClock, type Clock } from './clock.js';
import { defaultControllerRateLimiter, type ControllerRateLimiterOptions, type RateLimiter } from './rate-limiter.js';

export class QueueShutDownError extends Error {
  override readonly name = 'QueueShutDownError';
  readonly code = 'ERR_QUEUE_SHUT_DOWN';
  constructor() {
    super('work queue is shut down');
  }
}

export interface WorkQueueOptions<K> extends ControllerRateLimiterOptions {
  clock?: Clock;
  /** Replaces the default limiter built from baseDelayMs/maxDelayMs/qps/burst. */
  rateLimiter?: RateLimiter<K>;
}

interface Waiter<K> {
  resolve(item: K): void;
  reject(err: unknown): void;
}

/**
 * client-go's rate-limited work queue. An item is queued at most once; an item added while a worker
 * holds it is queued again when the worker calls done(), so no two workers ever process the same key
 * at once and no change is lost. Delays and retries run on the injected clock.
 */
export class WorkQueue<K = string> {
  /** Ready items in order; a Set because an item is never queued twice. */
  private readonly queue = new Set<K>();
  /** Items that need processing (queued, or re-added while processing). */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  /** addAfter timers: only the earliest per item is kept. */
  private readonly waiting = new Map<K, { readyAt: number; cancel: () => void }>();
  private waiters: Waiter<K>[] = [];
  private shutting = false;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<K>;

  constructor(o: WorkQueueOptions<K> = {}) {
    this.clock = o.clock ?? realClock;
    this.limiter = o.rateLimiter ?? defaultControllerRateLimiter<K>(o, this.clock);
  }

  add(item: K): void {
    if (this.shutting || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return; // done() will queue it
    this.queue.add(item);
    this.handOut();
  }

  /**
   * The next item, waiting until there is one. Rejects with QueueShutDownError once shut down and
   * drained, or with the signal's reason. The caller must call done(item) afterwards.
   */
  get(signal?: AbortSignal): Promise<K> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const next = this.take();
    if (next.ok) return Promise.resolve(next.item);
    if (this.shutting) return Promise.reject(new QueueShutDownError());
    return new Promise<K>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter<K> = {
        resolve: (item) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(item);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Marks `item` processed; if it was added meanwhile, it is queued again now. */
  done(item: K): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.queue.add(item);
      this.handOut();
    }
  }

  /** Adds `item` after `ms` (at once when ms ≤ 0). A pending earlier time wins over a later one. */
  addAfter(item: K, ms: number): void {
    if (this.shutting) return;
    if (ms <= 0) return this.add(item);
    const readyAt = this.clock.now() + ms;
    const pending = this.waiting.get(item);
    if (pending && pending.readyAt <= readyAt) return;
    pending?.cancel();
    const cancel = this.clock.setTimer(() => {
      this.waiting.delete(item);
      this.add(item);
    }, ms);
    this.waiting.set(item, { readyAt, cancel });
  }

  /** Adds `item` when the rate limiter says so (per-item backoff, overall token bucket). */
  addRateLimited(item: K): void {
    this.addAfter(item, this.limiter.when(item));
  }

  /** Resets `item`'s backoff (call after it was processed successfully). */
  forget(item: K): void {
    this.limiter.forget(item);
  }

  numRequeues(item: K): number {
    return this.limiter.numRequeues(item);
  }

  /** Items ready to be handed out (not those waiting on a delay or being processed). */
  len(): number {
    return this.queue.size;
  }

  /** Stops accepting items; waiting get() calls reject, queued items are still handed out first. */
  shutDown(): void {
    this.shutting = true;
    for (const w of this.waiting.values()) w.cancel();
    this.waiting.clear();
    if (this.queue.size === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.reject(new QueueShutDownError());
    }
  }

  shuttingDown(): boolean {
    return this.shutting;
  }

  private take(): { ok: true; item: K } | { ok: false } {
    const first = this.queue.values().next();
    if (first.done) return { ok: false };
    const item = first.value;
    this.queue.delete(item);
    this.processing.add(item);
    this.dirty.delete(item);
    return { ok: true, item };
  }

  private handOut(): void {
    while (this.waiters.length > 0) {
      const next = this.take();
      if (!next.ok) return;
      this.waiters.shift()!.resolve(next.item);
    }
  }
}
