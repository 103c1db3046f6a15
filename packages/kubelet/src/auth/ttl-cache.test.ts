import { FakeClock } from '@tinykube/testkit';
import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('forgets entries when their ttl is over, and the oldest when full', () => {
    const clock = new FakeClock();
    const c = new TtlCache<number>({ clock, maxEntries: 2 });
    c.set('a', 1, 1000);
    c.set('b', 2, 5000);
    c.set('zero', 0, 0);
    expect(c.get('zero')).toBeUndefined();
    clock.advance(999);
    expect(c.get('a')).toBe(1);
    clock.advance(1);
    expect(c.get('a')).toBeUndefined();
    c.set('c', 3, 5000);
    c.set('d', 4, 5000);
    expect([c.get('b'), c.get('c'), c.get('d'), c.size]).toEqual([undefined, 3, 4, 2]);
  });

  it('computes a missing value once for concurrent callers, and stores nothing for a failure', async () => {
    const c = new TtlCache<string>({ clock: new FakeClock() });
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const compute = async () => { calls++; await gate; return { value: 'v', ttlMs: 1000 }; };
    const both = Promise.all([c.getOrCompute('k', compute), c.getOrCompute('k', compute)]);
    release();
    expect(await both).toEqual(['v', 'v']);
    expect(await c.getOrCompute('k', compute)).toBe('v');
    expect(calls).toBe(1);
    await expect(c.getOrCompute('x', async () => { throw new Error('down'); })).rejects.toThrow('down');
    expect(await c.getOrCompute('x', async () => ({ value: 'up', ttlMs: 1000 }))).toBe('up');
  });
});
