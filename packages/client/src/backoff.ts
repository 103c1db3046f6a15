/** Exponential backoff with jitter, for re-listing / re-watching after failures. */
export interface BackoffOptions {
  /** First delay (default 800 ms, as client-go's reflector). */
  initialMs?: number;
  /** Cap (default 30 s). */
  maxMs?: number;
  /** Multiplier per failure (default 2). */
  factor?: number;
  /** Up to this fraction is added at random so that many clients do not retry in step (default 0.2). */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(o: BackoffOptions = {}) {
    this.initialMs = o.initialMs ?? 800;
    this.maxMs = o.maxMs ?? 30_000;
    this.factor = o.factor ?? 2;
    this.jitter = o.jitter ?? 0.2;
    this.random = o.random ?? Math.random;
  }

  /** The delay before the next try; grows on each call until reset(). */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt++;
    return Math.min(this.maxMs, base * (1 + this.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
