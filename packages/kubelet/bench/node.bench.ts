// `npm run bench:node` — the node side: kubelets with the process runtime, kube-proxy, hollow nodes.
//
// Starts tinykube-store, -apiserver, -scheduler and -controller-manager from their builds (dist/, built first with
// tsc -b; service CIDR 127.99.0.0/16, node IPAM from 127.9.0.0/16), three tinykube-kubelet processes (node IPs
// 127.0.9.1–3) and one tinykube-proxy, then measures:
//   c1. an idle kubelet's RSS once the nodes settled (target ≤ 80 MB)
//   b.  an HTTP server on 127.0.9.10, directly and through a Service's ClusterIP (Endpoints written by the bench):
//       p50/p99 of a new connection + request and of requests on a kept-alive connection, and requests/s
//       (target ≤ 0.2 ms added at p50 on the kept-alive connection)
//   a.  pod start-up latency of 100 pause pods created at once (creation until Running and Ready is seen through a
//       watch): p50, p99 (target p99 ≤ 1 s; Kubernetes' SLO is 5 s)
//   c2. RSS of one process running 500 hollow nodes (startHollowNodes) once they are all Ready (target ≤ 1 GB)
// Flags: --pods N (100), --settle-ms N (10000), --hollow N (500), --requests N (2000, kept-alive; a fifth of
// that with new connections), --concurrency N (16), --throughput-ms N (3000).
// TLS is on (see control-plane.ts for the control plane): each kubelet runs as system:node:<name> with its own
// client certificate and serves https with a CA-signed serving certificate (nodeCredentials), kube-proxy runs as
// system:kube-proxy, and the bench talks https as the admin (fetch through undici's global dispatcher, the watch
// through an https.Agent). The hollow-node process uses the admin's certificate for all its nodes (see
// hollow-nodes.ts). The backend and the ClusterIP of part b are plain http, as before.
import { mkdirSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { setGlobalDispatcher } from 'undici';
import {
  ensureTestPki, nodeCredentials, numFlag, repoRoot, rssMb, spawnProcess, summarize, testDispatcher, testPki, testTls, waitFor, watchStream,
  writeTestKubeconfig, type LatencySummary, type Proc,
} from '@tinykube/testkit';
import { buildDist, spawnDist, startControlPlane, type ControlPlane } from '../../controller-manager/bench/control-plane.js';
import { Api } from '../../controller-manager/test/api.js';
import { killContainersUnder } from './leftovers.js';
import { compareProxy, startBackend, type PathFigures } from './proxy-latency.js';

const PODS = numFlag('pods', 100);
const SETTLE_MS = numFlag('settle-ms', 10_000);
const HOLLOW = numFlag('hollow', 500);
const REQUESTS = numFlag('requests', 2000);
const CONCURRENCY = numFlag('concurrency', 16);
const THROUGHPUT_MS = numFlag('throughput-ms', 3000);
const NODE_IP = (i: number) => `127.0.9.${i}`;
const BACKEND_IP = '127.0.9.10';
const REFERENCE_SCRIPT = "await import('fastify'); await import('undici'); await import('zod'); setInterval(() => {}, 1 << 30);";

interface NodeLite { metadata: { name: string }; spec?: { podCIDR?: string }; status?: { conditions?: { type: string; status: string }[] } }
interface PodLite { metadata: { name: string }; spec?: { nodeName?: string }; status?: { phase?: string; conditions?: { type: string; status: string }[] } }

const isReady = (conds: { type: string; status: string }[] | undefined) => (conds ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (p: Proc, what: string) => {
  if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`${what} exited:\n${p.output().slice(-4000)}`);
};

/** A kubelet as kubeadm runs it: its own identity (system:node:NAME), https on its port with a CA-signed cert. */
async function startKubelet(cp: ControlPlane, i: number): Promise<Proc> {
  const name = `bench-node-${i}`;
  const root = path.join(cp.dir, `kubelet-${i}`);
  mkdirSync(root, { recursive: true });
  const creds = await nodeCredentials(name, NODE_IP(i));
  const kubeconfig = await writeTestKubeconfig(path.join(cp.dir, `kubelet-${i}.conf`), cp.server, creds.client);
  return spawnDist('kubelet', [
    '--kubeconfig', kubeconfig, '--node-name', name, '--node-ip', NODE_IP(i), '--root-dir', root,
    '--tls-cert-file', creds.serving.cert, '--tls-private-key-file', creds.serving.key, '--client-ca-file', testPki().ca.cert,
    '--port', '0', '--log-level', 'warn',
  ]);
}

/**
 * Creates PODS pause pods at once; each one's latency runs from just before its POST to Running + Ready on the
 * watch (`ready`); `scheduled` is the part until spec.nodeName was seen.
 */
async function podStartup(api: Api, server: string): Promise<{ ready: number[]; scheduled: number[] }> {
  const created = new Map<string, number>();
  const latencies: number[] = [];
  const scheduled = new Map<string, number>();
  const rv = (await api.must('GET', '/api/v1/namespaces/default/pods')).metadata.resourceVersion as string;
  const watch = watchStream<{ type: string; object: PodLite }>(`${server}/api/v1/namespaces/default/pods?watch=true&labelSelector=bench%3Dstartup&resourceVersion=${rv}`, (ev) => {
    const o = ev.object;
    const t0 = created.get(o.metadata.name);
    if (t0 !== undefined && o.spec?.nodeName && !scheduled.has(o.metadata.name)) scheduled.set(o.metadata.name, performance.now() - t0);
    if (t0 !== undefined && o.status?.phase === 'Running' && isReady(o.status.conditions)) {
      latencies.push(performance.now() - t0);
      created.delete(o.metadata.name);
    }
  }, new https.Agent(testTls()));
  try {
    await watch.opened;
    await Promise.all(Array.from({ length: PODS }, async (_, i) => {
      const name = `startup-${i}`;
      created.set(name, performance.now());
      await api.must('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { bench: 'startup' } }, spec: { containers: [{ name: 'p', image: 'registry.k8s.io/pause:3.10' }] },
      });
    }));
    await waitFor(() => latencies.length >= PODS, { timeoutMs: 60_000, what: `${PODS} pods Running and Ready` })
      .catch((err: Error) => console.log(`  ${err.message} (${latencies.length} were)`));
  } finally {
    watch.close();
  }
  while (latencies.length < PODS) latencies.push(Infinity); // never ready counts as infinitely late
  return { ready: latencies, scheduled: [...scheduled.values()] };
}

/** Deletes the start-up pods and waits until the kubelets confirmed it (their processes are gone). */
async function deletePods(api: Api): Promise<void> {
  await api.must('DELETE', '/api/v1/namespaces/default/pods?labelSelector=bench%3Dstartup');
  await waitFor(async () => (await api.list('/api/v1/namespaces/default/pods?labelSelector=bench%3Dstartup')).length === 0, { timeoutMs: 60_000, what: 'start-up pods deleted' })
    .catch((err: Error) => console.log(`  ${err.message}`));
}

async function proxyBench(api: Api): Promise<{ direct: PathFigures; proxied: PathFigures; clusterIP: string }> {
  const backend = await startBackend(BACKEND_IP);
  try {
    const svc = await api.must('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench-backend' },
      spec: { ports: [{ port: 80, targetPort: backend.port, protocol: 'TCP' }] },
    });
    await api.must('POST', '/api/v1/namespaces/default/endpoints', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'bench-backend' },
      subsets: [{ addresses: [{ ip: BACKEND_IP }], ports: [{ port: backend.port, protocol: 'TCP' }] }],
    });
    const clusterIP = svc.spec.clusterIP as string;
    await waitFor(async () => (await fetch(`http://${clusterIP}/`)).ok, { timeoutMs: 20_000, what: `kube-proxy serving ${clusterIP}:80` });
    const figures = await compareProxy(`http://${BACKEND_IP}:${backend.port}`, `http://${clusterIP}`, {
      freshRequests: Math.ceil(REQUESTS / 5), keptAliveRequests: REQUESTS, concurrency: CONCURRENCY, throughputMs: THROUGHPUT_MS,
    });
    return { ...figures, clusterIP };
  } finally {
    await backend.close();
  }
}

/** Starts HOLLOW hollow nodes in one process, waits for them all Ready, settles, and reads that process's RSS. */
async function hollowNodes(api: Api, cp: ControlPlane): Promise<{ rss: number; baseline: number; startSecs: number; readySecs: number }> {
  const { admin, ca } = testPki();
  const proc = spawnProcess(process.execPath, [
    '--import', 'tsx', path.join(repoRoot, 'packages/kubelet/bench/hollow-nodes.ts'),
    '--server', cp.server, '--count', String(HOLLOW), '--root-dir', path.join(cp.dir, 'hollow'), '--first-node-ip', '127.0.9.11',
    '--certificate-authority', ca.cert, '--client-certificate', admin.cert, '--client-key', admin.key,
  ]);
  const line = <T>(key: string): T | undefined => {
    for (const l of proc.output().split('\n')) if (l.startsWith(`{"${key}"`)) return JSON.parse(l) as T;
    return undefined;
  };
  try {
    const t0 = performance.now();
    const base = await waitFor(() => { alive(proc, 'hollow nodes'); return line<{ baselineRssMb: number }>('baselineRssMb'); }, { timeoutMs: 30_000, what: 'hollow-node process loaded' });
    const started = await waitFor(() => { alive(proc, 'hollow nodes'); return line<{ started: number; ms: number }>('started'); }, { timeoutMs: 90_000, intervalMs: 200, what: `${HOLLOW} hollow kubelets started` });
    await waitFor(async () => {
      alive(proc, 'hollow nodes');
      const nodes = await api.list<NodeLite>('/api/v1/nodes');
      return nodes.filter((n) => n.metadata.name.startsWith('hollow-') && isReady(n.status?.conditions)).length >= HOLLOW;
    }, { timeoutMs: 60_000, intervalMs: 500, what: `${HOLLOW} hollow nodes Ready` });
    const readySecs = (performance.now() - t0) / 1000;
    await sleep(SETTLE_MS); // past a lease renewal and a status check of every node
    alive(proc, 'hollow nodes');
    return { rss: await rssMb(proc.pid), baseline: base.baselineRssMb, startSecs: started.ms / 1000, readySecs };
  } finally {
    await proc.stop(15_000);
  }
}

async function main(): Promise<void> {
  await ensureTestPki();
  setGlobalDispatcher(testDispatcher(testPki().admin));
  buildDist(['store', 'apiserver', 'scheduler', 'controller-manager', 'kubelet', 'kube-proxy']);
  // /25 pod CIDRs: 512 of them, enough for the three kubelets and every hollow node (125 pod IPs each).
  const cp = await startControlPlane({ nodeCidrMaskSize: 25 });
  const api = new Api(cp.server);
  const kubelets: Proc[] = [];
  let proxy: Proc | undefined;
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'never');
  const pq = (s: LatencySummary) => `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`;
  try {
    for (const i of [1, 2, 3]) kubelets.push(await startKubelet(cp, i));
    await waitFor(async () => {
      kubelets.forEach((k, i) => alive(k, `kubelet ${i + 1}`));
      const nodes = (await api.list<NodeLite>('/api/v1/nodes')).filter((n) => n.metadata.name.startsWith('bench-node-'));
      return nodes.length === 3 && nodes.every((n) => n.spec?.podCIDR && isReady(n.status?.conditions));
    }, { timeoutMs: 30_000, what: 'three Ready nodes with pod CIDRs' });
    const proxyKubeconfig = await writeTestKubeconfig(path.join(cp.dir, 'kube-proxy.conf'), cp.server, testPki().kubeProxy);
    proxy = spawnDist('kube-proxy', [
      '--kubeconfig', proxyKubeconfig, '--node-name', 'bench-node-1', '--bind-address', NODE_IP(1), '--metrics-bind-address', '127.0.0.1:0', '--log-level', 'warn',
    ]);

    // c1. idle kubelets, beside a live reference: a bare Node.js that only loaded fastify, undici and zod.
    console.log(`3 nodes Ready; settling ${SETTLE_MS} ms...`);
    const reference = spawnProcess(process.execPath, ['--input-type=module', '-e', REFERENCE_SCRIPT]);
    await sleep(SETTLE_MS);
    const idle = await Promise.all(kubelets.map((k) => rssMb(k.pid)));
    const idleMax = Math.max(...idle);
    const referenceRss = await rssMb(reference.pid);
    await reference.stop();

    // b. kube-proxy
    console.log('kube-proxy: direct vs ClusterIP...');
    const p = await proxyBench(api);

    // a. pod start-up
    console.log(`pod start-up: ${PODS} pods...`);
    const podTimes = await podStartup(api, cp.server);
    const startup = summarize(podTimes.ready);
    const toBind = summarize(podTimes.scheduled);
    await deletePods(api);
    await proxy.stop();
    for (const k of kubelets) await k.stop();
    const leftover = killContainersUnder(cp.dir);

    // c2. hollow nodes
    console.log(`${HOLLOW} hollow nodes...`);
    const hollow = await hollowNodes(api, cp).catch((err: Error) => err);

    const addFresh = p.proxied.fresh.p50 - p.direct.fresh.p50;
    const addKept = p.proxied.keptAlive.p50 - p.direct.keptAlive.p50;
    lines.push(`  pod start-up, ${PODS} pods (3 kubelets)     min ${Math.min(...podTimes.ready).toFixed(0)} ms, p50 ${startup.p50.toFixed(0)} ms, p99 ${startup.p99.toFixed(0)} ms, max ${startup.max.toFixed(0)} ms   target p99 ≤1000 ms: ${mark(startup.p99 <= 1000)} (Kubernetes SLO 5 s)`);
    lines.push(`    of which creation → bound           p50 ${toBind.p50.toFixed(0)} ms, p99 ${toBind.p99.toFixed(0)} ms (${toBind.n} pods)`);
    lines.push(`  kube-proxy, new connection + request  direct ${pq(p.direct.fresh)} | ClusterIP ${pq(p.proxied.fresh)} | added p50 ${ms(addFresh)}, p99 ${ms(p.proxied.fresh.p99 - p.direct.fresh.p99)}`);
    lines.push(`  kube-proxy, kept-alive request        direct ${pq(p.direct.keptAlive)} | ClusterIP ${pq(p.proxied.keptAlive)} | added p50 ${ms(addKept)}, p99 ${ms(p.proxied.keptAlive.p99 - p.direct.keptAlive.p99)}   target ≤0.2 ms added at p50 (kept-alive): ${mark(addKept <= 0.2)}`);
    lines.push(`  kube-proxy, requests/s (${CONCURRENCY} conns)    direct ${p.direct.rps.toFixed(0)}/s | ClusterIP ${p.proxied.rps.toFixed(0)}/s (${((p.proxied.rps / p.direct.rps) * 100).toFixed(0)}%)`);
    lines.push(`  idle kubelet RSS (after ${SETTLE_MS / 1000} s)       max ${idleMax.toFixed(0)} MB (${idle.map((r) => r.toFixed(0)).join(', ')})   target ≤80 MB: ${mark(idleMax <= 80)} (idle Node.js with fastify, undici, zod loaded: ${referenceRss.toFixed(0)} MB now; 76–91 MB in the brief)`);
    if (hollow instanceof Error) lines.push(`  ${HOLLOW} hollow nodes, one process      FAILED: ${hollow.message.split('\n')[0]}`);
    else lines.push(`  ${HOLLOW} hollow nodes, one process      RSS ${hollow.rss.toFixed(0)} MB (${((hollow.rss - hollow.baseline) / HOLLOW).toFixed(2)} MB/node over ${hollow.baseline.toFixed(0)} MB after imports; started in ${hollow.startSecs.toFixed(1)} s, all Ready at ${hollow.readySecs.toFixed(1)} s)   target ≤1 GB: ${mark(hollow.rss <= 1024)}`);
    if (leftover) lines.push(`  (killed ${leftover} container processes left after the kubelets stopped)`);
    console.log(`\ntinykube node: kubelets (process runtime), kube-proxy (ClusterIP ${p.clusterIP}), hollow nodes — TLS on, this machine`);
    for (const l of lines) console.log(l);
    if (hollow instanceof Error) console.log(`\nhollow nodes failure:\n${hollow.message}`);
  } finally {
    await proxy?.stop();
    for (const k of kubelets) await k.stop();
    killContainersUnder(cp.dir);
    await cp.stop();
  }
}

await main();
