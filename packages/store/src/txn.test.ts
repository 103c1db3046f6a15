import { describe, expect, it } from 'vitest';
import { decodeBody, Messages, type TxnRequest } from './codec.js';
import { Mvcc } from './mvcc.js';
import { applyTxn, checkIntervals, checkTxn, doRange, txnPath, type TxnResponse } from './txn.js';

const txn = (json: unknown): TxnRequest => decodeBody(Buffer.from(JSON.stringify(json)), Messages.txn);
const b64 = (s: string) => Buffer.from(s).toString('base64');

function run(m: Mvcc, req: TxnRequest): TxnResponse {
  const w = m.write();
  const path = txnPath(w, req);
  const out: TxnResponse = { rev: 0, succeeded: path[0], responses: [] };
  applyTxn(w, w, req, path, out);
  out.rev = w.end();
  return out;
}

describe('txn', () => {
  it('rejects a key put twice or put and deleted in one branch', () => {
    const dup = txn({ success: [{ request_put: { key: b64('a') } }, { request_put: { key: b64('a') } }] });
    expect(() => checkIntervals(dup.success)).toThrow('etcdserver: duplicate key given in txn request');
    const overlap = txn({ success: [{ request_delete_range: { key: b64('a'), range_end: b64('c') } }, { request_put: { key: b64('b') } }] });
    expect(() => checkIntervals(overlap.success)).toThrow('duplicate key');
    // then/else of a nested txn are exclusive: the same key in both is fine
    const nested = txn({ success: [{ request_txn: { success: [{ request_put: { key: b64('a') } }], failure: [{ request_put: { key: b64('a') } }] } }] });
    expect(() => checkIntervals(nested.success)).not.toThrow();
  });

  it('rejects empty keys, empty ops and too many ops', () => {
    expect(() => checkTxn(txn({ compare: [{ target: 'MOD' }] }))).toThrow('key is not provided');
    expect(() => checkTxn(txn({ success: [{}] }))).toThrow('etcdserver: key not found');
    const many = Array.from({ length: 129 }, (_, i) => ({ request_range: { key: b64(`k${i}`) } }));
    expect(() => checkTxn(txn({ success: many }))).toThrow('too many operations');
  });

  it('create-if-absent and compare-and-swap on mod_revision', () => {
    const m = new Mvcc();
    const create = txn({
      compare: [{ key: b64('k'), target: 'MOD', result: 'EQUAL', mod_revision: '0' }],
      success: [{ request_put: { key: b64('k'), value: b64('v1') } }],
      failure: [{ request_range: { key: b64('k') } }],
    });
    expect(run(m, create)).toMatchObject({ succeeded: true, rev: 2 });
    const again = run(m, create);
    expect(again.succeeded).toBe(false);
    expect(again.rev).toBe(2); // nothing written: no new revision
    const cas = (rev: string) =>
      txn({ compare: [{ key: b64('k'), target: 'MOD', result: 'EQUAL', mod_revision: rev }], success: [{ request_put: { key: b64('k'), value: b64('v2') } }] });
    expect(run(m, cas('1')).succeeded).toBe(false);
    expect(run(m, cas('2'))).toMatchObject({ succeeded: true, rev: 3 });
  });

  it('a value compare on a missing key fails; other targets compare against zero', () => {
    const m = new Mvcc();
    expect(run(m, txn({ compare: [{ key: b64('none'), target: 'VALUE', result: 'EQUAL', value: '' }] })).succeeded).toBe(false);
    expect(run(m, txn({ compare: [{ key: b64('none'), target: 'VERSION', result: 'EQUAL', version: '0' }] })).succeeded).toBe(true);
  });

  it('ranges sort and truncate like etcd (more=true, count of all matches)', () => {
    const m = new Mvcc();
    for (const k of ['a', 'b', 'c']) {
      const w = m.write();
      w.put(Buffer.from(k), Buffer.from(k), 0n);
      w.end();
    }
    const r = decodeBody(Buffer.from(JSON.stringify({ key: b64('a'), range_end: 'AA==', sort_order: 'DESCEND', limit: 2 })), Messages.range);
    const view = { viewRev: m.currentRev, range: m.range.bind(m) };
    const out = doRange(view, r);
    expect(out.kvs.map((kv) => kv.key.toString())).toEqual(['c', 'b']);
    expect(out).toMatchObject({ more: true, count: 3 });
  });
});
