import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeApiServer, nodesRes, pod, podsRes, sharedFakeApiServer } from '../test/fake-apiserver.js';
import type { Clock } from './clock.js';
import { ApiError, isAlreadyExists, isConflict, isNotFound, isTooManyRequests } from '@tinykube/api';
import { RequestTimeoutError } from './errors.js';
import { RestClient } from './rest.js';
import type { ObjectLike, WatchEvent } from './types.js';

let server: FakeApiServer;
let client: RestClient;
const delays: number[] = [];
// Retry waits go through this clock: they are recorded and skipped, so tests never sleep.
const instantClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    delays.push(ms);
    queueMicrotask(fn);
    return () => {};
  },
};

const shared = sharedFakeApiServer({ userAgent: 'tinykube-scheduler/0.1', token: 'abc', clock: instantClock });
beforeAll(() => {
  server = shared.server();
  client = shared.client();
});
beforeEach(() => {
  delays.length = 0;
});

const last = () => server.requests[server.requests.length - 1];

describe('RestClient verbs', () => {
  it('creates, gets, updates, patches and deletes with the right URLs and headers', async () => {
    const created = await client.create(podsRes, pod('web', { namespace: 'ns1' }));
    expect(last()).toMatchObject({ method: 'POST', url: '/api/v1/namespaces/ns1/pods' });
    expect(last().headers).toMatchObject({ 'user-agent': 'tinykube-scheduler/0.1', authorization: 'Bearer abc', 'content-type': 'application/json' });
    expect(created.metadata?.resourceVersion).toBeTruthy();

    const got = await client.get(podsRes, 'web', { namespace: 'ns1' });
    expect(got.metadata?.uid).toBe(created.metadata?.uid);

    const updated = await client.update(podsRes, { ...got, metadata: { ...got.metadata, labels: { a: 'b' } } });
    expect(last()).toMatchObject({ method: 'PUT', url: '/api/v1/namespaces/ns1/pods/web' });
    expect(updated.metadata?.labels).toEqual({ a: 'b' });

    const patched = await client.patch(podsRes, 'web', { metadata: { labels: { c: 'd' } } }, 'merge', { namespace: 'ns1' });
    expect(last().headers['content-type']).toBe('application/merge-patch+json');
    expect(patched.metadata?.labels).toEqual({ a: 'b', c: 'd' });
    await client.patch(podsRes, 'web', {}, 'strategic', { namespace: 'ns1' });
    expect(last().headers['content-type']).toBe('application/strategic-merge-patch+json');
    await client.patch(podsRes, 'web', {}, 'apply', { namespace: 'ns1', force: true });
    expect(last().headers['content-type']).toBe('application/apply-patch+yaml');
    expect(last().url).toBe('/api/v1/namespaces/ns1/pods/web?fieldManager=tinykube-scheduler&force=true');

    await client.delete(podsRes, 'web', { namespace: 'ns1', propagationPolicy: 'Background' });
    expect(JSON.parse(last().body)).toMatchObject({ kind: 'DeleteOptions', propagationPolicy: 'Background' });
    await expect(client.get(podsRes, 'web', { namespace: 'ns1' })).rejects.toSatisfy(isNotFound);
  });

  it('maps Status answers to typed errors', async () => {
    const a = await client.create(podsRes, pod('dup'));
    const e1 = await client.create(podsRes, pod('dup')).catch((e: unknown) => e);
    expect(isAlreadyExists(e1)).toBe(true);
    await client.update(podsRes, a); // current version: fine
    const e2 = await client.update(podsRes, a).catch((e: unknown) => e); // stale version now
    expect(isConflict(e2)).toBe(true);
    expect(e2).toMatchObject({ code: 409, reason: 'Conflict' });
  });

  it('lists with selectors, limit/continue, and listAll follows pages', async () => {
    for (const n of ['l1', 'l2', 'l3']) await client.create(podsRes, pod(n, { namespace: 'lists', labels: { app: n === 'l3' ? 'other' : 'web' }, nodeName: 'node-1' }));
    const web = await client.list(podsRes, { namespace: 'lists', labelSelector: { app: 'web' } });
    expect(web.items.map((p) => p.metadata?.name)).toEqual(['l1', 'l2']);
    expect(last().url).toBe('/api/v1/namespaces/lists/pods?labelSelector=app%3Dweb');
    const byField = await client.list(podsRes, { namespace: 'lists', fieldSelector: 'metadata.name=l3' });
    expect(byField.items).toHaveLength(1);
    const page = await client.list(podsRes, { namespace: 'lists', limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.metadata.continue).toBeTruthy();
    const all = await client.listAll(podsRes, { namespace: 'lists', limit: 1 });
    expect(all.items.map((p) => p.metadata?.name)).toEqual(['l1', 'l2', 'l3']);
    expect(all.metadata.resourceVersion).toBeTruthy();
    await client.deleteCollection(podsRes, { namespace: 'lists', labelSelector: 'app=web' });
    expect((await client.list(podsRes, { namespace: 'lists' })).items.map((p) => p.metadata?.name)).toEqual(['l3']);
  });

  it('handles cluster-scoped resources and subresources (binding, status, log)', async () => {
    await client.create(nodesRes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    expect(last().url).toBe('/api/v1/nodes');
    await client.create(podsRes, pod('bindme', { namespace: 'sub' }));
    await client.create(podsRes, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bindme', namespace: 'sub' }, target: { kind: 'Node', name: 'n1' } }, { subresource: 'binding' });
    expect(last().url).toBe('/api/v1/namespaces/sub/pods/bindme/binding');
    const bound = await client.get<ObjectLike & { spec: { nodeName?: string } }>(podsRes, 'bindme', { namespace: 'sub' });
    expect(bound.spec.nodeName).toBe('n1');
    await client.update(podsRes, { ...bound, status: { phase: 'Running' } }, { subresource: 'status' });
    expect(last().url).toBe('/api/v1/namespaces/sub/pods/bindme/status');
    expect(server.get(podsRes, 'sub', 'bindme')?.status).toEqual({ phase: 'Running' });
    expect(await client.log('sub', 'bindme', { container: 'c', tailLines: 5 })).toBe('log of bindme\nline 2\n');
    expect(last().url).toBe('/api/v1/namespaces/sub/pods/bindme/log?container=c&tailLines=5');
  });

  it('calls any path with request()', async () => {
    expect(await client.request('GET', '/version')).toMatchObject({ major: '1', minor: '32' });
    await expect(client.request('GET', '/nope')).rejects.toBeInstanceOf(ApiError);
  });
});

describe('RestClient retries and timeouts', () => {
  it('retries 429 and 503 honouring Retry-After, bounded by maxRetryDelayMs', async () => {
    server.injectError({ code: 429, reason: 'TooManyRequests', retryAfter: '2' });
    server.injectError({ code: 503, reason: 'ServiceUnavailable', retryAfter: '3600' });
    const v = await client.request<{ major: string }>('GET', '/version');
    expect(v.major).toBe('1');
    expect(delays).toEqual([2000, 10_000]);
  });

  it('gives up after maxRetries and surfaces the 429', async () => {
    const c = new RestClient({ server: server.url, maxRetries: 1, clock: instantClock });
    server.injectError({ code: 429, reason: 'TooManyRequests' });
    server.injectError({ code: 429, reason: 'TooManyRequests' });
    await expect(c.request('GET', '/version')).rejects.toSatisfy(isTooManyRequests);
    expect(delays).toEqual([1000]);
    await c.close();
  });

  it('does not retry other errors', async () => {
    server.injectError({ code: 500, reason: 'InternalError' });
    await expect(client.request('GET', '/version')).rejects.toMatchObject({ code: 500, reason: 'InternalError' });
    expect(delays).toEqual([]);
  });

  it('times out a request that gets no answer', async () => {
    server.hangNext();
    await expect(client.request('GET', '/version', undefined, { timeoutMs: 200 })).rejects.toBeInstanceOf(RequestTimeoutError);
  });
});

describe('RestClient.watch', () => {
  it('streams synthetic ADDED, live changes and bookmarks; ends when aborted', async () => {
    await client.create(podsRes, pod('w1', { namespace: 'watch' }));
    const ac = new AbortController();
    const seen: WatchEvent[] = [];
    const done = (async () => {
      for await (const e of client.watch(podsRes, { namespace: 'watch', resourceVersion: '0', allowWatchBookmarks: true, signal: ac.signal })) {
        seen.push(e);
        if (seen.length === 1) {
          await client.create(podsRes, pod('w2', { namespace: 'watch' }));
          await client.delete(podsRes, 'w1', { namespace: 'watch' });
          server.bookmark();
        }
        if (seen.length === 4) ac.abort();
      }
    })();
    await done;
    expect(seen.map((e) => `${e.type}:${e.object.metadata?.name ?? ''}`)).toEqual(['ADDED:w1', 'ADDED:w2', 'DELETED:w1', 'BOOKMARK:']);
    expect(server.requests.some((r) => r.url.includes('allowWatchBookmarks=true'))).toBe(true);
  });

  it('throws a 410 ApiError when the version is compacted', async () => {
    const rv = server.resourceVersion;
    await client.create(podsRes, pod('c1', { namespace: 'compact' }));
    server.compact();
    const it = client.watch(podsRes, { namespace: 'compact', resourceVersion: rv });
    await expect(it.next()).rejects.toMatchObject({ code: 410, reason: 'Expired' });
  });
});

describe('RestClient TLS', () => {
  const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
  const cert = readFileSync(`${fixtures}server.crt`, 'utf8');
  const key = readFileSync(`${fixtures}server.key`, 'utf8');
  const https = createServer({ cert, key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    https.closeAllConnections();
    await new Promise((r) => https.close(r));
  });

  it('trusts the kubeconfig CA, rejects an unknown CA, and honours insecure-skip-tls-verify', async () => {
    const trusting = new RestClient({ server: url, tls: { ca: cert } });
    const strict = new RestClient({ server: url, maxRetries: 0 });
    const insecure = new RestClient({ server: url, tls: { insecureSkipTlsVerify: true } });
    try {
      expect(await trusting.request('GET', '/')).toEqual({ ok: true });
      await expect(strict.request('GET', '/')).rejects.toThrow(/certificate/i);
      expect(await insecure.request('GET', '/')).toEqual({ ok: true });
    } finally {
      await Promise.all([trusting.close(), strict.close(), insecure.close()]);
    }
  });
});
