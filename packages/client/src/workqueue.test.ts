import { FakeClock } from '@tinykube/testkit';
import { describe, expect, it } from 'vitest';
import { BucketRateLimiter, ItemExponentialRateLimiter } from './rate-limiter.js';
import { QueueShutDownError, WorkQueue } from './workqueue.js';

/** Lets pending promise callbacks run. */
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('dedups an item while it is queued and hands items out in order', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('re-queues an item added while it was being processed, only after done()', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    const item = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0); // a second worker must not get it now
    q.done(item);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('get() waits for an add; an aborted get() does not swallow the next item', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const ac = new AbortController();
    const abandoned = q.get(ac.signal);
    const waiting = q.get();
    ac.abort(new Error('stop'));
    await expect(abandoned).rejects.toThrow('stop');
    q.add('x');
    expect(await waiting).toBe('x');
  });

  it('addRateLimited backs off per item (5 ms doubling, capped) and forget() resets it', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      q.addRateLimited('k');
      delays.push(clock.nextDueIn());
      clock.advance(clock.nextDueIn()!);
      expect(q.len()).toBe(1);
      void q.get();
      q.done('k');
    }
    expect(delays).toEqual([5, 10, 20, 40]);
    expect(q.numRequeues('k')).toBe(4);
    q.forget('k');
    expect(q.numRequeues('k')).toBe(0);
    q.addRateLimited('k');
    expect(clock.nextDueIn()).toBe(5);

    const capped = new ItemExponentialRateLimiter<string>(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < 40; i++) last = capped.when('x');
    expect(last).toBe(1_000_000);
  });

  it('the overall token bucket allows a burst, then qps', () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter<string>(10, 3, clock);
    expect([bucket.when('a'), bucket.when('b'), bucket.when('c')]).toEqual([0, 0, 0]);
    expect(bucket.when('d')).toBeCloseTo(100);
    expect(bucket.when('e')).toBeCloseTo(200);
    clock.advance(1000); // refills, but never beyond the burst
    expect([bucket.when('f'), bucket.when('g')]).toEqual([0, 0]);

    const q = new WorkQueue({ clock, qps: 1, burst: 1, baseDelayMs: 5 });
    q.addRateLimited('p');
    q.addRateLimited('q');
    clock.advance(5);
    expect(q.len()).toBe(1); // p passed the bucket; q waits for a token
    clock.advance(994);
    expect(q.len()).toBe(1);
    clock.advance(1);
    expect(q.len()).toBe(2);
  });

  it('addAfter keeps the earliest pending time per item', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 500);
    q.addAfter('b', 300);
    q.addAfter('b', 50);
    clock.advance(60);
    expect(q.len()).toBe(1); // b
    clock.advance(40);
    expect(q.len()).toBe(2); // a at 100
    clock.advance(1000);
    expect(q.len()).toBe(2); // no duplicates fired later
    q.addAfter('c', 0);
    expect(q.len()).toBe(3);
  });

  it('shutDown drains queued items, then rejects; delayed items are dropped', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.add('a');
    q.addAfter('later', 10);
    q.shutDown();
    q.add('ignored');
    expect(await q.get()).toBe('a');
    await expect(q.get()).rejects.toBeInstanceOf(QueueShutDownError);
    clock.advance(100);
    expect(q.len()).toBe(0);

    const q2 = new WorkQueue({ clock });
    const waiting = q2.get();
    q2.shutDown();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_QUEUE_SHUT_DOWN' });
    await tick();
    expect(q2.shuttingDown()).toBe(true);
  });

  it('runs the STYLE.md worker loop: failures retried with backoff, success forgotten', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    const attempts: string[] = [];
    const ac = new AbortController();
    const worker = (async () => {
      for (;;) {
        const key = await q.get(ac.signal).catch(() => undefined);
        if (key === undefined) return;
        try {
          attempts.push(key);
          if (attempts.length < 3) throw new Error('transient');
          q.forget(key);
        } catch {
          q.addRateLimited(key);
        } finally {
          q.done(key);
        }
      }
    })();
    q.add('ns/x');
    await tick();
    clock.advance(5);
    await tick();
    clock.advance(10);
    await tick();
    expect(attempts).toEqual(['ns/x', 'ns/x', 'ns/x']);
    expect(q.numRequeues('ns/x')).toBe(0);
    ac.abort();
    await worker;
  });
});
