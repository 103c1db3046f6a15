// `npm run bench:api` — the API server on the built-in store, measured from one client process.
//
// Starts tinykube-store and tinykube-apiserver from their builds (dist/, built first with tsc -b) on free loopback
// ports, then measures:
//   1. pod creates with 50 concurrent clients (throughput, p50, p99)
//   2. pod gets with 50 concurrent clients
//   3. a list of all pods once 10,000 exist (p50, p99 over repeated lists, as JSON)
//   4. the delay from a write to its delivery at each of 500 watchers (p50, p99)
//   5. the apiserver's RSS with 10,000 pods stored
// and prints them against the targets: ≥1,000 creates/s with p99 ≤ 50 ms; 10,000-pod list p99 ≤ 300 ms;
// write-to-500-watchers p99 ≤ 100 ms; RSS ≤ 300 MB. Flags: --pods N (default 10000), --watchers N (500),
// --watch-writes N (200), --lists N (10).
// TLS is on, as in a cluster: the store serves https with client-cert auth, the apiserver serves https only (its
// TLS and security flags from testkit's PKI, made for this process by ensureTestPki) and every request of the
// bench presents the admin's client certificate (authentication and RBAC authorization run on each).
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';
import { Pool, setGlobalDispatcher } from 'undici';
import {
  apiserverTlsArgs, ensureTestPki, freePort, numFlag, repoRoot, rssMb, runConcurrent, spawnProcess, startTinyStore, summarize, testDispatcher,
  testPki, testTls, waitFor, watchStream, type LatencySummary,
} from '@tinykube/testkit';

const PODS = numFlag('pods', 10_000);
const WATCHERS = numFlag('watchers', 500);
const WATCH_WRITES = numFlag('watch-writes', 200);
const LISTS = numFlag('lists', 10);
const CLIENTS = 50;

const pod = (name: string, extra: Record<string, string> = {}) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, labels: { app: 'bench' }, annotations: extra },
  spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

async function timed(fn: () => Promise<void>, out: number[]): Promise<void> {
  const t0 = performance.now();
  await fn();
  out.push(performance.now() - t0);
}

async function main(): Promise<void> {
  await ensureTestPki();
  setGlobalDispatcher(testDispatcher(testPki().admin)); // plain fetch (readyz) as the admin, over TLS
  console.log('building store and apiserver (tsc -b)...');
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'packages/store', 'packages/apiserver'], { cwd: repoRoot, stdio: 'inherit' });

  const store = await startTinyStore();
  const port = await freePort();
  const api = spawnProcess(process.execPath, [
    path.join(repoRoot, 'packages/apiserver/dist/main.js'),
    ...store.apiserverArgs, ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(port), '--log-level', 'warn',
  ]);
  const base = `https://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (api.child.exitCode !== null) throw new Error(`apiserver exited:\n${api.output()}`);
    return (await fetch(`${base}/readyz`)).ok;
  }, { timeoutMs: 30_000, what: 'apiserver /readyz' });
  const pool = new Pool(base, { connections: CLIENTS, pipelining: 1, connect: testTls() });
  const req = async (method: string, p: string, body?: string): Promise<{ status: number; text: string }> => {
    const r = await pool.request({ method: method as 'GET', path: p, body, headers: body ? { 'content-type': 'application/json' } : {} });
    return { status: r.statusCode, text: await r.body.text() };
  };
  const results: Record<string, string> = {};
  try {
    // 1. creates
    const createLat: number[] = [];
    let failures = 0;
    const t0 = performance.now();
    const created = await runConcurrent(PODS, CLIENTS, 120_000, async (i) => {
      await timed(async () => {
        const r = await req('POST', '/api/v1/namespaces/default/pods', pod(`p-${i}`));
        if (r.status !== 201) failures++;
      }, createLat);
    });
    const createSecs = (performance.now() - t0) / 1000;
    const c = summarize(createLat);
    const createRate = created / createSecs;
    console.log(`creates: ${created} in ${createSecs.toFixed(1)} s, ${failures} failed`);

    // 2. gets
    const getLat: number[] = [];
    const g0 = performance.now();
    const gets = await runConcurrent(Math.min(created, 10_000), CLIENTS, 30_000, async (i) => {
      await timed(async () => { await req('GET', `/api/v1/namespaces/default/pods/p-${i}`); }, getLat);
    });
    const getRate = gets / ((performance.now() - g0) / 1000);
    const g = summarize(getLat);

    // 3. lists of everything
    const listLat: number[] = [];
    let listed = 0;
    for (let i = 0; i < LISTS; i++) {
      await timed(async () => {
        const r = await req('GET', '/api/v1/namespaces/default/pods');
        listed = (JSON.parse(r.text) as { items: unknown[] }).items.length;
      }, listLat);
    }
    const l = summarize(listLat);
    const rss = await rssMb(api.pid);

    // 4. write → 500 watchers
    const w = await watchDelay(base, req);

    const fmt = (s: LatencySummary) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`;
    const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    results['pod creates, 50 clients'] = `${createRate.toFixed(0)}/s, ${fmt(c)}   target ≥1000/s, p99 ≤50 ms: ${mark(createRate >= 1000 && c.p99 <= 50)}`;
    results['pod gets, 50 clients'] = `${getRate.toFixed(0)}/s, ${fmt(g)}`;
    results[`list of ${listed} pods`] = `${fmt(l)}   target p99 ≤300 ms: ${mark(l.p99 <= 300)}`;
    results[`write → ${WATCHERS} watchers`] = `${fmt(w)} (${w.n} deliveries)   target p99 ≤100 ms: ${mark(w.p99 <= 100)}`;
    results[`apiserver RSS, ${listed} pods`] = `${rss.toFixed(0)} MB   target ≤300 MB: ${mark(rss <= 300)}`;
    console.log('\ntinykube-apiserver on tinykube-store (this machine, one client process; TLS on: https + client certs to the apiserver and the store)');
    for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(28)} ${v}`);
  } finally {
    await pool.close();
    await api.stop();
    await store.close();
  }
}

/** Opens WATCHERS watches on namespace `watch`, then writes WATCH_WRITES ConfigMaps stamped with the send time. */
async function watchDelay(base: string, req: (m: string, p: string, b?: string) => Promise<{ status: number; text: string }>): Promise<LatencySummary> {
  await req('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watch' } }));
  const list = JSON.parse((await req('GET', '/api/v1/namespaces/watch/configmaps')).text) as { metadata: { resourceVersion: string } };
  const delays: number[] = [];
  const agent = new https.Agent({ keepAlive: false, maxSockets: Infinity, ...testTls() });
  type Ev = { type: string; object: { data?: { sent?: string } } };
  const streams = Array.from({ length: WATCHERS }, () =>
    watchStream<Ev>(`${base}/api/v1/namespaces/watch/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (ev) => {
      const sent = ev.object.data?.sent;
      if (ev.type === 'ADDED' && sent) delays.push(performance.timeOrigin + performance.now() - Number(sent));
    }, agent));
  let opened = 0;
  for (const s of streams) void s.opened.then(() => opened++);
  await waitFor(() => opened === WATCHERS, { timeoutMs: 30_000, what: `${WATCHERS} watches open` });
  for (let i = 0; i < WATCH_WRITES; i++) {
    const sent = String(performance.timeOrigin + performance.now());
    await req('POST', '/api/v1/namespaces/watch/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { sent } }));
    await new Promise((r) => setTimeout(r, 10)); // ~100 writes/s: measure delivery delay, not queueing of a burst
  }
  const expected = WATCHERS * WATCH_WRITES;
  await waitFor(() => delays.length >= expected, { timeoutMs: 30_000, what: 'all watch deliveries' }).catch(() => {});
  for (const s of streams) s.close();
  // Undelivered events count as infinitely late.
  while (delays.length < expected) delays.push(Infinity);
  return summarize(delays);
}

await main();
