import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWatch, pod, readWatch, startCluster, stores, type Cluster } from './harness.js';

describe.each(stores)('apiserver lists and watches against %s', (_name, startStore) => {
  let c: Cluster;
  const NS = '/api/v1/namespaces/lw';
  beforeAll(async () => {
    // a small event window, so that a watch from an old resourceVersion can be shown to expire
    c = await startCluster(startStore, ['--watch-bookmark-interval', '200', '--watch-cache-size', '16']);
    await c.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lw' } });
    for (let i = 0; i < 7; i++) {
      const res = await c.req('POST', `${NS}/pods`, pod(`p${i}`, { labels: { app: i % 2 ? 'odd' : 'even', i: String(i) }, ...(i < 3 ? { nodeName: 'n1' } : {}) }));
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => { await c?.close(); });

  it('lists consistently from the cache, all namespaces too', async () => {
    const all = await c.req('GET', `${NS}/pods`);
    expect(all.body.kind).toBe('PodList');
    expect(all.body.items.map((p: any) => p.metadata.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    // a write followed by a list must see the write (resourceVersion "" is a consistent read)
    await c.req('POST', `${NS}/pods`, pod('fresh'));
    const after = await c.req('GET', `${NS}/pods`);
    expect(after.body.items.map((p: any) => p.metadata.name)).toContain('fresh');
    await c.req('DELETE', `${NS}/pods/fresh`);
    const gone = await c.req('GET', `${NS}/pods`);
    expect(gone.body.items.map((p: any) => p.metadata.name)).not.toContain('fresh');
    const cluster = await c.req('GET', '/api/v1/pods?resourceVersion=0');
    expect(cluster.body.items.length).toBeGreaterThanOrEqual(7);
  });

  it('filters by label and field selectors', async () => {
    const odd = await c.req('GET', `${NS}/pods?labelSelector=${encodeURIComponent('app=odd')}`);
    expect(odd.body.items.map((p: any) => p.metadata.name)).toEqual(['p1', 'p3', 'p5']);
    const notin = await c.req('GET', `${NS}/pods?labelSelector=${encodeURIComponent('i notin (0,1,2),app!=odd')}`);
    expect(notin.body.items.map((p: any) => p.metadata.name)).toEqual(['p4', 'p6']);
    const node = await c.req('GET', `${NS}/pods?fieldSelector=${encodeURIComponent('spec.nodeName=n1')}`);
    expect(node.body.items.map((p: any) => p.metadata.name)).toEqual(['p0', 'p1', 'p2']);
    const unbound = await c.req('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=,metadata.namespace=lw')}`);
    expect(unbound.body.items).toHaveLength(4);
    const byName = await c.req('GET', `${NS}/pods?fieldSelector=metadata.name%3Dp4`);
    expect(byName.body.items.map((p: any) => p.metadata.name)).toEqual(['p4']);
    const phase = await c.req('GET', `${NS}/pods?fieldSelector=status.phase%3DPending`);
    expect(phase.body.items).toHaveLength(7);
    expect((await c.req('GET', `${NS}/pods?fieldSelector=spec.bogus%3Dx`)).status).toBe(400);
    expect((await c.req('GET', `${NS}/pods?labelSelector=${encodeURIComponent('a in (')}`)).status).toBe(400);
  });

  it('paginates at one revision with limit/continue', async () => {
    const first = await c.req('GET', `${NS}/pods?limit=3`);
    expect(first.body.items.map((p: any) => p.metadata.name)).toEqual(['p0', 'p1', 'p2']);
    expect(first.body.metadata.continue).toBeTruthy();
    expect(first.body.metadata.remainingItemCount).toBe(4);
    // a write between pages is not seen by the continued list
    await c.req('POST', `${NS}/pods`, pod('p9'));
    const second = await c.req('GET', `${NS}/pods?limit=3&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(second.body.items.map((p: any) => p.metadata.name)).toEqual(['p3', 'p4', 'p5']);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const third = await c.req('GET', `${NS}/pods?limit=3&continue=${encodeURIComponent(second.body.metadata.continue)}`);
    expect(third.body.items.map((p: any) => p.metadata.name)).toEqual(['p6']);
    expect(third.body.metadata.continue).toBeUndefined();
    const filtered = await c.req('GET', `${NS}/pods?limit=2&labelSelector=app%3Deven`);
    expect(filtered.body.items.map((p: any) => p.metadata.name)).toEqual(['p0', 'p2']);
    expect((await c.req('GET', `${NS}/pods?limit=2&continue=garbage`)).status).toBe(400);
    await c.req('DELETE', `${NS}/pods/p9`);
  });

  it('expires continue tokens whose revision was compacted', async () => {
    const first = await c.req('GET', `${NS}/pods?limit=2`);
    const put = await fetch(`${c.store.url}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: Buffer.from('/x').toString('base64'), value: '' }) });
    const rev = Number(((await put.json()) as any).header.revision);
    await fetch(`${c.store.url}/v3/kv/compaction`, { method: 'POST', body: JSON.stringify({ revision: String(rev), physical: true }) });
    const next = await c.req('GET', `${NS}/pods?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(next.status).toBe(410);
    expect(next.body.reason).toBe('Expired');
  });

  it('watch from resourceVersion 0 sends ADDED for the current state, then changes', async () => {
    const w = openWatch(`${c.url}${NS}/pods?watch=true&resourceVersion=0&labelSelector=app%3Dodd`);
    await w.waitFor((e) => e.length >= 3, 'initial ADDED events');
    expect(w.events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'p1'], ['ADDED', 'p3'], ['ADDED', 'p5']]);
    await c.req('PATCH', `${NS}/pods/p3`, { metadata: { annotations: { touched: 'yes' } } }, { 'content-type': 'application/merge-patch+json' });
    await w.waitFor((e) => e.length >= 4, 'MODIFIED');
    expect(w.events[3]).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'p3', annotations: { touched: 'yes' } } } });
    // leaving the selector is a DELETED for this watcher; entering it an ADDED
    await c.req('PATCH', `${NS}/pods/p5`, { metadata: { labels: { app: 'even' } } }, { 'content-type': 'application/merge-patch+json' });
    await c.req('PATCH', `${NS}/pods/p4`, { metadata: { labels: { app: 'odd' } } }, { 'content-type': 'application/merge-patch+json' });
    await w.waitFor((e) => e.length >= 6, 'transitions');
    expect(w.events.slice(4).map((e) => [e.type, e.object.metadata.name])).toEqual([['DELETED', 'p5'], ['ADDED', 'p4']]);
    w.close();
  });

  it('watch from resourceVersion N sends only later changes; too old gives 410 Expired', async () => {
    const list = await c.req('GET', `${NS}/pods`);
    const rv = list.body.metadata.resourceVersion;
    const w = openWatch(`${c.url}${NS}/pods?watch=1&resourceVersion=${rv}`);
    await w.ready;
    await c.req('POST', `${NS}/pods`, pod('late'));
    await c.req('DELETE', `${NS}/pods/late`);
    await w.waitFor((e) => e.length >= 2, 'ADDED+DELETED');
    expect(w.events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'late'], ['DELETED', 'late']]);
    expect(Number(w.events[1].object.metadata.resourceVersion)).toBeGreaterThan(Number(w.events[0].object.metadata.resourceVersion));
    w.close();
    for (let i = 0; i < 20; i++) await c.req('PATCH', `${NS}/pods/p6`, { metadata: { annotations: { n: String(i) } } }, { 'content-type': 'application/merge-patch+json' });
    const old = await readWatch(`${c.url}${NS}/pods?watch=1&resourceVersion=1`, (e) => e.length >= 1);
    expect(old).toHaveLength(1);
    expect(old[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('reads at a resourceVersion not reached yet: another kind\'s revision is served, a future one waits then answers 504', async () => {
    // a ConfigMap write moves etcd's revision past anything the pods cache has seen
    const cm = await c.req('POST', '/api/v1/namespaces/lw/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv-probe' } });
    const cmRv = Number(cm.body.metadata.resourceVersion);
    const list = await c.req('GET', `${NS}/pods?resourceVersion=${cmRv}&resourceVersionMatch=NotOlderThan`);
    expect(list.status).toBe(200);
    expect(Number(list.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(cmRv);
    expect((await c.req('GET', `${NS}/pods/p0?resourceVersion=${cmRv}`)).status).toBe(200);

    const future = cmRv + 1_000_000;
    for (const path of [`${NS}/pods?resourceVersion=${future}`, `${NS}/pods/p0?resourceVersion=${future}`]) {
      const r = await c.req('GET', path);
      expect(r.status).toBe(504);
      expect(r.body).toMatchObject({
        kind: 'Status', status: 'Failure', reason: 'Timeout', code: 504,
        message: expect.stringMatching(new RegExp(`^Timeout: Too large resource version: ${future}, current: \\d+$`)),
        details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      });
    }
    expect((await c.req('GET', `${NS}/pods/p0?resourceVersion=abc`)).status).toBe(400);

    // a watch from a revision not reached yet waits, and sends only what comes after it
    const head = Number((await c.req('GET', `${NS}/pods`)).body.metadata.resourceVersion);
    const w = openWatch(`${c.url}${NS}/pods?watch=1&resourceVersion=${head + 2}`);
    await w.ready;
    for (const n of ['fut-a', 'fut-b', 'fut-c']) expect((await c.req('POST', `${NS}/pods`, pod(n))).status).toBe(201);
    await w.waitFor((e) => e.some((x) => x.object.metadata.name === 'fut-c'), 'fut-c ADDED');
    expect(w.events.map((e) => e.object.metadata.name)).not.toContain('fut-a');
    for (const e of w.events) expect(Number(e.object.metadata.resourceVersion)).toBeGreaterThan(head + 2);
    w.close();
    for (const n of ['fut-a', 'fut-b', 'fut-c']) await c.req('DELETE', `${NS}/pods/${n}`);
  });

  it('sends bookmarks when allowed, and ends at timeoutSeconds', async () => {
    const list = await c.req('GET', `${NS}/pods`);
    const events = await readWatch(`${c.url}${NS}/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${list.body.metadata.resourceVersion}`, () => false, 5_000);
    const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThan(0);
    expect(bookmarks[0].object).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
    expect(Number(bookmarks[0].object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(list.body.metadata.resourceVersion));
    const started = Date.now();
    const none = await readWatch(`${c.url}${NS}/pods?watch=1&timeoutSeconds=1&resourceVersion=${list.body.metadata.resourceVersion}`, () => false, 10_000);
    expect(none).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('watches a single object by name, with sendInitialEvents', async () => {
    const events = await readWatch(`${c.url}${NS}/pods/p0?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`, (e) => e.length >= 2);
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'p0' } } });
    expect(events[1]).toMatchObject({ type: 'BOOKMARK', object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
  });

  it('serves many watchers from one cache and counts them', async () => {
    const watchers = Array.from({ length: 20 }, () => openWatch(`${c.url}${NS}/pods?watch=1&resourceVersion=0&fieldSelector=metadata.name%3Dmany`));
    await Promise.all(watchers.map((w) => w.ready));
    const metrics = (await c.req('GET', '/metrics')).text;
    const m = /apiserver_registered_watchers\{resource="pods"\} (\d+)/.exec(metrics);
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(20);
    await c.req('POST', `${NS}/pods`, pod('many'));
    await Promise.all(watchers.map((w) => w.waitFor((e) => e.some((x) => x.type === 'ADDED' && x.object.metadata.name === 'many'), 'ADDED many')));
    for (const w of watchers) w.close();
  });
});
