import { describe, expect, it } from 'vitest';
import { AutoCompactor, autoCompactionConfig, parseRetention, type Compactable } from './compaction.js';
import { FakeClock } from './testutil.js';

class FakeStore implements Compactable {
  compacted: number[] = [];
  constructor(public durableRev: number, public compactRev = -1) {}
  async compact(rev: number): Promise<void> {
    this.compacted.push(rev);
    this.compactRev = rev;
  }
}

describe('auto compaction', () => {
  it('parses etcd flag values', () => {
    expect(parseRetention('5m')).toBe(300_000);
    expect(parseRetention('1h30m')).toBe(5_400_000);
    expect(parseRetention('2')).toBe(7_200_000); // a bare number is hours in periodic mode
    expect(() => parseRetention('5x')).toThrow();
    expect(autoCompactionConfig('revision', '1000')).toEqual({ mode: 'revision', retention: 1000 });
    expect(autoCompactionConfig('periodic', '0')).toBeUndefined();
    expect(() => autoCompactionConfig('weekly', '1')).toThrow(/mode/);
  });

  it('revision mode keeps the last N revisions', async () => {
    const ac = new AutoCompactor({ mode: 'revision', retention: 10 }, new FakeClock());
    const s = new FakeStore(5);
    expect(await ac.tick(s)).toBeUndefined();
    s.durableRev = 50;
    expect(await ac.tick(s)).toBe(40);
    expect(await ac.tick(s)).toBeUndefined(); // nothing new to drop
  });

  it('periodic mode compacts to the newest revision at least T old', async () => {
    const clock = new FakeClock();
    const ac = new AutoCompactor({ mode: 'periodic', retentionMs: 60_000 }, clock);
    const s = new FakeStore(10);
    expect(await ac.tick(s)).toBeUndefined(); // sample (t0, 10)
    clock.advance(30_000);
    s.durableRev = 20;
    expect(await ac.tick(s)).toBeUndefined(); // (t0+30s, 20): nothing is a minute old yet
    clock.advance(31_000);
    s.durableRev = 30;
    expect(await ac.tick(s)).toBe(10);
    clock.advance(30_000);
    expect(await ac.tick(s)).toBe(20);
  });
});
