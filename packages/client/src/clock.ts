/**
 * Time as a dependency. Everything in this package that waits (backoff, resync, work-queue delays,
 * leader election) goes through a Clock so tests can drive time with FakeClock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `ms` milliseconds; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/** Resolves after `ms` on `clock`; rejects with the signal's reason if it aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface FakeTimer {
  id: number;
  due: number;
  fn: () => void;
}

/**
 * A manual clock for tests. `advance(ms)` moves time forward and fires every timer that comes due,
 * in due order, with `now()` equal to each timer's due time while it runs.
 */
export class FakeClock implements Clock {
  private t: number;
  private timers: FakeTimer[] = [];
  private seq = 0;

  constructor(start = Date.parse('2026-01-01T00:00:00.000Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { id: ++this.seq, due: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Moves time forward by `ms`, firing due timers (including ones scheduled by fired timers). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.nextTimer();
      if (!next || next.due > end) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.due);
      next.fn();
    }
    this.t = end;
  }

  /** How many timers are waiting. */
  pending(): number {
    return this.timers.length;
  }

  /** Milliseconds until the next timer is due, or undefined when none is pending. */
  nextDueIn(): number | undefined {
    const next = this.nextTimer();
    return next ? next.due - this.t : undefined;
  }

  private nextTimer(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const x of this.timers) if (!best || x.due < best.due || (x.due === best.due && x.id < best.id)) best = x;
    return best;
  }
}

/** Formats a time as a Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses a Kubernetes Time or MicroTime; NaN when unparseable. */
export function parseKubeTime(s: string | undefined): number {
  return s ? Date.parse(s) : Number.NaN;
}
