import { FakeClock } from '@tinykube/testkit';
import { describe, expect, it } from 'vitest';
import { internal } from '@tinykube/api';
import { Controller, type ReconcileResult } from './controller.js';

/** Lets pending promise callbacks (and the workers they wake) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Controller', () => {
  it('forgets a key on success and honours requeueAfter', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    const observed: string[] = [];
    const c = new Controller({
      name: 't', clock,
      reconcile: async (k): Promise<ReconcileResult> => { calls.push(k); return k === 'later' ? { requeueAfterMs: 5_000 } : {}; },
      metrics: { observe: (name, result) => observed.push(`${name}:${result}`) },
    });
    const ac = new AbortController();
    const done = c.run(ac.signal);
    c.queue.add('ok');
    c.queue.add('later');
    await settle();
    expect(calls).toEqual(['ok', 'later']);
    expect(c.queue.numRequeues('ok')).toBe(0);
    clock.advance(4_999);
    await settle();
    expect(calls).toEqual(['ok', 'later']);
    clock.advance(1);
    await settle();
    expect(calls).toEqual(['ok', 'later', 'later']);
    expect(observed).toEqual(['t:success', 't:success', 't:success']);
    ac.abort();
    await done;
  });

  it('requeues a failed key with the queue\'s per-item backoff, then forgets it once it succeeds', async () => {
    const clock = new FakeClock();
    let failures = 3;
    const calls: number[] = [];
    const observed: string[] = [];
    const c = new Controller({
      name: 't', clock,
      reconcile: async () => {
        calls.push(clock.now());
        if (failures-- > 0) throw internal('boom');
      },
      metrics: { observe: (_n, result) => observed.push(result) },
    });
    const ac = new AbortController();
    const done = c.run(ac.signal);
    const t0 = clock.now();
    c.queue.add('k');
    await settle();
    expect(c.queue.numRequeues('k')).toBe(1);
    // Backoff 5 ms, 10 ms, 20 ms (the default limiter's base doubling).
    for (const delay of [5, 10, 20]) {
      clock.advance(delay - 1);
      await settle();
      const before = calls.length;
      clock.advance(1);
      await settle();
      expect(calls.length).toBe(before + 1);
    }
    expect(calls.map((t) => t - t0)).toEqual([0, 5, 15, 35]);
    expect(observed).toEqual(['error', 'error', 'error', 'success']);
    expect(c.queue.numRequeues('k')).toBe(0);
    ac.abort();
    await done;
  });

  it('never hands one key to two workers; a change during a reconcile is reconciled after it', async () => {
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    const calls: string[] = [];
    const c = new Controller({
      name: 't', clock: new FakeClock(), workers: 4,
      reconcile: async (k) => {
        calls.push(k);
        running++;
        maxRunning = Math.max(maxRunning, running);
        if (k === 'a' && calls.length === 1) await gate.promise;
        running--;
      },
    });
    const ac = new AbortController();
    const done = c.run(ac.signal);
    c.queue.add('a');
    await settle();
    c.queue.add('a');
    c.queue.add('a');
    await settle();
    expect(calls).toEqual(['a']);
    gate.resolve();
    await settle();
    expect(calls).toEqual(['a', 'a']);
    expect(maxRunning).toBe(1);
    ac.abort();
    await done;
  });

  it('runs keys on several workers at once, and on abort waits for in-flight reconciles then stops', async () => {
    const gate = deferred();
    const started: string[] = [];
    const finished: string[] = [];
    const c = new Controller({
      name: 't', clock: new FakeClock(), workers: 2,
      reconcile: async (k) => { started.push(k); await gate.promise; finished.push(k); },
    });
    const ac = new AbortController();
    let stopped = false;
    const done = c.run(ac.signal).then(() => { stopped = true; });
    c.queue.add('a');
    c.queue.add('b');
    c.queue.add('c');
    await settle();
    expect(started).toEqual(['a', 'b']);
    ac.abort();
    await settle();
    expect(stopped).toBe(false);
    expect(c.queue.shuttingDown()).toBe(true);
    gate.resolve();
    await done;
    // In-flight reconciles finish; a key not yet started is left (the workers' get() sees the abort).
    expect(finished.sort()).toEqual(['a', 'b']);
    c.queue.add('d');
    await settle();
    expect(started).not.toContain('d');
  });

  it('returns at once when the signal is already aborted', async () => {
    const c = new Controller({ name: 't', clock: new FakeClock(), reconcile: async () => {} });
    await c.run(AbortSignal.abort());
    expect(c.queue.shuttingDown()).toBe(true);
  });
});
