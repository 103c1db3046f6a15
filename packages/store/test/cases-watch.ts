// Conformance cases: /v3/watch — created line, live batches, prev_kv, filters, replay from an old revision,
// compacted start revision, future start revision, progress requests, malformed bodies.
import { expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import type { CaseContext } from './context.js';
import { exempt } from './exceptions.js';
import { DEL, H, KV } from './normalize.js';
import { b64, openWatch, post, type Json, type JsonObject, type WireWatch } from './wire.js';

/** Waits until the watch has at least `count` lines, then returns them normalised. */
async function linesOf(c: CaseContext, w: WireWatch, count: number, what: string): Promise<Json[]> {
  await waitFor(() => w.lines.length >= count || w.ended(), { what: `${what}: ${count} watch lines`, timeoutMs: 15_000 });
  return w.lines.map((l) => c.n.norm(l) ?? null);
}

async function withWatch<T>(c: CaseContext, body: JsonObject | string, fn: (w: WireWatch) => Promise<T>): Promise<T> {
  const w = openWatch(c.url(), body);
  try {
    return await fn(w);
  } finally {
    w.close();
    await w.done;
  }
}

const created = (rev: number): Json => ({ result: { header: H(rev), created: true } });

export function watchCases(c: CaseContext): void {
  it('watch: created line, then live events one revision per line (prev_kv, delete, txn)', async () => {
    await withWatch(c, { create_request: { key: b64('/w1/'), range_end: b64('/w10'), prev_kv: true } }, async (w) => {
      expect(await linesOf(c, w, 1, 'created')).toEqual([created(0)]);
      const put = (k: string, v: string) => c.call('/v3/kv/put', { key: b64(k), value: b64(v) });
      await put('/w1/a', 'v1');
      await put('/w1/a', 'v2');
      await c.call('/v3/kv/deleterange', { key: b64('/w1/a') });
      await c.call('/v3/kv/txn', { success: [{ request_put: { key: b64('/w1/b'), value: b64('b') } }, { request_put: { key: b64('/w1/c'), value: b64('c') } }] });
      await put('/w2', 'outside the range');
      await put('/w1/d', 'd');
      expect(w.status()).toBe(200);
      expect(await linesOf(c, w, 6, 'live events')).toEqual([
        created(0),
        { result: { header: H(1), events: [{ kv: KV('/w1/a', 'v1', 1, 1, 1) }] } },
        { result: { header: H(2), events: [{ kv: KV('/w1/a', 'v2', 1, 2, 2), prev_kv: KV('/w1/a', 'v1', 1, 1, 1) }] } },
        { result: { header: H(3), events: [{ type: 'DELETE', kv: DEL('/w1/a', 3), prev_kv: KV('/w1/a', 'v2', 1, 2, 2) }] } },
        { result: { header: H(4), events: [{ kv: KV('/w1/b', 'b', 4, 4, 1) }, { kv: KV('/w1/c', 'c', 4, 4, 1) }] } },
        { result: { header: H(6), events: [{ kv: KV('/w1/d', 'd', 6, 6, 1) }] } },
      ]);
    });
  });

  it('watch: replays history from an old revision', async () => {
    await c.call('/v3/kv/put', { key: b64('/w3/a'), value: b64('1') });
    await c.call('/v3/kv/put', { key: b64('/w3/a'), value: b64('2') });
    await c.call('/v3/kv/deleterange', { key: b64('/w3/a') });
    await c.call('/v3/kv/txn', { success: [{ request_put: { key: b64('/w3/b'), value: b64('b') } }, { request_put: { key: b64('/w3/c'), value: b64('c') } }] });
    await withWatch(c, { create_request: { key: b64('/w3/'), range_end: b64('/w30'), start_revision: c.n.abs(1), prev_kv: true } }, async (w) => {
      const expected = [
        { kv: KV('/w3/a', '1', 1, 1, 1) },
        { kv: KV('/w3/a', '2', 1, 2, 2), prev_kv: KV('/w3/a', '1', 1, 1, 1) },
        { type: 'DELETE', kv: DEL('/w3/a', 3), prev_kv: KV('/w3/a', '2', 1, 2, 2) },
        { kv: KV('/w3/b', 'b', 4, 4, 1) },
        { kv: KV('/w3/c', 'c', 4, 4, 1) },
      ];
      const events = () => w.lines.slice(1).flatMap((l) => ((l as { result?: { events?: Json[] } }).result?.events ?? []));
      await waitFor(() => events().length >= expected.length || w.ended(), { what: 'replayed events', timeoutMs: 15_000 });
      const lines = w.lines.map((l) => c.n.norm(l) as { result: { header: JsonObject; events?: JsonObject[]; created?: boolean } });
      expect(lines[0]).toEqual(created(4));
      exempt('watch: replays history from an old revision', 'how replayed events are split into answer lines');
      expect(lines.slice(1).flatMap((l) => l.result.events ?? [])).toEqual(expected);
      // No revision is split across two lines.
      const lineOfRev = new Map<string, number>();
      lines.slice(1).forEach((l, i) => {
        for (const e of l.result.events ?? []) {
          const rev = String((e.kv as JsonObject).mod_revision);
          expect(lineOfRev.get(rev) ?? i).toBe(i);
          lineOfRev.set(rev, i);
        }
      });
      // Then live events follow on the same stream.
      await c.call('/v3/kv/put', { key: b64('/w3/d'), value: b64('d') });
      await waitFor(() => events().length >= expected.length + 1, { what: 'live event after replay' });
      expect(c.n.norm(w.lines[w.lines.length - 1])).toEqual({ result: { header: H(5), events: [{ kv: KV('/w3/d', 'd', 5, 5, 1) }] } });
    });
  });

  it('watch: NOPUT and NODELETE filters', async () => {
    const body = (filter: string) => ({ create_request: { key: b64('/w4/a'), start_revision: c.n.abs(1), filters: [filter] } });
    await c.call('/v3/kv/put', { key: b64('/w4/a'), value: b64('1') });
    await c.call('/v3/kv/deleterange', { key: b64('/w4/a') });
    await c.call('/v3/kv/put', { key: b64('/w4/a'), value: b64('2') });
    await withWatch(c, body('NOPUT'), async (w) => {
      const lines = await linesOf(c, w, 2, 'NOPUT');
      expect(lines).toEqual([created(3), { result: { header: H(3), events: [{ type: 'DELETE', kv: DEL('/w4/a', 2) }] } }]);
    });
    await withWatch(c, body('NODELETE'), async (w) => {
      const events = () => w.lines.slice(1).flatMap((l) => ((l as { result?: { events?: Json[] } }).result?.events ?? []));
      await waitFor(() => events().length >= 2, { what: 'NODELETE events' });
      expect(events().map((e) => c.n.norm(e))).toEqual([{ kv: KV('/w4/a', '1', 1, 1, 1) }, { kv: KV('/w4/a', '2', 3, 3, 1) }]);
    });
  });

  it('watch: compacted start revision is canceled with compact_revision', async () => {
    await c.call('/v3/kv/put', { key: b64('/w5/a'), value: b64('1') });
    await c.call('/v3/kv/put', { key: b64('/w5/a'), value: b64('2') });
    await c.call('/v3/kv/compaction', { revision: c.n.abs(2) });
    await withWatch(c, { create_request: { key: b64('/w5/a'), start_revision: c.n.abs(1) } }, async (w) => {
      const lines = await linesOf(c, w, 2, 'canceled');
      expect(lines).toEqual([
        created(2),
        // etcd's canceled answer carries no revision in its header.
        { result: { header: { cluster_id: '<id>', member_id: '<id>', raft_term: '<id>' }, canceled: true, compact_revision: '@2' } },
      ]);
      exempt('watch: compacted start revision is canceled with compact_revision', 'whether the HTTP response ends after the canceled line');
    });
  });

  it('watch: a future start revision waits for that revision', async () => {
    await withWatch(c, { create_request: { key: b64('/w6/a'), start_revision: c.n.abs(3) } }, async (w) => {
      expect(await linesOf(c, w, 1, 'created')).toEqual([created(0)]);
      for (const v of ['1', '2', '3']) await c.call('/v3/kv/put', { key: b64('/w6/a'), value: b64(v) });
      expect(await linesOf(c, w, 2, 'event at the start revision')).toEqual([
        created(0),
        { result: { header: H(3), events: [{ kv: KV('/w6/a', '3', 1, 3, 3) }] } },
      ]);
    });
  });

  it('watch: a progress request in the body answers the current revision with watch_id -1', async () => {
    await c.call('/v3/kv/put', { key: b64('/w7/other'), value: b64('x') });
    const body = `${JSON.stringify({ create_request: { key: b64('/w7/a') } })}\n${JSON.stringify({ progress_request: {} })}\n`;
    await withWatch(c, body, async (w) => {
      expect(await linesOf(c, w, 2, 'progress')).toEqual([created(1), { result: { header: H(1), watch_id: '-1' } }]);
    });
  });

  it("watch: malformed watch bodies are 500 with code 2 (the 3.4 gateway's stream error)", async () => {
    const cases: [string, string][] = [
      ['{bad', "invalid character 'b' looking for beginning of object key string"],
      [JSON.stringify({ create_request: { key: '!!' } }), 'illegal base64 data at input byte 0'],
    ];
    for (const [body, message] of cases) {
      const r = await post(c.url(), '/v3/watch', body);
      expect({ status: r.status, body: r.body }, body).toEqual({ status: 500, body: { error: message, message, code: 2 } });
    }
  });
}
