// The store's /metrics against a real etcd 3.4's: every metric we export exists in etcd's output with the same
// type, and the same requests move the counters and gauges by the same amounts on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealEtcd, startTinyStore, type RunningStore } from '@tinykube/testkit';

type Scrape = { types: Map<string, string>; values: Map<string, number> };

async function scrape(url: string): Promise<Scrape> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const types = new Map<string, string>();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) types.set(t[1]!, t[2]!);
    const v = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (v && !line.startsWith('#')) values.set(v[1]! + (v[2] ?? ''), Number(v[3]));
  }
  return { types, values };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
async function call(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  await res.text();
}

describe('tinykube-store /metrics speaks etcd\'s names', () => {
  let etcd: RunningStore;
  let ours: RunningStore;
  beforeAll(async () => { [etcd, ours] = await Promise.all([startRealEtcd({ tls: false }), startTinyStore({ tls: false })]); });
  afterAll(async () => { await Promise.all([etcd?.close(), ours?.close()]); });

  it('exports only metrics etcd has, with etcd\'s types', async () => {
    const [theirs, mine] = await Promise.all([scrape(etcd.url), scrape(ours.url)]);
    expect(mine.types.size).toBeGreaterThan(15);
    for (const [name, type] of mine.types) expect([name, theirs.types.get(name)]).toEqual([name, type]);
    expect(mine.values.get('etcd_server_has_leader')).toBe(1);
    expect(mine.values.get('etcd_server_is_leader')).toBe(1);
    expect([...mine.values.keys()].find((k) => k.startsWith('etcd_server_version{'))).toMatch(/server_version="3\.4\.\d+"/);
  });

  it('counts the same requests the same way', async () => {
    const work = async (url: string): Promise<void> => {
      for (let i = 0; i < 3; i++) await call(url, '/v3/kv/put', { key: b64(`/m/k${i}`), value: b64('v') });
      await call(url, '/v3/kv/range', { key: b64('/m/k0') });
      await call(url, '/v3/kv/deleterange', { key: b64('/m/k2') });
      await call(url, '/v3/kv/txn', { success: [{ request_put: { key: b64('/m/t1'), value: b64('x') } }, { request_range: { key: b64('/m/k1') } }] });
    };
    const names = ['etcd_mvcc_put_total', 'etcd_mvcc_range_total', 'etcd_mvcc_delete_total', 'etcd_mvcc_txn_total', 'etcd_debugging_mvcc_keys_total', 'etcd_debugging_mvcc_current_revision'];
    const deltas = async (s: RunningStore): Promise<Record<string, number>> => {
      const before = await scrape(s.url);
      await work(s.url);
      const after = await scrape(s.url);
      return Object.fromEntries(names.map((n) => [n, (after.values.get(n) ?? NaN) - (before.values.get(n) ?? NaN)]));
    };
    const [theirs, mine] = [await deltas(etcd), await deltas(ours)];
    expect(mine).toEqual(theirs);
    expect(mine.etcd_mvcc_put_total).toBe(4);
    const fsyncs = (await scrape(ours.url)).values.get('etcd_disk_wal_fsync_duration_seconds_count') ?? 0;
    expect(fsyncs).toBeGreaterThan(0);
  });
});
