import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';
import { putReq, deleteReq, RecordingSink, tmpDir } from './testutil.js';
import type { WatchSpec } from './watch.js';

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function openStore(): Promise<Store> {
  const dataDir = tmpDir();
  dirs.push(dataDir);
  const s = await Store.open({ dataDir, leaseCheckIntervalMs: 0, walSegmentBytes: 1 << 20 });
  stores.push(s);
  return s;
}

const spec = (over: Partial<WatchSpec> = {}): WatchSpec => ({
  key: Buffer.from('k'),
  end: Buffer.from('l'),
  startRev: 0,
  prevKv: false,
  noPut: false,
  noDelete: false,
  progressNotify: false,
  id: 0n,
  ...over,
});

describe('watch', () => {
  it('sends created first, then one batch per revision with header revision', async () => {
    const s = await openStore();
    const sink = new RecordingSink();
    s.watch(spec({ id: 7n }), sink);
    await s.put(putReq('k1', 'a'));
    await s.put(putReq('other', 'x'));
    await s.deleteRange(deleteReq('k1'));
    expect(sink.lines[0].result).toMatchObject({ created: true, watch_id: '7' });
    expect(sink.lines.slice(1).map((l) => (l.result.header as { revision: string }).revision)).toEqual(['2', '4']);
    expect(sink.events()).toEqual(['PUT k1@2', 'DELETE k1@4']);
  });

  it('replays history from start_revision before live events, without gaps or duplicates', async () => {
    const s = await openStore();
    for (let i = 0; i < 5; i++) await s.put(putReq(`k${i}`, 'v'));
    const sink = new RecordingSink();
    s.watch(spec({ startRev: 3 }), sink);
    await s.put(putReq('k9', 'live'));
    expect(sink.events()).toEqual(['PUT k1@3', 'PUT k2@4', 'PUT k3@5', 'PUT k4@6', 'PUT k9@7']);
  });

  it('includes prev_kv (except for creations) and honours filters', async () => {
    const s = await openStore();
    const withPrev = new RecordingSink();
    const noPut = new RecordingSink();
    s.watch(spec({ prevKv: true }), withPrev);
    s.watch(spec({ noPut: true }), noPut);
    await s.put(putReq('k', '1'));
    await s.put(putReq('k', '2'));
    await s.deleteRange(deleteReq('k'));
    const evs = withPrev.lines.slice(1).map((l) => (l.result.events as { prev_kv?: { value: string } }[])[0]);
    expect(evs.map((e) => e.prev_kv?.value)).toEqual([undefined, Buffer.from('1').toString('base64'), Buffer.from('2').toString('base64')]);
    expect(noPut.events()).toEqual(['DELETE k@4']);
    expect(noPut.lines).toHaveLength(2); // created + the delete: filtered batches are not sent
  });

  it('a slow watcher does not block writers and catches up from history when drained', async () => {
    const s = await openStore();
    const slow = new RecordingSink();
    const fast = new RecordingSink();
    const w = s.watch(spec(), slow);
    s.watch(spec(), fast);
    slow.full = true; // its socket stops accepting data
    await s.put(putReq('k1', 'a')); // accepted into the (now full) buffer
    for (let i = 2; i <= 30; i++) await s.put(putReq(`k${i}`, 'a'));
    expect(fast.events()).toHaveLength(30);
    expect(slow.events()).toEqual(['PUT k1@2']);
    expect(w.synced).toBe(false);
    slow.full = false;
    s.hub.drained(w);
    expect(w.synced).toBe(true);
    await s.put(putReq('k99', 'live'));
    const got = slow.events();
    expect(got).toHaveLength(31);
    expect(new Set(got).size).toBe(31);
    expect(got).toEqual(fast.events());
  });

  it('cancels a watcher whose start revision was compacted', async () => {
    const s = await openStore();
    for (let i = 0; i < 5; i++) await s.put(putReq('k', `${i}`));
    await s.compact(4);
    const sink = new RecordingSink();
    const w = s.watch(spec({ startRev: 2, id: 3n }), sink);
    expect(sink.lines[1].result).toMatchObject({ canceled: true, compact_revision: '4', watch_id: '3' });
    expect((sink.lines[1].result.header as { revision?: string }).revision).toBeUndefined();
    expect(sink.ended).toBe(true);
    expect(w.closed).toBe(true);
    // from the compacted revision itself is still fine
    const ok = new RecordingSink();
    s.watch(spec({ startRev: 4 }), ok);
    expect(ok.events()).toEqual(['PUT k@4', 'PUT k@5', 'PUT k@6']);
  });

  it('cancels a parked watcher if history it needs is compacted meanwhile', async () => {
    const s = await openStore();
    const slow = new RecordingSink();
    const w = s.watch(spec(), slow);
    slow.full = true;
    await s.put(putReq('k', '1'));
    await s.put(putReq('k', '2'));
    await s.put(putReq('k', '3'));
    await s.compact(4);
    slow.full = false;
    s.hub.drained(w);
    expect(slow.lines.at(-1)?.result).toMatchObject({ canceled: true, compact_revision: '4' });
  });

  it('sends progress notifications to synced progress_notify watchers', async () => {
    const s = await openStore();
    const sink = new RecordingSink();
    s.watch(spec({ progressNotify: true }), sink);
    await s.put(putReq('zzz', 'not watched'));
    s.hub.progress();
    const last = sink.lines.at(-1)?.result;
    expect(last?.events).toBeUndefined();
    expect((last?.header as { revision: string }).revision).toBe('2');
  });
});
