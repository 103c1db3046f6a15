import { FakeClock } from '@tinykube/testkit';
import { describe, expect, it } from 'vitest';
import { BACKOFF_RESET_AFTER_MS, Backoffs, crashLoopDelayMs, pullBackoffDelayMs } from './backoff.js';

describe('crash loop backoff', () => {
  it('restarts at once the first time, then 10 s doubling to 5 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(crashLoopDelayMs)).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect([1, 2, 3, 10].map(pullBackoffDelayMs)).toEqual([10_000, 20_000, 40_000, 300_000]);
  });

  it('tracks consecutive quick exits on an injected clock', () => {
    const clock = new FakeClock();
    const b = new Backoffs(clock);
    let now = clock.now();
    expect(b.recordExit('c', now - 1000, now).delayMs).toBe(0);
    expect(b.inBackoff('c')).toBe(false);
    expect(b.recordExit('c', now, now).delayMs).toBe(10_000);
    expect(b.inBackoff('c')).toBe(true);
    expect(b.nextExpiry()).toBe(10_000);
    clock.advance(9_999);
    expect(b.inBackoff('c')).toBe(true);
    clock.advance(1);
    expect(b.inBackoff('c')).toBe(false);
    now = clock.now();
    expect(b.recordExit('c', now, now).delayMs).toBe(20_000);
  });

  it('starts over after a container ran for 10 minutes', () => {
    const clock = new FakeClock();
    const b = new Backoffs(clock);
    const t = clock.now();
    b.recordExit('c', t, t);
    b.recordExit('c', t, t);
    expect(b.recordExit('c', t, t).delayMs).toBe(20_000);
    expect(b.recordExit('c', t, t + BACKOFF_RESET_AFTER_MS).delayMs).toBe(0);
  });

  it('backs off image pulls from the clock', () => {
    const clock = new FakeClock();
    const b = new Backoffs(clock);
    expect(b.recordPullFailure('p').delayMs).toBe(10_000);
    expect(b.inBackoff('p')).toBe(true);
    clock.advance(10_000);
    expect(b.inBackoff('p')).toBe(false);
    expect(b.recordPullFailure('p').delayMs).toBe(20_000);
    b.forget('p');
    expect(b.get('p')).toBeUndefined();
  });
});
