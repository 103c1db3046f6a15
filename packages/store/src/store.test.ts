import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Store, type StoreOptions } from './store.js';
import { deleteReq, FakeClock, putReq, rangeReq, RecordingSink, tmpDir, txnReq, b64 } from './testutil.js';

const open: Store[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function openStore(opts: Partial<StoreOptions> = {}): Promise<Store> {
  const dataDir = opts.dataDir ?? tmpDir();
  if (!opts.dataDir) dirs.push(dataDir);
  const s = await Store.open({ leaseCheckIntervalMs: 0, walSegmentBytes: 64 * 1024, ...opts, dataDir });
  open.push(s);
  return s;
}

async function reopen(s: Store, opts: Partial<StoreOptions> = {}): Promise<Store> {
  const dataDir = (s as unknown as { opts: StoreOptions }).opts.dataDir;
  await s.close();
  open.splice(open.indexOf(s), 1);
  return openStore({ ...opts, dataDir });
}

const value = (s: Store, key: string) => s.range(rangeReq(key)).kvs[0]?.value.toString();

describe('Store', () => {
  it('puts, reads, deletes with etcd revisions', async () => {
    const s = await openStore();
    expect((await s.put(putReq('a', '1'))).rev).toBe(2);
    const p = await s.put(putReq('a', '2', { prev_kv: true }));
    expect(p.prevKv?.value.toString()).toBe('1');
    expect(value(s, 'a')).toBe('2');
    expect((await s.deleteRange(deleteReq('nothing'))).rev).toBe(3);
    const d = await s.deleteRange(deleteReq('a', { prev_kv: true }));
    expect(d).toMatchObject({ rev: 4, deleted: 1 });
    expect(s.range(rangeReq('a', { revision: 3 })).kvs[0].value.toString()).toBe('2');
  });

  it('rejects a put with an unknown lease and ignore_value on a missing key', async () => {
    const s = await openStore();
    await expect(s.put(putReq('a', '1', { lease: '77' }))).rejects.toMatchObject({ reason: 'LeaseNotFound', httpStatus: 404 });
    await expect(s.put(putReq('a', '', { ignore_value: true }))).rejects.toMatchObject({ reason: 'KeyNotFound' });
    expect(s.currentRev).toBe(1);
  });

  it('recovers data, versions, leases and compaction after reopening', async () => {
    let s = await openStore();
    await s.put(putReq('a', '1'));
    await s.put(putReq('a', '2'));
    const lease = await s.leaseGrant({ TTL: 100n, ID: 0n });
    await s.put(putReq('leased', 'x', { lease: lease.id.toString() }));
    await s.compact(3);
    await s.txn(txnReq({ success: [{ request_put: { key: b64('t1'), value: b64('v') } }, { request_put: { key: b64('t2'), value: b64('v') } }] }));
    s = await reopen(s);
    expect(s.durableRev).toBe(5);
    expect(s.range(rangeReq('a')).kvs[0]).toMatchObject({ version: 2, createRev: 2, modRev: 3 });
    expect(s.compactRev).toBe(3);
    expect(() => s.range(rangeReq('a', { revision: 2 }))).toThrow('compacted');
    const ttl = s.leaseTimeToLive(lease.id, true).found;
    expect(ttl?.grantedTtl).toBe(100);
    expect(ttl?.keys.map((k) => k.toString())).toEqual(['leased']);
    expect(value(s, 't2')).toBe('v');
    // a revoke after restart still deletes the attached key
    await s.leaseRevoke(lease.id);
    expect(value(s, 'leased')).toBeUndefined();
  });

  it('recovers from a snapshot plus the WAL written after it', async () => {
    let s = await openStore({ snapshotCount: 5 });
    for (let i = 0; i < 12; i++) await s.put(putReq(`k${i % 3}`, `v${i}`));
    await s.snapshotNow();
    await s.put(putReq('after', 'snap'));
    s = await reopen(s, { snapshotCount: 5 });
    expect(s.durableRev).toBe(14);
    expect(value(s, 'k2')).toBe('v11');
    expect(s.range(rangeReq('k0')).kvs[0].version).toBe(4);
    expect(value(s, 'after')).toBe('snap');
    expect(s.range(rangeReq('k0', { revision: 2 })).kvs[0].value.toString()).toBe('v0'); // history survives snapshots
  });

  it('expires leases with an injected clock: keys deleted in one revision with DELETE events', async () => {
    const clock = new FakeClock();
    const s = await openStore({ clock });
    const { id } = await s.leaseGrant({ TTL: 10n, ID: 42n });
    await s.put(putReq('l/b', '1', { lease: '42' }));
    await s.put(putReq('l/a', '1', { lease: '42' }));
    const sink = new RecordingSink();
    s.watch({ key: Buffer.from('l/'), end: Buffer.from('l0'), startRev: 0, prevKv: false, noPut: false, noDelete: false, progressNotify: false, id: 0n }, sink);
    clock.advance(9_000);
    expect(await s.expireLeases()).toBe(0);
    expect(s.leaseKeepAlive(id).ttl).toBe(10); // keep-alive pushes expiry out again
    clock.advance(10_001);
    expect(await s.expireLeases()).toBe(1);
    expect(s.range(rangeReq('l/', { range_end: b64('l0') })).count).toBe(0);
    expect(sink.events()).toEqual(['DELETE l/a@4', 'DELETE l/b@4']); // sorted keys, one revision
    expect(s.leaseTimeToLive(id, false).found).toBeUndefined();
    expect(s.leaseKeepAlive(id).ttl).toBe(0);
  });

  it('does not show writes before they are durable, and answers writes after', async () => {
    const s = await openStore();
    const pending = s.put(putReq('a', '1'));
    expect(s.currentRev).toBe(2); // applied for ordering...
    expect(s.range(rangeReq('a')).kvs).toEqual([]); // ...but not visible yet
    expect(s.range(rangeReq('a')).rev).toBe(1);
    await pending;
    expect(value(s, 'a')).toBe('1');
  });

  it('applies concurrent CAS updates in order: exactly one wins', async () => {
    const s = await openStore();
    await s.put(putReq('c', '0'));
    const cas = (v: string) =>
      s.txn(txnReq({ compare: [{ key: b64('c'), target: 'MOD', result: 'EQUAL', mod_revision: '2' }], success: [{ request_put: { key: b64('c'), value: b64(v) } }] }));
    const results = await Promise.all(['x', 'y', 'z'].map(cas));
    expect(results.filter((r) => r.succeeded)).toHaveLength(1);
    expect(value(s, 'c')).toBe('x');
  });

  it('checks compaction like etcd: at or below the compacted revision, or in the future', async () => {
    const s = await openStore();
    for (let i = 0; i < 4; i++) await s.put(putReq('k', `${i}`));
    await s.compact(3);
    await expect(s.compact(3)).rejects.toMatchObject({ reason: 'Compacted', grpcCode: 11 });
    await expect(s.compact(99)).rejects.toMatchObject({ reason: 'FutureRevision' });
    expect(await s.compact(5)).toBe(5);
  });

  it('refuses to open a data directory whose WAL is corrupt in the middle', async () => {
    const s = await openStore();
    for (let i = 0; i < 5; i++) await s.put(putReq('k', `${i}`));
    const dataDir = (s as unknown as { opts: StoreOptions }).opts.dataDir;
    await s.close();
    open.splice(0);
    const file = `${dataDir}/wal/${'1'.padStart(16, '0')}.wal`;
    const buf = fs.readFileSync(file);
    buf[12] ^= 0xff;
    fs.writeFileSync(file, buf);
    await expect(Store.open({ dataDir, leaseCheckIntervalMs: 0 })).rejects.toThrow(/corrupt/);
  });
});
