import { beforeAll, describe, expect, it } from 'vitest';
import { EtcdClient, EtcdError, isCompacted, isFutureRevision, isLeaseNotFound, isUnavailable } from './index.js';
import { sharedEtcd } from './test-support/shared-etcd.js';

const shared = sharedEtcd();
let client: EtcdClient;
beforeAll(() => { client = shared.client(); });

describe('kv', () => {
  it('puts, gets and ranges with etcd metadata', async () => {
    const p1 = await client.put('/kv/a', 'one');
    const p2 = await client.put('/kv/a', 'two', { prevKv: true });
    expect(p2.header.revision).toBe(p1.header.revision + 1);
    expect(p2.prevKv?.value.toString()).toBe('one');
    const kv = await client.get('/kv/a');
    expect(kv).toMatchObject({ createRevision: p1.header.revision, modRevision: p2.header.revision, version: 2, lease: '0' });
    expect(kv?.value.toString()).toBe('two');
    expect(await client.get('/kv/a', { revision: p1.header.revision })).toMatchObject({ version: 1 });
    expect(await client.get('/kv/missing')).toBeUndefined();
  });

  it('ranges by prefix with limit, count and sort', async () => {
    for (const k of ['x', 'y', 'z']) await client.put(`/pfx/${k}`, k);
    await client.put('/pfy', 'outside');
    const all = await client.range('/pfx/', { prefix: true });
    expect(all.kvs.map((kv) => kv.key.toString())).toEqual(['/pfx/x', '/pfx/y', '/pfx/z']);
    const page = await client.range('/pfx/', { prefix: true, limit: 2 });
    expect(page).toMatchObject({ count: 3, more: true });
    expect(page.kvs).toHaveLength(2);
    const desc = await client.range('/pfx/', { prefix: true, sortOrder: 'DESCEND', sortTarget: 'KEY' });
    expect(desc.kvs[0].key.toString()).toBe('/pfx/z');
    const counted = await client.range('/pfx/', { prefix: true, countOnly: true });
    expect(counted).toMatchObject({ count: 3, kvs: [] });
    const keysOnly = await client.range('/pfx/', { prefix: true, keysOnly: true });
    expect(keysOnly.kvs[0].value.length).toBe(0);
  });

  it('deletes with prev_kvs; deleting nothing does not bump the revision', async () => {
    await client.put('/del/a', '1');
    await client.put('/del/b', '2');
    const d = await client.delete('/del/', { prefix: true, prevKv: true });
    expect(d.deleted).toBe(2);
    expect(d.prevKvs.map((kv) => kv.value.toString())).toEqual(['1', '2']);
    const none = await client.delete('/del/', { prefix: true });
    expect(none).toMatchObject({ deleted: 0, prevKvs: [] });
    expect(none.header.revision).toBe(d.header.revision);
  });

  it('runs transactions with compares and mixed ops', async () => {
    const put = await client.put('/txn/a', 'v1');
    const ok = await client.txn({
      compare: [{ key: '/txn/a', target: 'VALUE', result: 'EQUAL', value: 'v1' }],
      success: [{ put: { key: '/txn/b', value: 'vb' } }, { range: { key: '/txn/', prefix: true } }],
      failure: [],
    });
    expect(ok.succeeded).toBe(true);
    expect(ok.responses).toHaveLength(2);
    const second = ok.responses[1];
    expect('range' in second && second.range.kvs.map((kv) => kv.key.toString())).toEqual(['/txn/a', '/txn/b']);
    const no = await client.txn({
      compare: [{ key: '/txn/a', target: 'VERSION', result: 'GREATER', version: 5 }],
      success: [{ deleteRange: { key: '/txn/a' } }],
      failure: [{ range: { key: '/txn/a' } }],
    });
    expect(no.succeeded).toBe(false);
    const first = no.responses[0];
    expect('range' in first && first.range.kvs[0].modRevision).toBe(put.header.revision);
  });
});

describe('compare-and-swap helpers', () => {
  it('create succeeds once, then reports the current kv', async () => {
    const c1 = await client.create('/cas/a', 'first');
    expect(c1.ok).toBe(true);
    const c2 = await client.create('/cas/a', 'second');
    expect(c2.ok).toBe(false);
    if (!c2.ok) expect(c2.current?.value.toString()).toBe('first');
  });

  it('update swaps on matching mod_revision only', async () => {
    const c = await client.create('/cas/u', 'v1');
    if (!c.ok) throw new Error('create failed');
    const u1 = await client.update('/cas/u', 'v2', c.revision);
    expect(u1.ok).toBe(true);
    const stale = await client.update('/cas/u', 'v3', c.revision);
    expect(stale.ok).toBe(false);
    if (!stale.ok && u1.ok) expect(stale.current?.modRevision).toBe(u1.revision);
    await client.delete('/cas/u');
    const gone = await client.update('/cas/u', 'v4', c.revision);
    expect(gone).toEqual({ ok: false });
  });

  it('deleteIf deletes on match, reports mismatch and absence', async () => {
    const c = await client.create('/cas/d', 'v1');
    if (!c.ok) throw new Error('create failed');
    const wrong = await client.deleteIf('/cas/d', c.revision + 1000);
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.current?.modRevision).toBe(c.revision);
    const d = await client.deleteIf('/cas/d', c.revision);
    expect(d.ok).toBe(true);
    expect(d.ok && d.revision).toBeGreaterThan(c.revision);
    expect(d.prevKv?.value.toString()).toBe('v1');
    expect(await client.deleteIf('/cas/d', c.revision)).toEqual({ ok: false });
    expect(await client.deleteIf('/cas/d')).toEqual({ ok: false });
    await client.put('/cas/d', 'again');
    const any = await client.deleteIf('/cas/d');
    expect(any.ok).toBe(true);
  });
});

describe('errors', () => {
  it('compacted and future revisions are EtcdError code 11, told apart by predicates', async () => {
    const p = await client.put('/err/a', '1');
    await client.put('/err/a', '2');
    await client.compact(p.header.revision + 1);
    const compacted = await client.range('/err/a', { revision: p.header.revision }).catch((e: unknown) => e);
    expect(compacted).toBeInstanceOf(EtcdError);
    expect(compacted).toMatchObject({ grpcCode: 11, httpStatus: 400 });
    expect(isCompacted(compacted)).toBe(true);
    expect(isFutureRevision(compacted)).toBe(false);
    const future = await client.range('/err/a', { revision: p.header.revision + 10_000 }).catch((e: unknown) => e);
    expect(isFutureRevision(future)).toBe(true);
    expect(isCompacted(future)).toBe(false);
    const again = await client.compact(p.header.revision).catch((e: unknown) => e);
    expect(isCompacted(again)).toBe(true);
  });

  it('an unknown lease is NOT_FOUND (404, code 5)', async () => {
    const err = await client.put('/err/l', 'v', { lease: '12345' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ grpcCode: 5, httpStatus: 404 });
    expect(isLeaseNotFound(err)).toBe(true);
  });

  it('an empty key is INVALID_ARGUMENT', async () => {
    const err = await client.put('', 'v').catch((e: unknown) => e);
    expect(err).toMatchObject({ grpcCode: 3, httpStatus: 400, etcdMessage: 'etcdserver: key is not provided' });
  });

  it('an unreachable endpoint is an unavailable EtcdError; a second endpoint is used instead', async () => {
    const dead = 'http://127.0.0.1:1';
    const lonely = new EtcdClient({ endpoints: [dead], requestTimeoutMs: 2_000 });
    const err = await lonely.status().catch((e: unknown) => e);
    expect(isUnavailable(err)).toBe(true);
    expect(err).toMatchObject({ grpcCode: 14, httpStatus: 0 });
    await lonely.close();
    const failover = new EtcdClient({ endpoints: [dead, shared.etcd().url], tls: shared.etcd().tls });
    expect((await failover.status()).version).toMatch(/^3\./);
    await failover.close();
  });
});

describe('status', () => {
  it('reports version, leader and db size', async () => {
    const s = await client.status();
    expect(s.version).toMatch(/^3\.4\./);
    expect(s.dbSize).toBeGreaterThan(0);
    expect(s.leader).toBe(s.header.memberId);
    expect(s.header.revision).toBeGreaterThan(0);
  });
});
