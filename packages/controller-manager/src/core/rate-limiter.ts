import type { Now } from './ports.js';

/**
 * A token bucket (client-go's flowcontrol.TokenBucketRateLimiter, used for --node-eviction-rate):
 * `qps` tokens per second up to `burst`. tryAccept takes a token if one is there; nextInMs says when
 * the next one will be. qps <= 0 never accepts.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly qps: number, private readonly burst: number, private readonly now: Now) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    if (this.qps > 0) this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }

  tryAccept(): boolean {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  nextInMs(): number {
    this.refill();
    if (this.tokens >= 1) return 0;
    if (this.qps <= 0) return Number.POSITIVE_INFINITY;
    return Math.ceil(((1 - this.tokens) / this.qps) * 1000);
  }
}
