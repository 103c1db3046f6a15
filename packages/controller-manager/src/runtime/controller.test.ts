import { FakeClock, WorkQueue } from '@tinykube/client';
import { waitFor } from '@tinykube/testkit';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { internal } from '@tinykube/api';
import type { SyncResult } from '../core/ports.js';
import { runWorker, type Controller } from './controller.js';
import { ControllerMetrics } from './metrics.js';

describe('runWorker', () => {
  it('syncs keys, honours requeueAfter, retries failures with backoff and stops on abort', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock });
    const calls: string[] = [];
    const results: Record<string, () => SyncResult> = {
      ok: () => ({}),
      later: () => ({ requeueAfterMs: 5_000 }),
      bad: () => { throw internal('boom'); },
    };
    const c: Controller = { name: 't', queue, workers: 1, sync: async (k) => { calls.push(k); return results[k](); } };
    const metrics = new ControllerMetrics(false);
    const ac = new AbortController();
    const done = runWorker(c, ac.signal, pino({ level: 'silent' }), metrics);
    for (const k of ['ok', 'later', 'bad']) queue.add(k);
    await waitFor(() => calls.length === 3, { timeoutMs: 5_000, what: 'three syncs' });
    expect(calls).toEqual(['ok', 'later', 'bad']);
    clock.advance(5_000); // 'later' comes back; 'bad' came back after its first backoff (5 ms)
    await waitFor(() => calls.filter((k) => k === 'later').length === 2, { timeoutMs: 5_000, what: 'requeued sync' });
    expect(calls.filter((k) => k === 'bad').length).toBeGreaterThanOrEqual(2);
    expect(queue.numRequeues('ok')).toBe(0);
    expect(queue.numRequeues('bad')).toBeGreaterThanOrEqual(1);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/controller_sync_total\{controller="t",result="error"\} [1-9]/);
    ac.abort();
    await expect(done).resolves.toBeUndefined();
  });
});
