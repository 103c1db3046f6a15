import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { waitFor } from '@tinykube/testkit';
import { FakeEtcd } from '../test/fake-etcd.js';
import { WatchCache, type CacheEvent, type WatchSink } from './watchcache.js';

const log = pino({ level: 'silent' });
const P = '/registry/pods/';
const podJson = (name: string, ns = 'default', extra: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, ...extra });

function sink(): WatchSink & { events: CacheEvent[]; bookmarks: number[]; ended: boolean } {
  const s = {
    events: [] as CacheEvent[], bookmarks: [] as number[], ended: false,
    deliver(ev: CacheEvent) { s.events.push(ev); },
    bookmark(rev: number) { s.bookmarks.push(rev); },
    terminate() { s.ended = true; },
  };
  return s;
}

describe('WatchCache', () => {
  let cache: WatchCache | undefined;
  afterEach(() => cache?.stop());

  it('lists the prefix at start and stamps resourceVersion from mod_revision', async () => {
    const etcd = new FakeEtcd();
    const r1 = etcd.put(`${P}default/b`, podJson('b'));
    etcd.put(`${P}default/a`, podJson('a'));
    etcd.put('/registry/services/default/s', '{}');
    cache = new WatchCache({ etcd: etcd.asClient(), prefix: P, resource: 'pods', log, pageSize: 1 });
    await cache.start();
    expect(cache.list().map((e) => e.obj.metadata.name)).toEqual(['a', 'b']);
    expect(cache.get(`${P}default/b`)?.obj.metadata.resourceVersion).toBe(String(r1));
    expect(cache.rev).toBe(etcd.rev);
  });

  it('applies events, keeps key order and namespace filtering', async () => {
    const etcd = new FakeEtcd();
    cache = new WatchCache({ etcd: etcd.asClient(), prefix: P, resource: 'pods', log });
    await cache.start();
    etcd.put(`${P}ns2/x`, podJson('x', 'ns2'));
    etcd.put(`${P}ns1/y`, podJson('y', 'ns1'));
    const rev = etcd.put(`${P}ns1/a`, podJson('a', 'ns1'));
    expect(await cache.waitForRev(rev, 2_000)).toBe(true);
    expect(cache.list().map((e) => e.key)).toEqual([`${P}ns1/a`, `${P}ns1/y`, `${P}ns2/x`]);
    expect(cache.list(`${P}ns1/`).map((e) => e.obj.metadata.name)).toEqual(['a', 'y']);
    etcd.del(`${P}ns1/y`);
    await waitFor(() => cache!.size === 2, { what: 'delete applied' });
  });

  it('replays retained events to a subscriber and refuses revisions older than the ring', async () => {
    const etcd = new FakeEtcd();
    cache = new WatchCache({ etcd: etcd.asClient(), prefix: P, resource: 'pods', log, capacity: 3 });
    await cache.start();
    const start = cache.rev;
    const revs = [1, 2, 3, 4].map((i) => etcd.put(`${P}default/p${i}`, podJson(`p${i}`)));
    await cache.waitForRev(revs[3], 2_000);
    const s = sink();
    expect(cache.subscribe(s, revs[1])).toBe(true);
    expect(s.events.map((e) => [e.type, e.obj.metadata.name])).toEqual([['ADDED', 'p3'], ['ADDED', 'p4']]);
    expect(cache.subscribe(sink(), start)).toBe(false); // p1 fell out of the 3-event ring
    expect(cache.oldestRev).toBe(revs[0]);
    // live events follow, with the previous object for MODIFIED and the last state for DELETED
    etcd.put(`${P}default/p3`, podJson('p3', 'default', { spec: { nodeName: 'n' } }));
    const delRev = (etcd.del(`${P}default/p3`), etcd.rev);
    await waitFor(() => s.events.length === 4, { what: 'live events' });
    expect(s.events[2]).toMatchObject({ type: 'MODIFIED', prev: { metadata: { name: 'p3' } } });
    expect(s.events[3]).toMatchObject({ type: 'DELETED', rev: delRev, obj: { spec: { nodeName: 'n' }, metadata: { resourceVersion: String(delRev) } } });
    cache.unsubscribe(s);
  });

  it('proves itself current for consistent reads by count and greatest mod_revision', async () => {
    const etcd = new FakeEtcd();
    etcd.put(`${P}default/a`, podJson('a'));
    cache = new WatchCache({ etcd: etcd.asClient(), prefix: P, resource: 'pods', log });
    await cache.start();
    // writes elsewhere move etcd's revision but cannot make this cache stale
    etcd.put('/registry/other/x', '{}');
    expect(await cache.consistentRev()).toBe(etcd.rev);
    const rev = etcd.put(`${P}default/b`, podJson('b'));
    const got = await cache.consistentRev();
    expect(got).toBeGreaterThanOrEqual(rev);
    expect(cache.size).toBe(2);
  });

  it('sends bookmarks to subscribers', async () => {
    const etcd = new FakeEtcd();
    cache = new WatchCache({ etcd: etcd.asClient(), prefix: P, resource: 'pods', log, bookmarkIntervalMs: 10 });
    await cache.start();
    const s = sink();
    cache.subscribe(s, cache.rev);
    await waitFor(() => s.bookmarks.length > 0, { what: 'bookmark' });
    expect(s.bookmarks[0]).toBe(cache.rev);
    expect(cache.watcherCount).toBe(1);
    cache.stop();
    expect(s.ended).toBe(true);
  });
});
