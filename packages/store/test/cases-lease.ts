// Conformance cases: /v3/lease/* — grant, list, time-to-live, keep-alive, revoke, expiry.
import { expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import type { CaseContext } from './context.js';
import { DEL, H, KV } from './normalize.js';
import { b64, ok, openWatch, post, type Json, type JsonObject } from './wire.js';

const LEASE_NOT_FOUND = { error: 'etcdserver: requested lease not found', message: 'etcdserver: requested lease not found', code: 5 };

export function leaseCases(c: CaseContext): void {
  it('lease: grant (chosen and server-picked IDs), list, time-to-live with keys, keep-alive', async () => {
    expect(await c.call('/v3/lease/grant', { TTL: '60', ID: '4242' })).toEqual({ status: 200, body: { header: H(0), ID: 'L1', TTL: '60' } });
    const picked = await ok(c.url(), '/v3/lease/grant', { TTL: '60' });
    expect(picked.ID).toMatch(/^[1-9]\d*$/);
    expect(c.n.norm(picked)).toEqual({ header: H(0), ID: 'L2', TTL: '60' });
    expect(await c.call('/v3/lease/grant', { TTL: '60', ID: '4242' })).toEqual({
      status: 412, body: { error: 'etcdserver: lease already exists', message: 'etcdserver: lease already exists', code: 9 },
    });
    await c.call('/v3/kv/put', { key: b64('/l1/a'), value: b64('v'), lease: '4242' });
    expect((await c.call('/v3/kv/range', { key: b64('/l1/a') })).body).toEqual({ header: H(1), kvs: [KV('/l1/a', 'v', 1, 1, 1, 'L1')], count: '1' });

    const ttl = (await c.call('/v3/lease/timetolive', { ID: '4242', keys: true })).body as JsonObject;
    expect(Number(ttl.TTL)).toBeGreaterThanOrEqual(55);
    expect(Number(ttl.TTL)).toBeLessThanOrEqual(60);
    expect({ ...ttl, TTL: 'remaining' }).toEqual({ header: H(1), ID: 'L1', TTL: 'remaining', grantedTTL: '60', keys: [b64('/l1/a')] });
    expect((await c.call('/v3/lease/timetolive', { ID: String(picked.ID) })).body).toMatchObject({ header: H(1), ID: 'L2', grantedTTL: '60' });

    const ka = await post(c.url(), '/v3/lease/keepalive', { ID: '4242' });
    expect(ka.status).toBe(200);
    expect(ka.text.endsWith('\n')).toBe(true);
    expect(c.n.norm(ka.body)).toEqual({ result: { header: H(1), ID: 'L1', TTL: '60' } });

    const list = (await c.call('/v3/lease/leases', {})).body as { header: Json; leases: Json[] };
    expect(list.header).toEqual(H(1));
    expect(list.leases).toEqual(expect.arrayContaining([{ ID: 'L1' }, { ID: 'L2' }]));
    for (const id of ['4242', String(picked.ID)]) expect(await c.call('/v3/lease/revoke', { ID: id })).toMatchObject({ status: 200 });
  });

  it('lease: revoke deletes attached keys in one revision, with DELETE events; a gone lease answers as etcd does', async () => {
    await c.call('/v3/lease/grant', { TTL: '60', ID: '777' });
    await c.call('/v3/kv/put', { key: b64('/l2/b'), value: b64('b'), lease: '777' });
    await c.call('/v3/kv/put', { key: b64('/l2/a'), value: b64('a'), lease: '777' });
    await c.call('/v3/kv/put', { key: b64('/l2/c'), value: b64('c') });
    const w = openWatch(c.url(), { create_request: { key: b64('/l2/'), range_end: b64('/l20'), start_revision: c.n.abs(4) } });
    try {
      await waitFor(() => w.lines.length >= 1, { what: 'watch created' });
      expect(await c.call('/v3/lease/revoke', { ID: '777' })).toEqual({ status: 200, body: { header: H(4) } });
      await waitFor(() => w.lines.length >= 2, { what: 'revoke DELETE events' });
      expect(c.n.norm(w.lines[1])).toEqual({
        result: { header: H(4), events: [{ type: 'DELETE', kv: DEL('/l2/a', 4) }, { type: 'DELETE', kv: DEL('/l2/b', 4) }] },
      });
    } finally {
      w.close();
      await w.done;
    }
    expect((await c.call('/v3/kv/range', { key: b64('/l2/'), range_end: b64('/l20') })).body).toEqual({
      header: H(4), kvs: [KV('/l2/c', 'c', 3, 3, 1)], count: '1',
    });
    expect(await c.call('/v3/lease/revoke', { ID: '777' })).toEqual({ status: 404, body: LEASE_NOT_FOUND });
    expect(await c.call('/v3/lease/timetolive', { ID: '777' })).toEqual({ status: 200, body: { header: H(4), ID: 'L1', TTL: '-1' } });
    const ka = await post(c.url(), '/v3/lease/keepalive', { ID: '777' });
    expect({ status: ka.status, body: c.n.norm(ka.body) }).toEqual({ status: 200, body: { result: { header: H(4), ID: 'L1' } } });
  });

  it('lease: expiry deletes attached keys and emits DELETE events', async () => {
    const g = await ok(c.url(), '/v3/lease/grant', { TTL: '2' });
    expect(c.n.norm(g)).toEqual({ header: H(0), ID: 'L1', TTL: '2' });
    await c.call('/v3/kv/put', { key: b64('/l3/a'), value: b64('v'), lease: String(g.ID) });
    const w = openWatch(c.url(), { create_request: { key: b64('/l3/a'), start_revision: c.n.abs(1) } });
    try {
      await waitFor(() => w.lines.length >= 3, { what: 'DELETE event on lease expiry', timeoutMs: 15_000 });
      expect(w.lines.map((l) => c.n.norm(l))).toEqual([
        { result: { header: H(1), created: true } },
        { result: { header: H(1), events: [{ kv: KV('/l3/a', 'v', 1, 1, 1, 'L1') }] } },
        { result: { header: H(2), events: [{ type: 'DELETE', kv: DEL('/l3/a', 2) }] } },
      ]);
    } finally {
      w.close();
      await w.done;
    }
    expect((await c.call('/v3/kv/range', { key: b64('/l3/a') })).body).toEqual({ header: H(2) });
    expect((await c.call('/v3/lease/timetolive', { ID: String(g.ID) })).body).toEqual({ header: H(2), ID: 'L1', TTL: '-1' });
  });

  it("lease: a TTL below etcd's minimum is raised to 2 seconds", async () => {
    for (const ttl of ['1', '0', '-5']) {
      const g = await ok(c.url(), '/v3/lease/grant', { TTL: ttl });
      expect(g.TTL).toBe('2');
      await ok(c.url(), '/v3/lease/revoke', { ID: String(g.ID) });
    }
  });

  it('lease: putting with an unknown lease is 404 NOT_FOUND and writes nothing', async () => {
    expect(await c.call('/v3/kv/put', { key: b64('/l4/a'), value: b64('v'), lease: '123456' })).toEqual({ status: 404, body: LEASE_NOT_FOUND });
    expect((await c.call('/v3/kv/range', { key: b64('/l4/a') })).body).toEqual({ header: H(0) });
  });
}
