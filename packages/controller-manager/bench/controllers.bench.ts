// `npm run bench:controllers` — a Deployment scaled out by the control plane, measured from outside.
//
// Starts tinykube-store, -apiserver, -scheduler and -controller-manager from their builds (dist/, built first with
// tsc -b) on 127.0.0.1, registers 100 Nodes through the API (Ready, allocatable cpu 32 / memory 128Gi / pods 110,
// Leases renewed by the bench; no kubelets), then creates a 1,000-replica Deployment of the pause image and
// watches its pods: the time from the create to the 1,000th pod with spec.nodeName set (target ≤ 10 s), and
// pods created/bound per time slice as the watch saw them. Flags: --nodes N (100), --replicas N (1000),
// --timeout-ms N (120000).
// TLS is on (see control-plane.ts): the bench talks https to the apiserver as the admin — plain fetch through
// undici's global dispatcher, the watch through an https.Agent — and the components use their own identities.
import https from 'node:https';
import { setGlobalDispatcher } from 'undici';
import { ensureTestPki, numFlag, testDispatcher, testTls, waitFor, watchStream } from '@tinykube/testkit';
import { Api } from '../test/api.js';
import { buildDist, startControlPlane } from './control-plane.js';
import { FakeNodes } from './fake-nodes.js';

const NODES = numFlag('nodes', 100);
const REPLICAS = numFlag('replicas', 1000);
const TIMEOUT_MS = numFlag('timeout-ms', 120_000);
const LABEL = 'bench-controllers';

interface PodLite { metadata: { name: string }; spec?: { nodeName?: string } }

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: LABEL, namespace: 'default' },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: LABEL } },
    template: { metadata: { labels: { app: LABEL } }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }] } },
  },
};

/** Counts of `times` (ms since t0) per slice of `sliceMs`, up to `endMs`. */
function histogram(times: number[], sliceMs: number, endMs: number): number[] {
  const out = new Array<number>(Math.max(1, Math.ceil(endMs / sliceMs))).fill(0);
  for (const t of times) out[Math.min(out.length - 1, Math.floor(t / sliceMs))]++;
  return out;
}

async function main(): Promise<void> {
  const pki = await ensureTestPki();
  setGlobalDispatcher(testDispatcher(pki.admin));
  buildDist(['store', 'apiserver', 'scheduler', 'controller-manager']);
  const cp = await startControlPlane();
  const api = new Api(cp.server);
  const nodes = new FakeNodes(api, NODES);
  try {
    const r0 = performance.now();
    await nodes.register();
    nodes.startRenewing();
    console.log(`registered ${NODES} nodes in ${((performance.now() - r0) / 1000).toFixed(1)} s`);
    // Node IPAM having given every node a pod CIDR shows the controllers' caches hold them all; a not-ready taint
    // that node lifecycle may have set before the Ready status arrived must be gone again.
    await waitFor(async () => (await api.list('/api/v1/nodes')).filter((n) => n.spec?.podCIDR && !(n.spec.taints ?? []).length).length === NODES,
      { timeoutMs: 30_000, what: 'pod CIDRs and no taints on every node' });

    const created = new Map<string, number>();
    const bound = new Map<string, number>();
    let t0 = 0;
    const rv = (await api.must('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${LABEL}`)).metadata.resourceVersion as string;
    const watch = watchStream<{ type: string; object: PodLite }>(`${cp.server}/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3D${LABEL}&resourceVersion=${rv}`, (ev) => {
      const now = performance.now() - t0;
      const { name } = ev.object.metadata;
      if (!created.has(name)) created.set(name, now);
      if (ev.object.spec?.nodeName && !bound.has(name)) bound.set(name, now);
    }, new https.Agent(testTls()));
    await watch.opened;
    t0 = performance.now();
    await api.must('POST', '/apis/apps/v1/namespaces/default/deployments', deployment);
    const done = await waitFor(() => bound.size >= REPLICAS, { timeoutMs: TIMEOUT_MS, intervalMs: 5, what: `${REPLICAS} pods bound` }).then(() => true, () => false);
    const endMs = performance.now() - t0;
    watch.close();

    const createdTimes = [...created.values()].sort((a, b) => a - b);
    const boundTimes = [...bound.values()].sort((a, b) => a - b);
    const allBoundMs = done ? boundTimes[REPLICAS - 1] : Infinity;
    const allCreatedMs = createdTimes.length >= REPLICAS ? createdTimes[REPLICAS - 1] : Infinity;
    const perNode = new Map<string, number>();
    const sliceMs = Math.max(1000, Math.ceil(endMs / 12 / 1000) * 1000);
    const c = histogram(createdTimes, sliceMs, endMs);
    const b = histogram(boundTimes, sliceMs, endMs);
    const pods = await api.list<PodLite>(`/api/v1/namespaces/default/pods?labelSelector=app%3D${LABEL}`);
    for (const p of pods) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    const spread = [...perNode.values()];
    const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'never');

    console.log(`\ntinykube controllers: ${REPLICAS}-replica Deployment on ${NODES} nodes (store + apiserver + scheduler + controller-manager processes, TLS on, this machine)`);
    console.log(`  create → ${REPLICAS} pods bound         ${s(allBoundMs)}   target ≤10 s: ${mark(allBoundMs <= 10_000)}`);
    console.log(`  create → ${REPLICAS} pods created       ${s(allCreatedMs)}   (${(REPLICAS / (allCreatedMs / 1000)).toFixed(0)} pods/s)`);
    console.log(`  first pod created / bound       ${s(createdTimes[0] ?? Infinity)} / ${s(boundTimes[0] ?? Infinity)}`);
    console.log(`  bound at the end                ${bound.size}/${REPLICAS} on ${perNode.size} nodes (min ${Math.min(...spread)}, max ${Math.max(...spread)} per node)`);
    console.log(`  per ${sliceMs / 1000} s slice (as the watch saw it):`);
    console.log(`    ${'slice'.padEnd(12)}${'created/s'.padStart(10)}${'bound/s'.padStart(10)}`);
    for (let i = 0; i < c.length; i++) {
      const from = (i * sliceMs) / 1000;
      const to = Math.min(from + sliceMs / 1000, endMs / 1000); // the last slice ends with the bench
      const rate = (n: number) => (n / (to - from)).toFixed(0).padStart(10);
      console.log(`    ${`${from}–${to.toFixed(i === c.length - 1 ? 1 : 0)} s`.padEnd(12)}${rate(c[i])}${rate(b[i])}`);
    }
    if (nodes.errors.length) console.log(`  lease renewal errors: ${nodes.errors.length} (first: ${nodes.errors[0]})`);
  } finally {
    await nodes.stop();
    await cp.stop();
  }
}

await main();
