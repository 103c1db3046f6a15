// Conformance cases: less common corners of range/txn/watch/lease that a re-implementation easily gets wrong.
import { expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import type { CaseContext } from './context.js';
import { DEL, H, KV } from './normalize.js';
import { b64, openWatch, type Json, type WireWatch } from './wire.js';

async function closeWatch(w: WireWatch): Promise<void> {
  w.close();
  await w.done;
}

export function edgeCases(c: CaseContext): void {
  it('edge: historical range with limit keeps count/more of that revision; sort by VERSION/CREATE/VALUE', async () => {
    await c.call('/v3/kv/put', { key: b64('/e1/a'), value: b64('z') });
    await c.call('/v3/kv/put', { key: b64('/e1/b'), value: b64('y') });
    await c.call('/v3/kv/put', { key: b64('/e1/b'), value: b64('x') });
    await c.call('/v3/kv/put', { key: b64('/e1/c'), value: b64('w') });
    await c.call('/v3/kv/deleterange', { key: b64('/e1/a') });
    const r = { key: b64('/e1/'), range_end: b64('/e10') };
    expect((await c.call('/v3/kv/range', { ...r, revision: c.n.abs(3), limit: '1' })).body).toEqual({
      header: H(5), kvs: [KV('/e1/a', 'z', 1, 1, 1)], more: true, count: '2',
    });
    expect((await c.call('/v3/kv/range', { ...r, sort_order: 'DESCEND', sort_target: 'VERSION' })).body).toEqual({
      header: H(5), kvs: [KV('/e1/b', 'x', 2, 3, 2), KV('/e1/c', 'w', 4, 4, 1)], count: '2',
    });
    expect((await c.call('/v3/kv/range', { ...r, sort_order: 'DESCEND', sort_target: 'CREATE' })).body).toEqual({
      header: H(5), kvs: [KV('/e1/c', 'w', 4, 4, 1), KV('/e1/b', 'x', 2, 3, 2)], count: '2',
    });
    expect((await c.call('/v3/kv/range', { ...r, sort_order: 'ASCEND', sort_target: 'VALUE' })).body).toEqual({
      header: H(5), kvs: [KV('/e1/c', 'w', 4, 4, 1), KV('/e1/b', 'x', 2, 3, 2)], count: '2',
    });
    expect((await c.call('/v3/kv/range', { ...r, count_only: true, keys_only: true, revision: c.n.abs(4) })).body).toEqual({ header: H(5), count: '3' });
  });

  it('edge: a put without lease detaches the key from its lease; revoke then leaves it alone', async () => {
    await c.call('/v3/lease/grant', { TTL: '60', ID: '9001' });
    await c.call('/v3/kv/put', { key: b64('/e2/a'), value: b64('1'), lease: '9001' });
    await c.call('/v3/kv/put', { key: b64('/e2/a'), value: b64('2'), prev_kv: true });
    expect((await c.call('/v3/lease/timetolive', { ID: '9001', keys: true })).body).toMatchObject({ ID: 'L1', grantedTTL: '60' });
    expect(((await c.call('/v3/lease/timetolive', { ID: '9001', keys: true })).body as { keys?: Json }).keys).toBeUndefined();
    expect(await c.call('/v3/lease/revoke', { ID: '9001' })).toEqual({ status: 200, body: { header: H(2) } });
    expect((await c.call('/v3/kv/range', { key: b64('/e2/a') })).body).toEqual({ header: H(2), kvs: [KV('/e2/a', '2', 1, 2, 2)], count: '1' });
  });

  it('edge: nested request_txn', async () => {
    await c.call('/v3/kv/put', { key: b64('/e3/a'), value: b64('1') });
    const r = await c.call('/v3/kv/txn', {
      success: [{
        request_txn: {
          compare: [{ key: b64('/e3/a'), result: 'EQUAL', target: 'VALUE', value: b64('1') }],
          success: [{ request_put: { key: b64('/e3/b'), value: b64('2') } }],
        },
      }],
    });
    expect(r).toEqual({
      status: 200,
      body: { header: H(2), succeeded: true, responses: [{ response_txn: { header: {}, succeeded: true, responses: [{ response_put: { header: { revision: '@2' } } }] } }] },
    });
  });

  it('edge: a watch from exactly the compacted revision is allowed (without prev_kv); only keys in range are delivered from a txn', async () => {
    await c.call('/v3/kv/put', { key: b64('/e4/a'), value: b64('1') });
    await c.call('/v3/kv/txn', { success: [{ request_put: { key: b64('/e4/a'), value: b64('2') } }, { request_put: { key: b64('/e4x'), value: b64('x') } }] });
    await c.call('/v3/kv/compaction', { revision: c.n.abs(2), physical: true });
    const w = openWatch(c.url(), { create_request: { key: b64('/e4/'), range_end: b64('/e40'), start_revision: c.n.abs(2), prev_kv: true } });
    try {
      await waitFor(() => w.lines.length >= 2 || w.ended(), { what: 'replay from the compacted revision' });
      expect(w.lines.map((l) => c.n.norm(l))).toEqual([
        { result: { header: H(2), created: true } },
        // No prev_kv: the revision before the compaction point is gone, so etcd leaves it out (no error).
        { result: { header: H(2), events: [{ kv: KV('/e4/a', '2', 1, 2, 2) }] } },
      ]);
    } finally {
      await closeWatch(w);
    }
  });

  it('edge: several watchers on one key all get every event; DELETE from lease expiry carries prev_kv', async () => {
    const g = (await c.call('/v3/lease/grant', { TTL: '2', ID: '9002' })).body;
    expect(g).toEqual({ header: H(0), ID: 'L1', TTL: '2' });
    const watchers = [0, 1, 2].map(() => openWatch(c.url(), { create_request: { key: b64('/e5/a'), start_revision: c.n.abs(1), prev_kv: true } }));
    try {
      await c.call('/v3/kv/put', { key: b64('/e5/a'), value: b64('v'), lease: '9002' });
      await waitFor(() => watchers.every((w) => w.lines.length >= 3), { what: 'expiry event on every watcher', timeoutMs: 15_000 });
      for (const w of watchers) {
        expect(w.lines.slice(1).map((l) => c.n.norm(l))).toEqual([
          { result: { header: H(1), events: [{ kv: KV('/e5/a', 'v', 1, 1, 1, 'L1') }] } },
          { result: { header: H(2), events: [{ type: 'DELETE', kv: DEL('/e5/a', 2), prev_kv: KV('/e5/a', 'v', 1, 1, 1, 'L1') }] } },
        ]);
      }
    } finally {
      await Promise.all(watchers.map(closeWatch));
    }
  });
}
