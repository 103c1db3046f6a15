// The kubelet against a real etcd + apiserver, as separate processes: static pods before any
// apiserver exists, registration, Lease, a pod's real process, deletion, mirror pods, and a
// kill -9 of the kubelet that leaves containers running and adopted.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient, writeKubeconfig, isNotFound } from '@tinykube/client';
import type { Lease, Node, Pod } from '@tinykube/api';
import { apiserverTlsArgs, freePort, nodeCredentials, spawnComponent, startRealEtcd, testPki, testTls, waitFor, writeTestKubeconfig, type Proc, type RunningStore } from '@tinykube/testkit';
import { loadAllCheckpoints } from '../src/checkpoint.js';
import { pino } from 'pino';

const NODE = 'node-e2e';
const NODE_IP = '127.0.1.10';
const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const nodes = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const leases = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

let dir: string;
let rootDir: string;
let manifests: string;
let kubeconfig: string;
let apiPort: number;
let etcd: RunningStore | undefined;
let api: Proc | undefined;
let kubelet: Proc | undefined;
let client: RestClient;
let serving: { cert: string; key: string };

/** The kubelet as kubeadm runs it: its own identity (system:node:NAME), https on its port with a CA-signed cert. */
function startKubelet(): Proc {
  return spawnComponent('kubelet', [
    '--kubeconfig', kubeconfig, '--tls-cert-file', serving.cert, '--tls-private-key-file', serving.key, '--client-ca-file', testPki().ca.cert, '--node-name', NODE, '--node-ip', NODE_IP, '--root-dir', rootDir, '--pod-manifest-path', manifests,
    '--port', '0', '--pod-cidr', '127.1.7.0/24', '--node-lease-renew-interval', '1s', '--node-status-update-frequency', '1s',
    '--static-pod-poll-interval', '500ms', '--register-with-taints', 'example.com/e2e=yes:NoSchedule', '--node-labels', 'tier=test',
  ]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pidOf(p: Pod | undefined, container = 0): number | undefined {
  const id = p?.status?.containerStatuses?.[container]?.containerID;
  const m = id ? /^tinykube:\/\/(\d+)$/.exec(id) : null;
  return m ? Number(m[1]) : undefined;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tk-kubelet-e2e-'));
  rootDir = join(dir, 'root');
  manifests = join(dir, 'manifests');
  mkdirSync(manifests, { recursive: true });
  writeFileSync(join(manifests, 'static-web.yaml'), [
    'apiVersion: v1', 'kind: Pod', 'metadata: { name: static-web, namespace: kube-system }', 'spec:', '  hostNetwork: true', '  containers:',
    '  - name: main', '    image: busybox:1.36', '    command: ["sh", "-c", "echo static-started; sleep 3600"]', '',
  ].join('\n'));
  etcd = await startRealEtcd();
  apiPort = await freePort();
  kubeconfig = join(dir, 'kubeconfig');
  const creds = await nodeCredentials(NODE, NODE_IP);
  serving = creds.serving;
  await writeTestKubeconfig(kubeconfig, `https://127.0.0.1:${apiPort}`, creds.client);
  client = new RestClient({ server: `https://127.0.0.1:${apiPort}`, timeoutMs: 5_000, tls: testTls() });
});

afterAll(async () => {
  await kubelet?.stop();
  // Containers outlive the kubelet by design: kill what it left running.
  if (rootDir && existsSync(rootDir)) {
    for (const cp of loadAllCheckpoints(rootDir, pino({ level: 'silent' }))) {
      for (const c of [...Object.values(cp.containers), ...Object.values(cp.init)]) {
        if (c.current?.state === 'running' && c.current.pid > 0) {
          try { process.kill(-c.current.pid, 'SIGKILL'); } catch { /* gone */ }
        }
      }
    }
  }
  await api?.stop();
  await etcd?.close();
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubelet end to end', () => {
  it('runs a static pod with no apiserver at all', async () => {
    kubelet = startKubelet();
    const log = await waitFor(() => {
      const cps = loadAllCheckpoints(rootDir, pino({ level: 'silent' }));
      const rec = cps[0]?.containers.main?.current;
      return rec && existsSync(rec.logPath) && readFileSync(rec.logPath, 'utf8').includes('static-started') ? rec : undefined;
    }, { timeoutMs: 30_000, what: `static pod log (kubelet output: ${kubelet.output().slice(-2000)})` });
    expect(alive(log.pid)).toBe(true);
  });

  it('registers its Node once the apiserver starts, with addresses, capacity, labels and taints', async () => {
    api = spawnComponent('apiserver', [...etcd!.apiserverArgs, ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(apiPort)]);
    await waitFor(async () => (await fetch(`https://127.0.0.1:${apiPort}/readyz`)).ok, { timeoutMs: 30_000, what: 'apiserver ready' });
    const node = await waitFor(() => client.get<Node>(nodes, NODE), { timeoutMs: 30_000, what: 'node registered' });
    expect(node.status?.addresses).toEqual(expect.arrayContaining([{ type: 'InternalIP', address: NODE_IP }, { type: 'Hostname', address: NODE }]));
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux', tier: 'test' });
    expect(node.spec.taints).toEqual([{ key: 'example.com/e2e', value: 'yes', effect: 'NoSchedule' }]);
    expect(node.status?.capacity?.pods).toBe('110');
    expect(node.status?.nodeInfo?.kubeletVersion).toBe('v1.32.0-tinykube');
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toBe('tinykube-process://0.1');
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBeGreaterThan(0);
    const ready = await waitFor(async () => (await client.get<Node>(nodes, NODE)).status?.conditions?.find((c) => c.type === 'Ready'), { what: 'Ready condition' });
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
  });

  it('renews its Lease in kube-node-lease', async () => {
    const first = await waitFor(() => client.get<Lease>(leases, NODE, { namespace: 'kube-node-lease' }), { timeoutMs: 20_000, what: 'lease' });
    expect(first.spec?.holderIdentity).toBe(NODE);
    expect(first.spec?.leaseDurationSeconds).toBe(40);
    await waitFor(async () => (await client.get<Lease>(leases, NODE, { namespace: 'kube-node-lease' })).spec?.renewTime !== first.spec?.renewTime, {
      timeoutMs: 15_000, what: 'lease renewal',
    });
  });

  it('publishes a mirror pod for the static pod, and re-creates it when deleted', async () => {
    const name = `static-web-${NODE}`;
    const mirror = await waitFor(() => client.get<Pod>(pods, name, { namespace: 'kube-system' }), { timeoutMs: 30_000, what: 'mirror pod' });
    expect(mirror.metadata.annotations?.['kubernetes.io/config.mirror']).toMatch(/^[0-9a-f]{32}$/);
    expect(mirror.metadata.annotations?.['kubernetes.io/config.source']).toBe('file');
    expect(mirror.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: NODE });
    await waitFor(async () => (await client.get<Pod>(pods, name, { namespace: 'kube-system' })).status?.phase === 'Running', { timeoutMs: 20_000, what: 'mirror status Running' });
    await client.delete(pods, name, { namespace: 'kube-system', gracePeriodSeconds: 0 });
    const again = await waitFor(async () => {
      const p = await client.get<Pod>(pods, name, { namespace: 'kube-system' });
      return p.metadata.uid !== mirror.metadata.uid && !p.metadata.deletionTimestamp ? p : undefined;
    }, { timeoutMs: 30_000, what: 'mirror pod re-created' });
    expect(again.metadata.annotations?.['kubernetes.io/config.mirror']).toBe(mirror.metadata.annotations?.['kubernetes.io/config.mirror']);
  });

  it('runs a pod bound to the node as a real process, reports Running with a pod IP, and kills it on delete', async () => {
    await client.create(pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hello', namespace: 'default' },
      spec: { nodeName: NODE, terminationGracePeriodSeconds: 2, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo hello; sleep 3600'] }] },
    });
    const running = await waitFor(async () => {
      const p = await client.get<Pod>(pods, 'hello', { namespace: 'default' });
      return p.status?.phase === 'Running' && p.status.podIP ? p : undefined;
    }, { timeoutMs: 30_000, what: 'pod Running' });
    expect(running.status?.podIP).toMatch(/^127\.1\.7\.\d+$/);
    expect(running.status?.hostIP).toBe(NODE_IP);
    expect(running.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const pid = pidOf(running)!;
    expect(alive(pid)).toBe(true);
    const logFile = join(rootDir, 'pods', running.metadata.uid!, 'logs', 'main', '0.log');
    await waitFor(() => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('hello'), { what: 'hello in the log file' });

    await client.delete(pods, 'hello', { namespace: 'default' });
    await waitFor(async () => {
      try {
        await client.get(pods, 'hello', { namespace: 'default' });
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    }, { timeoutMs: 30_000, what: 'pod deletion confirmed by the kubelet' });
    await waitFor(() => !alive(pid), { what: 'container process killed' });
  });

  it('keeps containers running across kill -9 of the kubelet and adopts them', async () => {
    await client.create(pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'survivor', namespace: 'default' },
      spec: { nodeName: NODE, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo up; sleep 3600'] }] },
    });
    const before = await waitFor(async () => {
      const p = await client.get<Pod>(pods, 'survivor', { namespace: 'default' });
      return p.status?.phase === 'Running' && pidOf(p) ? p : undefined;
    }, { timeoutMs: 30_000, what: 'survivor Running' });
    const pid = pidOf(before)!;
    await kubelet!.kill9();
    expect(alive(pid)).toBe(true);
    kubelet = startKubelet();
    // Ask the restarted kubelet itself (its API) which process it runs for the pod.
    const port = await waitFor(() => /"port":(\d+),"msg":"kubelet API listening"/.exec(kubelet!.output())?.[1], { timeoutMs: 30_000, what: 'restarted kubelet API' });
    const after = await waitFor(async () => {
      const list = (await (await fetch(`https://${NODE_IP}:${port}/pods`)).json()) as { items: Pod[] };
      const p = list.items.find((x) => x.metadata.name === 'survivor');
      return p?.status?.phase === 'Running' ? p : undefined;
    }, { timeoutMs: 30_000, what: 'survivor in the restarted kubelet' });
    expect(pidOf(after)).toBe(pid);
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(alive(pid)).toBe(true);
  });
});
