import { realClock, type Clock } from '@tinykube/client';

/**
 * A bounded cache whose entries expire, for webhook answers (TokenReview, SubjectAccessReview).
 * Concurrent lookups of one key share a single computation (kube's singleflight in front of its
 * token cache), so a burst of requests with one credential makes one review.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly inflight = new Map<string, Promise<V>>();
  private readonly clock: Clock;
  private readonly maxEntries: number;

  constructor(o: { maxEntries?: number; clock?: Clock } = {}) {
    this.clock = o.clock ?? realClock;
    this.maxEntries = o.maxEntries ?? 4096;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.clock.now() >= e.expires) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** ttlMs <= 0 stores nothing. The oldest entry goes when the cache is full. */
  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expires: this.clock.now() + ttlMs });
  }

  /** The cached value, or `compute`'s, which is stored for the ttl it names (0: not stored). */
  async getOrCompute(key: string, compute: () => Promise<{ value: V; ttlMs: number }>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = compute().then(({ value, ttlMs }) => {
      this.set(key, value, ttlMs);
      return value;
    }).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }
}
