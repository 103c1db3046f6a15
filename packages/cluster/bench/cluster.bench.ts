// `npm run bench:cluster` — the local cluster as `npm start` runs it (built dist/), measured:
//   1. time from starting tinykube-up to four Ready nodes (target ≤ 5 s; kind needs about 33 s for one node)
//   2. memory of the idle 1+3 cluster, all its processes together: PSS (from /proc/PID/smaps_rollup, shared pages
//      counted once) and RSS (target ≤ 500 MB PSS)
//   3. pod start-up latency for 100 pods (creation until Running and Ready is observed through a watch): p50, p99
//      (Kubernetes' SLO: p99 ≤ 5 s; our target p99 ≤ 1 s)
// Flags: --pods N (100), --settle-ms N (idle time before measuring memory, 10000).
// TLS is on, as `npm start` runs the cluster: it makes its own PKI in its data dir (so no testkit PKI here) and the
// bench talks https to the apiserver as the admin of <data-dir>/kubeconfig (apiFromKubeconfig for requests, an
// https.Agent with the same credentials for the watch). ServiceAccount admission refuses pods until the
// controller-manager made default/default, so the bench waits for it before the pod start-up phase.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadKubeconfig } from '@tinykube/client';
import { apiFromKubeconfig, type ApiTarget } from '@tinykube/cluster';
import { freePort, numFlag, repoRoot, spawnProcess, summarize, waitFor, watchStream } from '@tinykube/testkit';

const PODS = numFlag('pods', 100);
const SETTLE_MS = numFlag('settle-ms', 10_000);
const PREFIX = '127.0.3';

/** Every process descended from `root` (by ppid), root included. */
function tree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parent) if (ppid === out[i]) out.push(pid);
  return out;
}

function memoryOf(pids: number[]): { pssMb: number; rssMb: number } {
  let pss = 0;
  let rss = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch { /* gone */ }
  }
  return { pssMb: pss / 1024, rssMb: rss / 1024 };
}

async function podStartup(api: ApiTarget, agent: https.Agent): Promise<number[]> {
  const created = new Map<string, number>();
  const latencies: number[] = [];
  type Ev = { object: { metadata: { name: string }; status?: { phase?: string; conditions?: { type: string; status: string }[] } } };
  const watch = watchStream<Ev>(`${api.server}/api/v1/namespaces/default/pods?watch=true&labelSelector=bench%3Dstartup`, (ev) => {
    const o = ev.object;
    const t0 = created.get(o.metadata.name);
    const ready = o.status?.phase === 'Running' && o.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (t0 !== undefined && ready) {
      latencies.push(performance.now() - t0);
      created.delete(o.metadata.name);
    }
  }, agent);
  await watch.opened; // the watch is open before the first create
  await Promise.all(Array.from({ length: PODS }, async (_, i) => {
    const name = `startup-${i}`;
    created.set(name, performance.now());
    const res = await api.fetch('/api/v1/namespaces/default/pods', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { bench: 'startup' } }, spec: { containers: [{ name: 'p', image: 'registry.k8s.io/pause:3.10' }] } }),
    });
    if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${await res.text()}`);
  }));
  await waitFor(() => latencies.length >= PODS, { timeoutMs: 120_000, what: `${PODS} pods Running and Ready` });
  watch.close();
  return latencies;
}

async function main(): Promise<void> {
  console.log('building (tsc -b)...');
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tk-bench-cluster-'));
  const apiPort = await freePort();
  const t0 = performance.now();
  const up = spawnProcess(process.execPath, [
    path.join(repoRoot, 'packages/cluster/dist/main.js'), '--data-dir', dataDir, '--node-ip-prefix', PREFIX,
    '--apiserver-port', String(apiPort), '--store-port', String(await freePort()),
  ]);
  try {
    await waitFor(() => up.output().includes('is up'), { timeoutMs: 120_000, intervalMs: 10, what: 'four Ready nodes' });
    const upSecs = (performance.now() - t0) / 1000;
    const kubeconfig = path.join(dataDir, 'kubeconfig');
    const api = apiFromKubeconfig(kubeconfig);
    const { tls } = loadKubeconfig({ kubeconfig });
    const agent = new https.Agent({ ca: tls.ca, cert: tls.cert, key: tls.key, servername: tls.servername, rejectUnauthorized: !tls.insecureSkipTlsVerify });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const pids = tree(up.pid);
    const idle = memoryOf(pids);
    await waitFor(async () => (await api.fetch('/api/v1/namespaces/default/serviceaccounts/default')).ok, { timeoutMs: 60_000, what: 'ServiceAccount default/default' });
    const startup = summarize(await podStartup(api, agent));
    const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    console.log(`\ntinykube local cluster (1 control plane + 3 workers, TLS on: ${api.server}, this machine)`);
    console.log(`  npm start → 4 Ready nodes     ${upSecs.toFixed(1)} s   target ≤5 s: ${mark(upSecs <= 5)} (kind: ~33 s for one node)`);
    console.log(`  idle memory, ${pids.length} processes     PSS ${idle.pssMb.toFixed(0)} MB, RSS ${idle.rssMb.toFixed(0)} MB   target ≤500 MB PSS: ${mark(idle.pssMb <= 500)}`);
    console.log(`  pod start-up, ${PODS} pods        p50 ${startup.p50.toFixed(0)} ms, p99 ${startup.p99.toFixed(0)} ms, max ${startup.max.toFixed(0)} ms   target p99 ≤1000 ms: ${mark(startup.p99 <= 1000)} (Kubernetes SLO 5 s)`);
  } finally {
    await up.stop(30_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
