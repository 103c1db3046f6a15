// The compose shape without a Docker engine: scripts/netns-cluster runs docker-compose.yml's four nodes in Linux
// network namespaces (tk-<service>, a veth each on bridge tk-br0, 172.28.0.0/24), each a kubelet started by the
// Dockerfile's entrypoint line (node-init, then the kubelet) from the built repository. Pods get IPs from their
// node's podCIDR (10.244.x.0/24) and reach other nodes' pods through host-gw routes; kube-proxy holds ClusterIPs
// (10.96.0.0/16) in each node's own stack. Needs root and `ip netns`; it takes the fixed names and addresses of
// docker-compose.yml, so it replaces a netns cluster a developer may have running (up cleans first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, spawnProcess, waitFor } from '@tinykube/testkit';
import { readComposePlan } from '../../scripts/netns/compose.js';
import { controlPlaneMirrorPods, isReady, type Kube, kube, kubectl, mirrorPodNode, type PodView } from './kube.js';

const NODES = ['control-plane', 'worker-1', 'worker-2', 'worker-3'];
const WORKERS = NODES.slice(1);
const IPS: Record<string, string> = { 'control-plane': '172.28.0.11', 'worker-1': '172.28.0.12', 'worker-2': '172.28.0.13', 'worker-3': '172.28.0.14' };
const script = path.join(repoRoot, 'scripts/netns-cluster');

/** Why this shape cannot run here, or undefined when it can. */
function cannotRun(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux-only';
  if (process.getuid?.() !== 0) return 'scripts/netns-cluster needs root (ip netns, veth, bridge)';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return '`ip netns` (iproute2) is not available';
  }
  return undefined;
}
const skipReason = cannotRun();
if (skipReason) process.stderr.write(`netns e2e skipped: ${skipReason}\n`);

const run = (dataDir: string, ...args: string[]) => spawnProcess(script, ['--data-dir', dataDir, ...args]);
const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]).filter((n) => n?.startsWith('tk-'));
const inNamespace = (node: string, ...cmd: string[]) => execFileSync('ip', ['netns', 'exec', `tk-${node}`, ...cmd], { encoding: 'utf8', timeout: 10_000 });

/** Pids whose command line or working directory is under dir: kubelets (flags) and their containers (cwd). */
function processesUnder(dir: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      let cwd = '';
      try { cwd = readlinkSync(`/proc/${e}/cwd`); } catch { /* kernel thread or gone */ }
      if (cmd.includes(dir) || cwd.startsWith(dir)) out.push(Number(e));
    } catch { /* gone */ }
  }
  return out;
}

/** Is the process still running? A zombie (state Z, waiting for a reaper) has ended. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('docker-compose.yml as netns-cluster reads it (no root needed)', () => {
  it('is valid for docker-compose and gives four nodes, control plane first, running the Dockerfile entrypoint', () => {
    // Debian's docker-compose validates without an engine; where it is not installed only the plan is checked.
    const haveCompose = (() => { try { execFileSync('docker-compose', ['version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
    if (haveCompose) execFileSync('docker-compose', ['-f', path.join(repoRoot, 'docker-compose.yml'), 'config', '-q'], { cwd: repoRoot, stdio: 'pipe' });
    const plan = readComposePlan(path.join(repoRoot, 'docker-compose.yml'));
    expect(plan).toMatchObject({ subnet: '172.28.0.0/24', gateway: '172.28.0.1', prefix: 24 });
    expect(plan.services.map((s) => [s.name, s.ip])).toEqual(NODES.map((n) => [n, IPS[n]]));
    expect(plan.services[0]!.env).toMatchObject({ CONTROL_PLANE: 'true', HOST_KUBECONFIG_OUT: '/shared/kubeconfig' });
    for (const s of plan.services) {
      expect(s.argv.slice(0, 2)).toEqual(['/bin/sh', '-c']);
      expect(s.argv[2]).toMatch(/node packages\/cluster\/dist\/node-init\.js && .* exec node packages\/kubelet\/dist\/main\.js \$KUBELET_ARGS$/);
    }
    expect(plan.services.slice(1).every((s) => s.dependsOn.includes('control-plane'))).toBe(true);
  });
});

describe.skipIf(skipReason !== undefined)('docker-compose.yml in network namespaces (scripts/netns-cluster)', () => {
  let dataDir: string;
  let k: Kube;
  let down = false;
  const pods = async (ns: string, selector = ''): Promise<PodView[]> =>
    (await k.get<{ items: PodView[] }>(`/api/v1/namespaces/${ns}/pods${selector ? `?labelSelector=${encodeURIComponent(selector)}` : ''}`)).body.items;
  const readyWeb = async () => (await pods('default', 'app=web')).filter((p) => isReady(p) && !p.metadata.deletionTimestamp);

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tk-e2e-netns-'));
    const up = run(dataDir, 'up', '--fresh', '--timeout', '90');
    expect(await up.exited, up.output().slice(-3000)).toBe(0);
    expect(up.output()).toContain('tinykube is up in network namespaces');
    k = kube(path.join(dataDir, 'tinykube-compose', 'kubeconfig'));
  }, 120_000);

  afterAll(async () => {
    if (!down) await run(dataDir, 'down').exited;
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('has four Ready nodes at the compose addresses, each with a podCIDR; the control plane is tainted NoSchedule', async () => {
    type NodeView = { metadata: { name: string }; spec: { podCIDR?: string; taints?: { key: string; effect: string }[] }; status: { addresses: { type: string; address: string }[]; conditions: { type: string; status: string }[] } };
    const nodes = await waitFor(async () => {
      const items = (await k.get<{ items: NodeView[] }>('/api/v1/nodes')).body.items;
      return items.length === 4 && items.every((n) => n.spec.podCIDR) && items;
    }, { timeoutMs: 30_000, what: 'podCIDRs on all four nodes' });
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(NODES);
    for (const n of nodes) {
      expect(n.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(n.status.addresses.find((a) => a.type === 'InternalIP')?.address).toBe(IPS[n.metadata.name]);
      expect(n.spec.podCIDR).toMatch(/^10\.244\.\d+\.0\/24$/);
    }
    expect(nodes.find((n) => n.metadata.name === 'control-plane')!.spec.taints).toContainEqual(expect.objectContaining({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }));
    // host-gw: every node routes the others' podCIDRs via their InternalIPs.
    // The kubelet installs them when it sees a Node's podCIDR (assigned moments ago): wait for them, with a deadline.
    const want = nodes.filter((n) => n.metadata.name !== 'worker-1').map((n) => `${n.spec.podCIDR} via ${IPS[n.metadata.name]}`);
    const routes = await waitFor(() => { const r = inNamespace('worker-1', 'ip', 'route'); return want.every((w) => r.includes(w)) && r; }, { timeoutMs: 30_000, what: `routes ${want.join(', ')} on worker-1` });
    for (const w of want) expect(routes).toContain(w);
  });

  it('runs the control plane as mirror pods on control-plane and kube-proxy on every node', async () => {
    for (const p of await controlPlaneMirrorPods(pods, NODES)) {
      expect(p.metadata.annotations?.['kubernetes.io/config.mirror']).toBeTruthy();
      expect(p.spec.nodeName).toBe(mirrorPodNode(p));
      expect(p.status?.podIP).toBe(IPS[mirrorPodNode(p)]); // hostNetwork
    }
  });

  it('serves a Deployment on the workers through a NodePort on every node IP, from the host', async () => {
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            terminationGracePeriodSeconds: 2,
            containers: [{
              name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080'],
              readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
            }],
          },
        },
      },
    };
    expect((await k.post('/apis/apps/v1/namespaces/default/deployments', d)).status).toBe(201);
    const ready = await waitFor(async () => { const r = await readyWeb(); return r.length === 3 && r; }, { timeoutMs: 60_000, what: '3 ready web pods' });
    for (const p of ready) {
      expect(WORKERS).toContain(p.spec.nodeName);
      expect(p.status?.podIP).toMatch(/^10\.244\./);
    }
    const svc = await k.post<{ spec: { ports: { nodePort: number }[] } }>('/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    expect(svc.status).toBe(201);
    const nodePort = svc.body.spec.ports[0]!.nodePort;
    const names = ready.map((p) => p.metadata.name);
    const seen = new Set<string>();
    for (const node of NODES) {
      const url = `http://${IPS[node]}:${nodePort}/hostname`;
      await waitFor(async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok, { timeoutMs: 30_000, what: `NodePort on ${node}` });
      for (let i = 0; i < 3; i++) {
        const host = await (await fetch(url, { headers: { connection: 'close' }, signal: AbortSignal.timeout(2_000) })).text();
        expect(names).toContain(host);
        seen.add(host);
      }
    }
    // Round robin per node over 3 backends: every pod answered, so NodePorts reached pods on other nodes.
    expect(seen.size).toBe(3);
  });

  it('reaches pods on other nodes and the ClusterIP from inside a pod', async () => {
    const ready = await readyWeb();
    const from = ready.find((p) => p.spec.nodeName === 'worker-1') ?? ready[0]!;
    const others = ready.filter((p) => p.spec.nodeName !== from.spec.nodeName);
    const clusterIP = (await k.get<{ spec: { clusterIP: string } }>('/api/v1/namespaces/default/services/web')).body.spec.clusterIP;
    expect(clusterIP).toMatch(/^10\.96\./);
    // agnhost netexec's /shell runs the command in the pod; the host reaches the pod from its node's namespace.
    const shell = (cmd: string) => {
      const out = inNamespace(from.spec.nodeName!, 'curl', '-s', '--max-time', '5', `http://${from.status!.podIP}:8080/shell?cmd=${encodeURIComponent(cmd)}`);
      return ((JSON.parse(out) as { output?: string }).output ?? '').trim();
    };
    for (const o of others) expect(shell(`curl -s --max-time 2 http://${o.status!.podIP}:8080/hostname`)).toBe(o.metadata.name);
    const answers = new Set<string>();
    await waitFor(() => {
      answers.add(shell(`curl -s --max-time 2 http://${clusterIP}/hostname`));
      return answers.size >= 2;
    }, { timeoutMs: 20_000, intervalMs: 100, what: `ClusterIP ${clusterIP} answered by two pods from ${from.metadata.name}` });
    for (const a of answers) expect(ready.map((p) => p.metadata.name)).toContain(a);
  });

  it('status lists every kubelet running; the host kubeconfig works with kubectl', async () => {
    const st = run(dataDir, 'status');
    expect(await st.exited).toBe(0);
    for (const n of NODES) expect(st.output()).toMatch(new RegExp(`^${n}\\s+${IPS[n]!.replace(/\./g, '\\.')}\\s+tk-${n}\\s+running \\(pid \\d+\\)\\s+Ready`, 'm'));
    const nodes = await kubectl(path.join(dataDir, 'tinykube-compose', 'kubeconfig'))('get', 'nodes');
    expect(nodes.code).toBe(0);
    for (const n of NODES) expect(nodes.stdout).toMatch(new RegExp(`^${n}\\s+Ready`, 'm'));
  });

  it('down leaves no namespaces, no bridge, no /etc/netns entries and no processes', async () => {
    const containerPids = (await pods('default', 'app=web')).map((p) => Number(p.status?.containerStatuses?.[0]?.containerID?.replace('tinykube://', '')));
    expect(containerPids.every((p) => p > 0)).toBe(true);
    expect(processesUnder(dataDir).length).toBeGreaterThan(0);
    const d = run(dataDir, 'down');
    expect(await d.exited, d.output()).toBe(0);
    down = true;
    expect(namespaces()).toEqual([]);
    expect(() => execFileSync('ip', ['link', 'show', 'tk-br0'], { stdio: 'ignore' })).toThrow();
    for (const n of NODES) expect(() => readdirSync(`/etc/netns/tk-${n}`)).toThrow();
    expect(processesUnder(dataDir)).toEqual([]);
    for (const pid of containerPids) expect(running(pid)).toBe(false);
  });
});
