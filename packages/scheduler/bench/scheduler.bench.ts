// Scheduler throughput: real etcd + apiserver + tinykube-scheduler, N nodes, P pending pods.
// Creates the nodes and pods first, then starts the scheduler and measures how fast pods get
// bound (first bind → last bind), as kube's scheduler_perf does.
//
//   node --conditions=tinykube-src --import tsx packages/scheduler/bench/scheduler.bench.ts \
//     [--nodes 5000] [--pods 5000] [--target 1000]
//
// Prints one JSON line ("tls": true: the store and the apiserver serve https with client-cert auth on testkit's
// PKI, made for this process by ensureTestPki; the scheduler runs as system:kube-scheduler, the bench as the admin);
// exits 1 when the rate is below --target.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setGlobalDispatcher } from 'undici';
import { RestClient, type ObjectLike } from '@tinykube/client';
import {
  apiserverTlsArgs, ensureTestPki, freePort, spawnComponent, startRealEtcd, startTinyStore, testDispatcher, testPki, testTls, waitFor, writeTestKubeconfig,
} from '@tinykube/testkit';
import { nodesResource, podsResource } from '../src/rest-api.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '5000' },
    target: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    store: { type: 'string', default: 'tiny' },
  },
});
const NODES = Number(values.nodes);
const PODS = Number(values.pods);
const TARGET = Number(values.target);
const CONCURRENCY = Number(values.concurrency);

async function pool(n: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

await ensureTestPki();
setGlobalDispatcher(testDispatcher(testPki().admin)); // plain fetch (readyz, the apiserver's /metrics) as the admin
const dir = mkdtempSync(path.join(tmpdir(), 'tk-sched-bench-'));
// The built-in store by default (what `npm start` runs); --store etcd for a real etcd.
const etcd = values.store === 'etcd' ? await startRealEtcd() : await startTinyStore();
const port = await freePort();
const apiserver = spawnComponent('apiserver', [...etcd.apiserverArgs, ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(port), '--log-level', 'warn']);
const server = `https://127.0.0.1:${port}`;
let scheduler: ReturnType<typeof spawnComponent> | undefined;
const client = new RestClient({ server, timeoutMs: 60_000, tls: testTls() });
try {
  await waitFor(async () => {
    if (apiserver.child.exitCode !== null) throw new Error(`apiserver exited:\n${apiserver.output()}`);
    return (await fetch(`${server}/readyz`)).ok;
  }, { timeoutMs: 60_000, what: 'apiserver ready' });
  const kubeconfig = path.join(dir, 'kubeconfig');
  // the scheduler as itself (system:kube-scheduler), as kubeadm runs it
  await writeTestKubeconfig(kubeconfig, server, testPki().scheduler);

  const t0 = performance.now();
  await pool(NODES, async (i) => {
    const name = `node-${i}`;
    await client.create(nodesResource, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, zone: `z${i % 3}` } } });
    const status = {
      allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
      capacity: { cpu: '32', memory: '128Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    };
    await client.patch(nodesResource, name, { status }, 'merge', { subresource: 'status' });
  });
  const tNodes = performance.now();
  await pool(PODS, async (i) => {
    await client.create(podsResource, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    });
  });
  const tPods = performance.now();

  // Watch binds from the pods' current resourceVersion.
  const list = await client.list(podsResource, { namespace: 'default', limit: 1 });
  let bound = 0;
  let firstBind = 0;
  let lastBind = 0;
  const watchStop = new AbortController();
  const watching = (async () => {
    for await (const ev of client.watch<ObjectLike & { spec?: { nodeName?: string } }>(podsResource, {
      namespace: 'default',
      resourceVersion: list.metadata.resourceVersion,
      signal: watchStop.signal,
    })) {
      if (ev.type === 'MODIFIED' && ev.object.spec?.nodeName) {
        bound++;
        lastBind = performance.now();
        if (bound === 1) firstBind = lastBind;
        if (bound >= PODS) break;
      }
    }
  })();
  const tStart = performance.now();
  scheduler = spawnComponent('scheduler', ['--kubeconfig', kubeconfig, '--port', '0', '--leader-elect=false', '--log-level', 'info']);
  await waitFor(() => bound >= PODS, { timeoutMs: 600_000, intervalMs: 100, what: `all ${PODS} pods bound (${bound} so far)` });
  watchStop.abort();
  await watching.catch(() => {});
  const rate = (PODS - 1) / ((lastBind - firstBind) / 1000);
  // CPU each process spent (prom-client's default process metrics): the per-pod cost, which
  // stays meaningful when other work on the machine slows the wall clock down.
  const cpuOf = async (url: string): Promise<number> => {
    const text = await (await fetch(url)).text();
    const m = /^process_cpu_seconds_total (\S+)$/m.exec(text);
    return m ? +Number(m[1]).toFixed(2) : NaN;
  };
  /** p99 of a pod's scheduling attempt (filters, scores, assume; binding is asynchronous), from the histogram's buckets. */
  const attemptP99Ms = async (url: string): Promise<number> => {
    const text = await (await fetch(url)).text();
    const buckets = [...text.matchAll(/^scheduler_scheduling_attempt_duration_seconds_bucket\{(?:[^}]*,)?le="([^"]+)"[^}]*\} (\S+)$/gm)]
      .map((m) => ({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), n: Number(m[2]) }));
    const byLe = new Map<number, number>();
    for (const b of buckets) byLe.set(b.le, (byLe.get(b.le) ?? 0) + b.n);
    const sorted = [...byLe.entries()].sort((a, b) => a[0] - b[0]);
    const total = sorted.at(-1)?.[1] ?? 0;
    const hit = sorted.find(([, n]) => n >= 0.99 * total);
    if (process.env.BENCH_DEBUG) console.error(JSON.stringify(sorted.map(([le, n]) => [String(le), n])));
    return hit ? hit[0] * 1000 : NaN;
  };
  const line = scheduler.output().split('\n').find((l) => l.includes('scheduler serving healthz and metrics'));
  const schedPort = line ? (JSON.parse(line) as { port: number }).port : 0;
  const result = {
    nodes: NODES,
    pods: PODS,
    setupNodesS: +((tNodes - t0) / 1000).toFixed(1),
    setupPodsS: +((tPods - tNodes) / 1000).toFixed(1),
    startToFirstBindS: +((firstBind - tStart) / 1000).toFixed(2),
    podsPerSecond: Math.round(rate),
    /** upper bucket bound containing the 99th percentile of scheduling attempts */
    attemptP99Ms: schedPort ? await attemptP99Ms(`http://127.0.0.1:${schedPort}/metrics`) : NaN,
    store: values.store,
    tls: true,
    schedulerCpuS: schedPort ? await cpuOf(`http://127.0.0.1:${schedPort}/metrics`) : NaN,
    apiserverCpuS: await cpuOf(`${server}/metrics`),
    target: TARGET,
    ok: rate >= TARGET,
  };
  console.log(JSON.stringify(result));
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await scheduler?.stop();
  await apiserver.stop();
  await client.close();
  await etcd.close();
  rmSync(dir, { recursive: true, force: true });
}
