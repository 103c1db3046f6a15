import type { Clock } from '@tinykube/client';

// The kubelet's restart and image-pull backoffs: 10 s doubling to 5 min. A container that ran for
// 10 minutes before exiting starts over (its crash loop is considered over).

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
export const BACKOFF_RESET_AFTER_MS = 600_000;

/** Delay before the n-th quick restart (n = 0 restarts at once, as Kubernetes does the first time). */
export function crashLoopDelayMs(n: number): number {
  if (n <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** (n - 1));
}

/** Delay after the n-th failed image pull (n ≥ 1). */
export function pullBackoffDelayMs(n: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** Math.max(0, n - 1));
}

export interface BackoffEntry {
  /** Consecutive quick exits (or failed pulls). */
  count: number;
  /** Earliest time (ms) the next try may happen. */
  until: number;
  delayMs: number;
}

/** Per-key backoff with an injected clock; entries are plain data so they can be checkpointed. */
export class Backoffs {
  private readonly entries = new Map<string, BackoffEntry>();

  constructor(private readonly clock: Clock) {}

  /** A container instance ended: the next start waits per the crash-loop schedule. */
  recordExit(key: string, startedAt: number, finishedAt: number): BackoffEntry {
    const prev = this.entries.get(key);
    const count = !prev || finishedAt - startedAt >= BACKOFF_RESET_AFTER_MS ? 0 : prev.count;
    const delayMs = crashLoopDelayMs(count);
    // Measured from when the exit is handled (≈ finishedAt), on this clock: the runtime may stamp times with another.
    const e = { count: count + 1, until: this.clock.now() + delayMs, delayMs };
    this.entries.set(key, e);
    return e;
  }

  /** An image pull failed. */
  recordPullFailure(key: string): BackoffEntry {
    const count = (this.entries.get(key)?.count ?? 0) + 1;
    const delayMs = pullBackoffDelayMs(count);
    const e = { count, until: this.clock.now() + delayMs, delayMs };
    this.entries.set(key, e);
    return e;
  }

  inBackoff(key: string): boolean {
    const e = this.entries.get(key);
    return e !== undefined && this.clock.now() < e.until;
  }

  get(key: string): BackoffEntry | undefined {
    return this.entries.get(key);
  }

  set(key: string, e: BackoffEntry): void {
    this.entries.set(key, e);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Milliseconds until the earliest pending backoff ends, if any. */
  nextExpiry(): number | undefined {
    const now = this.clock.now();
    let best: number | undefined;
    for (const e of this.entries.values()) if (e.until > now && (best === undefined || e.until - now < best)) best = e.until - now;
    return best;
  }
}
