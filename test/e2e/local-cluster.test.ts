// The seed's story, end to end, on the local shape: `tinykube-up` (what `npm start` runs) starts one control-plane
// node and three workers as kubelet processes on loopback addresses; the control plane runs as static pods.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeletPid as findKubelet, runningContainers } from '@tinykube/cluster';
import { freePort, repoRoot, spawnProcess, waitFor, type Proc } from '@tinykube/testkit';
import { controlPlaneMirrorPods, isReady, kube, kubectl, mirrorPodNode, tkctl, type Kube, type PodView } from './kube.js';

const PREFIX = '127.0.2'; // node IPs 127.0.2.1-4: apart from a developer's `npm start` (127.0.1.x)
const NODES = ['control-plane', 'worker-1', 'worker-2', 'worker-3'];
const WORKERS = NODES.slice(1);

const deployment = (image: string, replicas: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 2,
        // Evict quickly from an unreachable node (the default is 300 s).
        tolerations: [
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
        ],
        containers: [{
          name: 'web', image, args: ['netexec', '--http-port=8080'], ports: [{ containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
        }],
      },
    },
  },
});

describe('a local four-node cluster (npm start shape)', () => {
  let dataDir: string;
  let up: Proc;
  let k: Kube;
  let server: string;
  let kubeconfig: string;

  const pods = async (ns: string, selector = ''): Promise<PodView[]> =>
    (await k.get<{ items: PodView[] }>(`/api/v1/namespaces/${ns}/pods${selector ? `?labelSelector=${encodeURIComponent(selector)}` : ''}`)).body.items;
  const readyWeb = async () => (await pods('default', 'app=web')).filter((p) => isReady(p) && !p.metadata.deletionTimestamp);
  const nodeReady = async (name: string) => {
    const n = (await k.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/api/v1/nodes/${name}`)).body;
    return n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tk-e2e-local-'));
    const apiPort = await freePort();
    const storePort = await freePort();
    up = spawnProcess(process.execPath, [
      path.join(repoRoot, 'packages/cluster/dist/main.js'), '--data-dir', dataDir, '--node-ip-prefix', PREFIX,
      '--apiserver-port', String(apiPort), '--store-port', String(storePort),
    ]);
    await waitFor(() => up.output().includes('is up'), { timeoutMs: 90_000, what: `the cluster to come up:\n${up.output().slice(-3000)}` });
    server = `https://${PREFIX}.1:${apiPort}`;
    kubeconfig = path.join(dataDir, 'kubeconfig');
    k = kube(kubeconfig);
  }, 120_000);

  afterAll(async () => {
    await up?.stop(30_000);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('has one control-plane node and three workers, all Ready; the control plane is tainted NoSchedule', async () => {
    const nodes = (await k.get<{ items: { metadata: { name: string }; spec: { taints?: { key: string; effect: string }[] } }[] }>('/api/v1/nodes')).body.items;
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(NODES);
    for (const n of NODES) expect(await nodeReady(n)).toBe('True');
    const cp = nodes.find((n) => n.metadata.name === 'control-plane')!;
    expect(cp.spec.taints).toContainEqual(expect.objectContaining({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }));
    for (const w of nodes.filter((n) => n.metadata.name !== 'control-plane')) expect(w.spec.taints ?? []).toEqual([]);
  });

  it('runs the control plane as mirror pods on the control-plane node and kube-proxy on every node', async () => {
    for (const p of await controlPlaneMirrorPods(pods, NODES)) {
      expect(p.metadata.annotations?.['kubernetes.io/config.mirror']).toBeTruthy();
      expect(p.spec.nodeName).toBe(mirrorPodNode(p));
    }
  });

  it('spreads a 6-replica Deployment over the workers only, two per worker; a tolerating pod may land on the control plane', async () => {
    expect((await k.post('/apis/apps/v1/namespaces/default/deployments', deployment('registry.k8s.io/e2e-test-images/agnhost:2.53', 6))).status).toBe(201);
    const ready = await waitFor(async () => { const r = await readyWeb(); return r.length === 6 && r; }, { timeoutMs: 60_000, what: '6 ready web pods' });
    const perNode = new Map<string, number>();
    for (const p of ready) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual(WORKERS);
    expect([...perNode.values()]).toEqual([2, 2, 2]);

    const tolerant = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'on-control-plane' },
      spec: {
        nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
        containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }],
      },
    };
    expect((await k.post('/api/v1/namespaces/default/pods', tolerant)).status).toBe(201);
    const p = await waitFor(async () => { const p = (await k.get<PodView>('/api/v1/namespaces/default/pods/on-control-plane')).body; return p.status?.phase === 'Running' && p; }, { timeoutMs: 30_000, what: 'the tolerating pod running' });
    expect(p.spec.nodeName).toBe('control-plane');
  });

  it('serves a NodePort Service on every node IP, spread over the pods, and a ClusterIP from a pod on another node', async () => {
    const svc = await k.post<{ spec: { clusterIP: string; ports: { nodePort: number }[] } }>('/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    expect(svc.status).toBe(201);
    const { clusterIP } = svc.body.spec;
    const nodePort = svc.body.spec.ports[0].nodePort;
    const names = await readyWeb().then((r) => r.map((p) => p.metadata.name));
    const seen = new Set<string>();
    for (let i = 1; i <= 4; i++) {
      const ip = `${PREFIX}.${i}`;
      await waitFor(async () => (await fetch(`http://${ip}:${nodePort}/hostname`, { signal: AbortSignal.timeout(2_000) })).ok, { timeoutMs: 30_000, what: `NodePort on ${ip}` });
      for (let j = 0; j < 6; j++) {
        // a new connection per request: kube-proxy balances connections
        const res = await fetch(`http://${ip}:${nodePort}/hostname`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(2_000) });
        const host = await res.text();
        expect(names).toContain(host);
        seen.add(host);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);

    // From a pod on worker-1, through its netexec /shell, to the ClusterIP: answered by some web pod.
    const from = (await readyWeb()).find((p) => p.spec.nodeName === 'worker-1')!;
    const cmd = encodeURIComponent(`curl -s --max-time 2 http://${clusterIP}/hostname`);
    const out = await waitFor(async () => {
      const r = await fetch(`http://${from.status!.podIP}:8080/shell?cmd=${cmd}`, { signal: AbortSignal.timeout(5_000) });
      const body = (await r.json()) as { output?: string };
      return body.output && names.includes(body.output.trim()) && body.output.trim();
    }, { timeoutMs: 20_000, what: 'ClusterIP answer from a pod' });
    expect(names).toContain(out);
  });

  it('the real kubectl gets and applies against the same cluster', async () => {
    const kc = kubectl(kubeconfig);
    const nodes = await kc('get', 'nodes');
    expect(nodes.code).toBe(0);
    for (const n of NODES) expect(nodes.stdout).toMatch(new RegExp(`^${n}\\s+Ready`, 'm'));
    const wide = await kc('get', 'pods', '-n', 'kube-system', '-o', 'wide');
    expect(wide.stdout).toMatch(/kube-apiserver-control-plane\s+1\/1\s+Running/);
    const cm = path.join(dataDir, 'cm.yaml');
    writeFileSync(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e\ndata:\n  a: "1"\n');
    expect((await kc('apply', '-f', cm)).stdout).toContain('configmap/e2e created');
    expect((await kc('apply', '-f', cm)).stdout).toContain('configmap/e2e unchanged');
  });

  it('logs, exec and port-forward reach pods through the apiserver, with kubectl and tkctl', async () => {
    const kc = kubectl(kubeconfig);
    const pod = (await readyWeb())[0].metadata.name;
    // netexec logs each request it serves: make one, then read it back through the apiserver.
    const ip = (await k.get<PodView>(`/api/v1/namespaces/default/pods/${pod}`)).body.status!.podIP!;
    await fetch(`http://${ip}:8080/echo?msg=e2e-marker`);
    await waitFor(async () => (await kc('logs', pod)).stdout.includes('e2e-marker'), { timeoutMs: 15_000, what: 'kubectl logs shows the request' });
    const tk = await tkctl(kubeconfig, 'logs', pod, '--tail', '50');
    expect(tk.code).toBe(0);
    expect(tk.stdout).toContain('e2e-marker');

    const ex = await kc('exec', pod, '--', 'sh', '-c', 'echo hi-from-$POD_NAME; exit 3');
    expect(ex.stdout).toContain(`hi-from-${pod}`);
    expect(ex.code).toBe(3);
    const tex = await tkctl(kubeconfig, 'exec', pod, '--', 'sh', '-c', 'echo tk-$NODE_NAME');
    expect(tex.code).toBe(0);
    expect(tex.stdout).toMatch(/tk-worker-\d/);

    const local = await freePort();
    const pf = spawnProcess('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dataDir, 'kcache-pf'), 'port-forward', `pod/${pod}`, `${local}:8080`]);
    try {
      await waitFor(() => pf.output().includes('Forwarding from'), { timeoutMs: 30_000, what: `port-forward ready: ${pf.output()}` });
      const res = await fetch(`http://127.0.0.1:${local}/hostname`, { headers: { connection: 'close' } });
      expect(await res.text()).toBe(pod);
    } finally {
      await pf.stop();
    }
  }, 120_000);

  it('heals when a worker dies: NotReady, pods evicted and replaced elsewhere, 6 ready again; Ready when it returns', async () => {
    // "Kill" worker-3 by freezing its kubelet and its containers (SIGSTOP): it stops heartbeating and serving, as a
    // dead machine would; the launcher would restart a killed kubelet at once, a frozen one it leaves alone.
    const root = path.join(dataDir, 'nodes', 'worker-3');
    const kubeletPid = findKubelet(root);
    if (kubeletPid === undefined) throw new Error(`no kubelet running for ${root}`);
    const containers = runningContainers(root, pino({ level: 'silent' })).map((c) => c.pid);
    const onWorker3 = (await readyWeb()).filter((p) => p.spec.nodeName === 'worker-3').map((p) => p.metadata.name);
    expect(onWorker3.length).toBe(2);
    process.kill(kubeletPid, 'SIGSTOP');
    for (const pid of containers) process.kill(-pid, 'SIGSTOP');
    try {
      await waitFor(async () => (await nodeReady('worker-3')) === 'Unknown', { timeoutMs: 90_000, intervalMs: 500, what: 'worker-3 NotReady (Unknown)' });
      const healed = await waitFor(async () => {
        const r = await readyWeb();
        return r.length === 6 && r.every((p) => p.spec.nodeName !== 'worker-3') && r;
      }, { timeoutMs: 90_000, intervalMs: 500, what: '6 ready web pods off worker-3' });
      expect(healed.map((p) => p.metadata.name)).not.toEqual(expect.arrayContaining(onWorker3));
    } finally {
      for (const pid of containers) { try { process.kill(-pid, 'SIGCONT'); } catch { /* gone */ } }
      process.kill(kubeletPid, 'SIGCONT');
    }
    await waitFor(async () => (await nodeReady('worker-3')) === 'True', { timeoutMs: 60_000, intervalMs: 500, what: 'worker-3 Ready again' });
    const node = (await k.get<{ spec: { taints?: { key: string }[] } }>('/api/v1/nodes/worker-3')).body;
    await waitFor(async () => !((await k.get<{ spec: { taints?: { key: string }[] } }>('/api/v1/nodes/worker-3')).body.spec.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable'), { timeoutMs: 30_000, what: 'unreachable taint removed' });
    expect(node).toBeTruthy();
  }, 240_000);

  it('scales to 12 and back to 3, rolls out a new version within maxUnavailable, and rolls back', async () => {
    const scale = (n: number) => k.patch('/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: n } });
    expect((await scale(12)).status).toBe(200);
    await waitFor(async () => (await readyWeb()).length === 12, { timeoutMs: 90_000, intervalMs: 250, what: '12 ready' });
    expect((await scale(3)).status).toBe(200);
    await waitFor(async () => (await pods('default', 'app=web')).length === 3, { timeoutMs: 60_000, intervalMs: 250, what: 'back to 3 pods' });
    await waitFor(async () => (await readyWeb()).length === 3, { timeoutMs: 30_000, what: '3 ready' });

    // Rolling update: 3 replicas, maxUnavailable 1 → never fewer than 2 ready while it rolls.
    const patch = { spec: { template: { spec: { containers: [{ name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.54' }] } } } };
    expect((await k.patch('/apis/apps/v1/namespaces/default/deployments/web', patch, 'application/strategic-merge-patch+json')).status).toBe(200);
    let minReady = Infinity;
    await waitFor(async () => {
      const r = await readyWeb();
      minReady = Math.min(minReady, r.length);
      const d = (await k.get<{ metadata: { generation: number }; status: { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number } }>('/apis/apps/v1/namespaces/default/deployments/web')).body;
      return d.status.observedGeneration === d.metadata.generation && d.status.updatedReplicas === 3 && d.status.availableReplicas === 3 && d.status.replicas === 3
        && r.length === 3 && r.every((p) => JSON.stringify(p).includes('agnhost:2.54'));
    }, { timeoutMs: 90_000, intervalMs: 100, what: 'rollout to agnhost:2.54' });
    expect(minReady).toBeGreaterThanOrEqual(2);

    const undo = await kubectl(kubeconfig)('rollout', 'undo', 'deployment/web');
    expect(undo.code).toBe(0);
    await waitFor(async () => {
      const r = await readyWeb();
      return r.length === 3 && r.every((p) => JSON.stringify(p).includes('agnhost:2.53'));
    }, { timeoutMs: 90_000, intervalMs: 250, what: 'rollback to agnhost:2.53' });
  }, 240_000);

  it('adds a worker to the running cluster, and removes workers by draining then deleting them', async () => {
    const cli = (...args: string[]) => spawnProcess(process.execPath, [path.join(repoRoot, 'packages/cluster/dist/main.js'), ...args, '--data-dir', dataDir]);
    const added = cli('add-worker');
    try {
      await waitFor(() => added.output().includes('joined and is Ready'), { timeoutMs: 60_000, what: `worker-4 to join: ${added.output().slice(-2000)}` });
      expect(await nodeReady('worker-4')).toBe('True');
      await waitFor(async () => (await pods('kube-system')).some((p) => p.metadata.name === 'kube-proxy-worker-4' && p.status?.phase === 'Running'), { timeoutMs: 30_000, what: 'kube-proxy on worker-4' });

      // Remove worker-1, one of the launcher's own workers: drained (pods evicted and replaced), Node deleted, kubelet stopped.
      const onWorker1 = (await readyWeb()).filter((p) => p.spec.nodeName === 'worker-1').length;
      const rm = cli('remove-worker', 'worker-1');
      expect(await rm.exited, rm.output()).toBe(0);
      expect(rm.output()).toContain('node "worker-1" deleted');
      expect((await k.get('/api/v1/nodes/worker-1')).status).toBe(404);
      await waitFor(() => findKubelet(path.join(dataDir, 'nodes', 'worker-1')) === undefined, { timeoutMs: 30_000, what: "worker-1's kubelet to stop" });
      const web = await waitFor(async () => { const r = await readyWeb(); return r.length === 3 && r; }, { timeoutMs: 60_000, what: '3 ready web pods after the drain' });
      expect(web.every((p) => p.spec.nodeName !== 'worker-1')).toBe(true);
      expect(onWorker1 + web.length).toBeGreaterThanOrEqual(3);

      // Remove the added worker: its add-worker process ends.
      const rm4 = cli('remove-worker', 'worker-4');
      expect(await rm4.exited, rm4.output()).toBe(0);
      expect(await added.exited).toBe(0);
      expect((await k.get('/api/v1/nodes/worker-4')).status).toBe(404);
    } finally {
      await added.stop();
    }
  }, 180_000);

  it('survives kill -9 of the apiserver: the kubelet restarts it and nothing stored is lost', async () => {
    const before = (await k.get<{ metadata: { uid: string } }>('/api/v1/namespaces/default/configmaps/e2e')).body.metadata.uid;
    const mirror = (await k.get<PodView>('/api/v1/namespaces/kube-system/pods/kube-apiserver-control-plane')).body;
    const pid = Number(mirror.status!.containerStatuses![0].containerID!.replace('tinykube://', ''));
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => {
      const p = (await k.get<PodView>('/api/v1/namespaces/kube-system/pods/kube-apiserver-control-plane')).body;
      return (p.status?.containerStatuses?.[0].restartCount ?? 0) >= 1 && p.status?.phase === 'Running';
    }, { timeoutMs: 60_000, intervalMs: 250, what: 'apiserver restarted by its kubelet' });
    expect((await k.get<{ metadata: { uid: string } }>('/api/v1/namespaces/default/configmaps/e2e')).body.metadata.uid).toBe(before);
    // Informers resumed: a new Deployment still gets its pods.
    const d = deployment('registry.k8s.io/e2e-test-images/agnhost:2.53', 1);
    d.metadata.name = 'after-restart';
    d.spec.selector.matchLabels.app = 'after';
    d.spec.template.metadata.labels.app = 'after';
    expect((await k.post('/apis/apps/v1/namespaces/default/deployments', d)).status).toBe(201);
    await waitFor(async () => (await pods('default', 'app=after')).some(isReady), { timeoutMs: 60_000, what: 'a pod of a Deployment created after the restart' });
  }, 120_000);
});
