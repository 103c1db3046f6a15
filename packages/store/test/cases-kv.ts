// Conformance cases: range, put, deleterange, txn, compaction.
import { expect, it } from 'vitest';
import type { CaseContext } from './context.js';
import { H, KV } from './normalize.js';
import { b64, type JsonObject } from './wire.js';

export function kvCases(c: CaseContext): void {
  it('kv: put then range returns etcd metadata with defaults omitted', async () => {
    expect(await c.call('/v3/kv/put', { key: b64('/kv1/a'), value: b64('one') })).toEqual({ status: 200, body: { header: H(1) } });
    expect((await c.call('/v3/kv/put', { key: b64('/kv1/a'), value: b64('two'), prev_kv: true })).body).toEqual({
      header: H(2), prev_kv: KV('/kv1/a', 'one', 1, 1, 1),
    });
    expect((await c.call('/v3/kv/range', { key: b64('/kv1/a') })).body).toEqual({ header: H(2), kvs: [KV('/kv1/a', 'two', 1, 2, 2)], count: '1' });
    expect((await c.call('/v3/kv/range', { key: b64('/kv1/a'), revision: c.n.abs(1) })).body).toEqual({
      header: H(2), kvs: [KV('/kv1/a', 'one', 1, 1, 1)], count: '1',
    });
  });

  it('kv: range of a missing key is just a header', async () => {
    expect(await c.call('/v3/kv/range', { key: b64('/kv2/none') })).toEqual({ status: 200, body: { header: H(0) } });
  });

  it('kv: empty values, prefix ranges, limit/more/count, keys_only, count_only, sorting', async () => {
    await c.call('/v3/kv/put', { key: b64('/kv3/b'), value: b64('2') });
    await c.call('/v3/kv/put', { key: b64('/kv3/a'), value: '' });
    await c.call('/v3/kv/put', { key: b64('/kv3/c'), value: b64('3') });
    await c.call('/v3/kv/put', { key: b64('/kv30'), value: b64('outside') });
    const pfx = { key: b64('/kv3/'), range_end: b64('/kv30') };
    expect((await c.call('/v3/kv/range', pfx)).body).toEqual({
      header: H(4), kvs: [KV('/kv3/a', '', 2, 2, 1), KV('/kv3/b', '2', 1, 1, 1), KV('/kv3/c', '3', 3, 3, 1)], count: '3',
    });
    expect((await c.call('/v3/kv/range', { ...pfx, limit: '2' })).body).toEqual({
      header: H(4), kvs: [KV('/kv3/a', '', 2, 2, 1), KV('/kv3/b', '2', 1, 1, 1)], more: true, count: '3',
    });
    expect((await c.call('/v3/kv/range', { ...pfx, limit: '3' })).body).toEqual({
      header: H(4), kvs: [KV('/kv3/a', '', 2, 2, 1), KV('/kv3/b', '2', 1, 1, 1), KV('/kv3/c', '3', 3, 3, 1)], count: '3',
    });
    expect((await c.call('/v3/kv/range', { ...pfx, count_only: true })).body).toEqual({ header: H(4), count: '3' });
    expect((await c.call('/v3/kv/range', { ...pfx, keys_only: true, limit: '1' })).body).toEqual({
      header: H(4), kvs: [KV('/kv3/a', '', 2, 2, 1)], more: true, count: '3',
    });
    expect((await c.call('/v3/kv/range', { ...pfx, sort_order: 'DESCEND', sort_target: 'KEY' })).body).toEqual({
      header: H(4), kvs: [KV('/kv3/c', '3', 3, 3, 1), KV('/kv3/b', '2', 1, 1, 1), KV('/kv3/a', '', 2, 2, 1)], count: '3',
    });
    expect((await c.call('/v3/kv/range', { ...pfx, sort_order: 'ASCEND', sort_target: 'MOD', limit: '2' })).body).toEqual({
      header: H(4), kvs: [KV('/kv3/b', '2', 1, 1, 1), KV('/kv3/a', '', 2, 2, 1)], more: true, count: '3',
    });
  });

  it('kv: range_end "\\0" means every key >= key', async () => {
    await c.call('/v3/kv/put', { key: b64('~~kv4/a'), value: b64('1') });
    await c.call('/v3/kv/put', { key: b64('~~kv4/b'), value: b64('2') });
    expect((await c.call('/v3/kv/range', { key: b64('~~kv4/'), range_end: b64('\0'), keys_only: true })).body).toEqual({
      header: H(2), kvs: [KV('~~kv4/a', '', 1, 1, 1), KV('~~kv4/b', '', 2, 2, 1)], count: '2',
    });
  });

  it('kv: deleterange counts, prev_kvs, and deleting nothing keeps the revision', async () => {
    for (const k of ['a', 'b', 'c']) await c.call('/v3/kv/put', { key: b64(`/kv5/${k}`), value: b64(k) });
    expect((await c.call('/v3/kv/deleterange', { key: b64('/kv5/a') })).body).toEqual({ header: H(4), deleted: '1' });
    expect((await c.call('/v3/kv/deleterange', { key: b64('/kv5/'), range_end: b64('/kv50'), prev_kv: true })).body).toEqual({
      header: H(5), deleted: '2', prev_kvs: [KV('/kv5/b', 'b', 2, 2, 1), KV('/kv5/c', 'c', 3, 3, 1)],
    });
    expect((await c.call('/v3/kv/deleterange', { key: b64('/kv5/'), range_end: b64('/kv50'), prev_kv: true })).body).toEqual({ header: H(5) });
    // Re-created key starts a new generation: version 1, new create_revision.
    await c.call('/v3/kv/put', { key: b64('/kv5/a'), value: b64('again') });
    expect((await c.call('/v3/kv/range', { key: b64('/kv5/a') })).body).toEqual({ header: H(6), kvs: [KV('/kv5/a', 'again', 6, 6, 1)], count: '1' });
  });

  it('kv: ignore_value and ignore_lease', async () => {
    await c.call('/v3/kv/put', { key: b64('/kv6/a'), value: b64('keep') });
    expect((await c.call('/v3/kv/put', { key: b64('/kv6/a'), ignore_value: true, prev_kv: true })).body).toEqual({
      header: H(2), prev_kv: KV('/kv6/a', 'keep', 1, 1, 1),
    });
    expect((await c.call('/v3/kv/range', { key: b64('/kv6/a') })).body).toEqual({ header: H(2), kvs: [KV('/kv6/a', 'keep', 1, 2, 2)], count: '1' });
    expect(await c.call('/v3/kv/put', { key: b64('/kv6/a'), value: b64('x'), ignore_value: true })).toEqual({
      status: 400, body: { error: 'etcdserver: value is provided', message: 'etcdserver: value is provided', code: 3 },
    });
    expect(await c.call('/v3/kv/put', { key: b64('/kv6/none'), ignore_value: true })).toEqual({
      status: 400, body: { error: 'etcdserver: key not found', message: 'etcdserver: key not found', code: 3 },
    });
    expect(await c.call('/v3/kv/put', { key: b64('/kv6/none'), value: b64('v'), ignore_lease: true })).toEqual({
      status: 400, body: { error: 'etcdserver: key not found', message: 'etcdserver: key not found', code: 3 },
    });
  });

  it('txn: create-if-absent succeeds once, then the failure branch reads the current value', async () => {
    const create = {
      compare: [{ key: b64('/tx1/a'), result: 'EQUAL', target: 'MOD', mod_revision: '0' }],
      success: [{ request_put: { key: b64('/tx1/a'), value: b64('v1') } }],
      failure: [{ request_range: { key: b64('/tx1/a') } }],
    };
    expect((await c.call('/v3/kv/txn', create)).body).toEqual({ header: H(1), succeeded: true, responses: [{ response_put: { header: { revision: '@1' } } }] });
    expect((await c.call('/v3/kv/txn', create)).body).toEqual({
      header: H(1), responses: [{ response_range: { header: { revision: '@1' }, kvs: [KV('/tx1/a', 'v1', 1, 1, 1)], count: '1' } }],
    });
  });

  it('txn: compare targets and results, multi-op, one revision per txn', async () => {
    await c.call('/v3/kv/put', { key: b64('/tx2/a'), value: b64('va') });
    await c.call('/v3/kv/put', { key: b64('/tx2/b'), value: b64('vb') });
    const compares: JsonObject[] = [
      { key: b64('/tx2/a'), result: 'EQUAL', target: 'VALUE', value: b64('va') },
      { key: b64('/tx2/a'), result: 'GREATER', target: 'CREATE', create_revision: c.n.abs(0) },
      { key: b64('/tx2/a'), result: 'LESS', target: 'VERSION', version: '2' },
      { key: b64('/tx2/b'), result: 'NOT_EQUAL', target: 'MOD', mod_revision: c.n.abs(1) },
      { key: b64('/tx2/a'), result: 'EQUAL', target: 'LEASE', lease: '0' },
      { key: b64('/tx2/'), range_end: b64('/tx20'), result: 'GREATER', target: 'VERSION', version: '0' },
    ];
    const r = await c.call('/v3/kv/txn', {
      compare: compares,
      success: [
        { request_range: { key: b64('/tx2/a') } },
        { request_put: { key: b64('/tx2/a'), value: b64('va2'), prev_kv: true } },
        { request_delete_range: { key: b64('/tx2/b'), prev_kv: true } },
        { request_range: { key: b64('/tx2/'), range_end: b64('/tx20') } },
      ],
    });
    expect(r.body).toEqual({
      header: H(3),
      succeeded: true,
      responses: [
        { response_range: { header: { revision: '@2' }, kvs: [KV('/tx2/a', 'va', 1, 1, 1)], count: '1' } },
        { response_put: { header: { revision: '@3' }, prev_kv: KV('/tx2/a', 'va', 1, 1, 1) } },
        { response_delete_range: { header: { revision: '@3' }, deleted: '1', prev_kvs: [KV('/tx2/b', 'vb', 2, 2, 1)] } },
        { response_range: { header: { revision: '@3' }, kvs: [KV('/tx2/a', 'va2', 1, 3, 2)], count: '1' } },
      ],
    });
    // Every compare must hold; one false compare takes the (empty) failure branch and writes nothing.
    const failed = await c.call('/v3/kv/txn', {
      compare: [...compares.slice(0, 1), { key: b64('/tx2/a'), result: 'EQUAL', target: 'VERSION', version: '7' }],
      success: [{ request_put: { key: b64('/tx2/c'), value: b64('no') } }],
    });
    expect(failed.body).toEqual({ header: H(3) });
    expect((await c.call('/v3/kv/txn', {})).body).toEqual({ header: H(3), succeeded: true });
  });

  it('txn: putting the same key twice is rejected', async () => {
    const r = await c.call('/v3/kv/txn', {
      success: [{ request_put: { key: b64('/tx3/a'), value: b64('1') } }, { request_put: { key: b64('/tx3/a'), value: b64('2') } }],
    });
    expect(r).toEqual({
      status: 400,
      body: { error: 'etcdserver: duplicate key given in txn request', message: 'etcdserver: duplicate key given in txn request', code: 3 },
    });
    expect((await c.call('/v3/kv/range', { key: b64('/tx3/a') })).body).toEqual({ header: H(0) });
  });

  it('compaction: old revisions become unreadable; errors for compacted and future revisions', async () => {
    await c.call('/v3/kv/put', { key: b64('/cp1/a'), value: b64('1') });
    await c.call('/v3/kv/put', { key: b64('/cp1/a'), value: b64('2') });
    await c.call('/v3/kv/put', { key: b64('/cp1/a'), value: b64('3') });
    expect((await c.call('/v3/kv/compaction', { revision: c.n.abs(2) })).body).toEqual({ header: H(3) });
    const compacted = { error: 'etcdserver: mvcc: required revision has been compacted', message: 'etcdserver: mvcc: required revision has been compacted', code: 11 };
    const future = { error: 'etcdserver: mvcc: required revision is a future revision', message: 'etcdserver: mvcc: required revision is a future revision', code: 11 };
    expect(await c.call('/v3/kv/range', { key: b64('/cp1/a'), revision: c.n.abs(1) })).toEqual({ status: 400, body: compacted });
    // The compacted revision itself stays readable.
    expect((await c.call('/v3/kv/range', { key: b64('/cp1/a'), revision: c.n.abs(2) })).body).toEqual({
      header: H(3), kvs: [KV('/cp1/a', '2', 1, 2, 2)], count: '1',
    });
    expect(await c.call('/v3/kv/compaction', { revision: c.n.abs(2) })).toEqual({ status: 400, body: compacted });
    expect(await c.call('/v3/kv/compaction', { revision: c.n.abs(100) })).toEqual({ status: 400, body: future });
    expect(await c.call('/v3/kv/range', { key: b64('/cp1/a'), revision: c.n.abs(100) })).toEqual({ status: 400, body: future });
    // The latest value is untouched.
    expect((await c.call('/v3/kv/range', { key: b64('/cp1/a') })).body).toEqual({ header: H(3), kvs: [KV('/cp1/a', '3', 1, 3, 3)], count: '1' });
  });
}
