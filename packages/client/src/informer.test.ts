import { waitFor, FakeClock } from '@tinykube/testkit';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeApiServer, pod, podsRes, sharedFakeApiServer } from '../test/fake-apiserver.js';
import { Informer, informerFor } from './informer.js';
import { RestClient } from './rest.js';
import type { ObjectLike } from './types.js';

type Pod = ObjectLike & { spec: { nodeName?: string } };

let server: FakeApiServer;
let client: RestClient;
let ac: AbortController;
let clock: FakeClock;
let ns: string;
let nsSeq = 0;

const shared = sharedFakeApiServer();
beforeAll(() => {
  server = shared.server();
  client = shared.client();
});
beforeEach(() => {
  ac = new AbortController();
  clock = new FakeClock();
  ns = `inf-${++nsSeq}`;
});
afterEach(() => ac.abort());

/** Records handler calls as "add:name", "update:name:oldRv->newRv", "delete:name". */
function record(inf: Informer<Pod>): string[] {
  const log: string[] = [];
  inf.addEventHandler({
    onAdd: (o) => log.push(`add:${o.metadata?.name}`),
    onUpdate: (o, old) => log.push(`update:${o.metadata?.name}:${old.metadata?.resourceVersion === o.metadata?.resourceVersion ? 'resync' : 'changed'}`),
    onDelete: (o) => log.push(`delete:${o.metadata?.name}`),
  });
  return log;
}

const watchRequests = () => server.requests.filter((r) => r.url.includes(`/namespaces/${ns}/pods?`) && r.url.includes('watch=true'));
const listRequests = () => server.requests.filter((r) => r.url.includes(`/namespaces/${ns}/pods?`) && !r.url.includes('watch=true'));

describe('Informer', () => {
  it('lists, syncs, then follows adds, updates and deletes; keeps indexes', async () => {
    await client.create(podsRes, pod('pre', { namespace: ns, nodeName: 'n1' }));
    const inf = informerFor<Pod>(client, podsRes, { namespace: ns, clock });
    inf.addIndexer('byNode', (p) => [p.spec.nodeName]);
    const log = record(inf);
    inf.start(ac.signal);
    await inf.synced();
    expect(inf.hasSynced()).toBe(true);
    expect(log).toEqual(['add:pre']);
    await waitFor(() => server.watcherCount(ns) > 0, { what: 'watch open' });

    const p2 = await client.create<Pod>(podsRes, pod('p2', { namespace: ns }));
    await client.patch(podsRes, 'p2', { spec: { nodeName: 'n1' } }, 'merge', { namespace: ns });
    await client.delete(podsRes, 'pre', { namespace: ns });
    await waitFor(() => log.length === 4, { what: 'four events' });
    expect(log).toEqual(['add:pre', 'add:p2', 'update:p2:changed', 'delete:pre']);
    expect(inf.keys()).toEqual([`${ns}/p2`]);
    expect(inf.byIndex('byNode', 'n1').map((p) => p.metadata?.name)).toEqual(['p2']);
    expect(inf.getByName(ns, 'p2')?.metadata?.resourceVersion).not.toBe(p2.metadata?.resourceVersion);
    expect(inf.lastSyncResourceVersion()).toBe(server.resourceVersion);
  });

  it('hands out frozen objects and survives a handler that throws', async () => {
    await client.create(podsRes, pod('frozen', { namespace: ns }));
    const inf = informerFor<Pod>(client, podsRes, { namespace: ns, clock });
    inf.onAdd(() => {
      throw new Error('bad handler');
    });
    const log = record(inf);
    inf.start(ac.signal);
    await inf.synced();
    expect(log).toEqual(['add:frozen']);
    const cached = inf.list()[0];
    expect(Object.isFrozen(cached) && Object.isFrozen(cached.spec)).toBe(true);
    // A handler registered after sync gets the cache replayed as adds.
    const late: string[] = [];
    inf.onChange((o) => late.push(o.metadata?.name ?? ''));
    expect(late).toEqual(['frozen']);
  });

  it('re-watches from the last resourceVersion after a broken stream, without relisting', async () => {
    await client.create(podsRes, pod('a', { namespace: ns }));
    const inf = informerFor<Pod>(client, podsRes, { namespace: ns, clock, backoff: { initialMs: 1000, jitter: 0 } });
    const log = record(inf);
    inf.start(ac.signal);
    await inf.synced();
    await waitFor(() => server.watcherCount(ns) > 0, { what: 'watch open' });
    const rvBefore = inf.lastSyncResourceVersion();

    server.breakWatches();
    await waitFor(() => clock.pending() > 0, { what: 'backoff timer' });
    expect(clock.nextDueIn()).toBe(1000);
    await client.patch(podsRes, 'a', { metadata: { labels: { x: 'y' } } }, 'merge', { namespace: ns }); // missed while down
    clock.advance(1000);
    await waitFor(() => log.length === 2, { what: 'missed update delivered' });
    expect(log).toEqual(['add:a', 'update:a:changed']);
    expect(listRequests()).toHaveLength(1);
    expect(watchRequests().at(-1)?.url).toContain(`resourceVersion=${rvBefore}`);
  });

  it('re-watches at once from the last version when the server ends a stream cleanly (watch timeout)', async () => {
    const inf = informerFor<Pod>(client, podsRes, { namespace: ns, clock, backoff: { initialMs: 1000, jitter: 0 } });
    const log = record(inf);
    inf.start(ac.signal);
    await inf.synced();
    await waitFor(() => server.watcherCount(ns) > 0, { what: 'watch open' });
    await client.create(podsRes, pod('t1', { namespace: ns }));
    await waitFor(() => log.length === 1, { what: 'add seen' });
    const rv = inf.lastSyncResourceVersion();
    server.endWatches();
    await waitFor(() => watchRequests().length === 2, { what: 'second watch' });
    expect(clock.pending()).toBe(0); // no backoff after a healthy stream
    expect(watchRequests()[1].url).toContain(`resourceVersion=${rv}`);
    expect(listRequests()).toHaveLength(1);
  });

  it('relists on 410 Expired and delivers the diff as adds, updates and deletes', async () => {
    for (const n of ['keep', 'change', 'gone']) await client.create(podsRes, pod(n, { namespace: ns }));
    const inf = informerFor<Pod>(client, podsRes, { namespace: ns, clock, backoff: { initialMs: 500, jitter: 0 } });
    const log = record(inf);
    inf.start(ac.signal);
    await inf.synced();
    await waitFor(() => server.watcherCount(ns) > 0, { what: 'watch open' });

    server.breakWatches();
    await waitFor(() => clock.pending() > 0, { what: 'backoff timer' });
    // While disconnected: one change, one delete, one add; then history is compacted away.
    server.put(podsRes, { ...pod('change', { namespace: ns }), metadata: { ...server.get(podsRes, ns, 'change')!.metadata, labels: { v: '2' } } });
    server.remove(podsRes, ns, 'gone');
    server.put(podsRes, pod('new', { namespace: ns }));
    server.compact();
    clock.advance(500);

    await waitFor(() => log.length === 6, { what: 'diff delivered' });
    expect(log.slice(0, 3).sort()).toEqual(['add:change', 'add:gone', 'add:keep']);
    expect(log.slice(3)).toEqual(['add:new', 'update:change:changed', 'delete:gone']);
    expect(inf.keys().sort()).toEqual([`${ns}/change`, `${ns}/keep`, `${ns}/new`]);
    expect(listRequests()).toHaveLength(2);
    // And it watches again from the new list's version.
    await waitFor(() => server.watcherCount(ns) > 0, { what: 'watch reopened' });
    await client.delete(podsRes, 'keep', { namespace: ns });
    await waitFor(() => log.includes('delete:keep'), { what: 'live delete after relist' });
  });

  it('resyncs every resyncPeriodMs, re-delivering cached objects as updates', async () => {
    await client.create(podsRes, pod('r1', { namespace: ns }));
    const inf = informerFor<Pod>(client, podsRes, { namespace: ns, clock, resyncPeriodMs: 60_000 });
    const log = record(inf);
    inf.start(ac.signal);
    await inf.synced();
    clock.advance(59_999);
    expect(log).toEqual(['add:r1']);
    clock.advance(1);
    expect(log).toEqual(['add:r1', 'update:r1:resync']);
    clock.advance(60_000);
    expect(log.filter((l) => l === 'update:r1:resync')).toHaveLength(2);
  });

  it('follows bookmarks, stops on abort, and closes its watch', async () => {
    const inf = informerFor<Pod>(client, podsRes, { namespace: ns, clock });
    const stopped = inf.run(ac.signal);
    await inf.synced();
    await waitFor(() => server.watcherCount(ns) > 0, { what: 'watch open' });
    await client.create(podsRes, pod('other', { namespace: `${ns}-elsewhere` })); // bumps the version, not our namespace
    server.bookmark();
    await waitFor(() => inf.lastSyncResourceVersion() === server.resourceVersion, { what: 'bookmark version' });
    expect(inf.list()).toEqual([]);
    ac.abort();
    await stopped;
    await waitFor(() => server.watcherCount(ns) === 0, { what: 'watch closed' });
  });

  it('rejects synced() when stopped before the first list succeeds', async () => {
    server.injectError({ code: 500, reason: 'InternalError', match: (r) => r.url.includes(`/namespaces/${ns}/pods?`) });
    const inf = informerFor<Pod>(client, podsRes, { namespace: ns, clock, backoff: { initialMs: 100, jitter: 0 } });
    const stopped = inf.run(ac.signal);
    await waitFor(() => clock.pending() > 0, { what: 'list retry backoff' });
    expect(inf.hasSynced()).toBe(false);
    ac.abort();
    await stopped;
    await expect(inf.synced()).rejects.toBeDefined();
  });
});
