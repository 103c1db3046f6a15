import { realClock, type Clock } from './clock.js';

/** How long to wait before an item is retried (client-go's workqueue.RateLimiter). */
export interface RateLimiter<K> {
  /** The delay for this retry of `item`; counts the retry. */
  when(item: K): number;
  /** Stop tracking `item` (it succeeded). */
  forget(item: K): void;
  numRequeues(item: K): number;
}

/** Per-item exponential backoff: base · 2^failures, capped. Defaults 5 ms doubling to 1000 s. */
export class ItemExponentialRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  constructor(private readonly baseMs = 5, private readonly maxMs = 1_000_000) {}

  when(item: K): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    // 2^n overflows to Infinity long after it passed maxMs; min() handles both.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }
  forget(item: K): void {
    this.failures.delete(item);
  }
  numRequeues(item: K): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * An overall token bucket (golang.org/x/time/rate semantics): `burst` retries pass at once, then
 * `qps` per second. Each call reserves a token; the delay is how long until that token exists.
 */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  private tokens: number;
  private last: number;

  constructor(private readonly qps = 10, private readonly burst = 100, private readonly clock: Clock = realClock) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: K): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }
  forget(_item: K): void {}
  numRequeues(_item: K): number {
    return 0;
  }
}

/** The longest delay of several limiters. */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];
  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }
  when(item: K): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(item)));
  }
  forget(item: K): void {
    for (const l of this.limiters) l.forget(item);
  }
  numRequeues(item: K): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item)));
  }
}

export interface ControllerRateLimiterOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  qps?: number;
  burst?: number;
}

/** client-go's DefaultControllerRateLimiter: per-item 5 ms → 1000 s, and 10 qps / burst 100 overall. */
export function defaultControllerRateLimiter<K>(o: ControllerRateLimiterOptions = {}, clock: Clock = realClock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialRateLimiter<K>(o.baseDelayMs ?? 5, o.maxDelayMs ?? 1_000_000),
    new BucketRateLimiter<K>(o.qps ?? 10, o.burst ?? 100, clock),
  );
}
