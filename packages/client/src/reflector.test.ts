import { FakeClock } from '@tinykube/testkit';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@tinykube/api';
import { runReflector, type ListerWatcher } from './reflector.js';
import type { ObjectLike, WatchEvent } from './types.js';

const obj = (name: string, rv: string): ObjectLike => ({ metadata: { name, resourceVersion: rv } });
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('runReflector', () => {
  it('backs off exponentially on list failures, then lists and watches from the list version', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const calls: string[] = [];
    let listFailures = 2;
    const lw: ListerWatcher<ObjectLike> = {
      async list() {
        calls.push('list');
        if (listFailures-- > 0) throw new Error('connection refused');
        return { metadata: { resourceVersion: '7' }, items: [obj('a', '5')] };
      },
      async *watch(rv, signal) {
        calls.push(`watch@${rv}`);
        yield { type: 'MODIFIED', object: obj('a', '8') } as WatchEvent;
        await new Promise((r) => signal.addEventListener('abort', r));
      },
    };
    const seen: string[] = [];
    const done = runReflector(lw, { replace: (items, rv) => seen.push(`replace:${items.length}@${rv}`), apply: (e) => seen.push(`${e.type}@${e.object.metadata?.resourceVersion}`) },
      { clock, logger: pino({ level: 'silent' }), backoff: { initialMs: 100, jitter: 0 } }, ac.signal);
    await tick();
    expect(clock.nextDueIn()).toBe(100);
    clock.advance(100);
    await tick();
    expect(clock.nextDueIn()).toBe(200);
    clock.advance(200);
    for (let i = 0; i < 5 && seen.length < 2; i++) await tick();
    expect(calls).toEqual(['list', 'list', 'list', 'watch@7']);
    expect(seen).toEqual(['replace:1@7', 'MODIFIED@8']);
    ac.abort();
    await done;
  });

  it('relists at once (no backoff) when the watch says 410', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const calls: string[] = [];
    let lists = 0;
    const lw: ListerWatcher<ObjectLike> = {
      async list() {
        calls.push('list');
        return { metadata: { resourceVersion: String(++lists * 10) }, items: [] };
      },
      async *watch(rv, signal) {
        calls.push(`watch@${rv}`);
        if (rv === '10') throw new ApiError({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old' });
        await new Promise((r) => signal.addEventListener('abort', r));
      },
    };
    const done = runReflector(lw, { replace: () => {}, apply: () => {} }, { clock, logger: pino({ level: 'silent' }) }, ac.signal);
    for (let i = 0; i < 10 && calls.length < 4; i++) await tick();
    expect(calls).toEqual(['list', 'watch@10', 'list', 'watch@20']);
    expect(clock.pending()).toBe(0);
    ac.abort();
    await done;
  });
});
