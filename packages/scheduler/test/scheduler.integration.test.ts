// Real etcd + apiserver process + scheduler processes: binding, FailedScheduling, and a
// standby taking over when the leader is killed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient, writeKubeconfig, leasesResource, type ObjectLike } from '@tinykube/client';
import { apiserverTlsArgs, freePort, spawnComponent, startRealEtcd, testPki, testTls, waitFor, writeTestKubeconfig, type Proc, type RunningStore } from '@tinykube/testkit';
import { eventsResource, nodesResource, podsResource } from '../src/rest-api.js';

const CONTROL_PLANE_TAINT = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';

let etcd: RunningStore;
let apiserver: Proc;
let client: RestClient;
let dir: string;
let kubeconfig: string;
const schedulers: Proc[] = [];

function startScheduler(identity: string): Proc {
  const p = spawnComponent('scheduler', ['--kubeconfig', kubeconfig, '--port', '0', '--bind-address', '127.0.0.1', '--identity', identity]);
  schedulers.push(p);
  return p;
}

/** The health/metrics port a scheduler logged at start. */
async function healthPort(p: Proc): Promise<number> {
  return waitFor(
    () => {
      const line = p.output().split('\n').find((l) => l.includes('scheduler serving healthz and metrics'));
      return line ? (JSON.parse(line) as { port: number }).port : undefined;
    },
    { timeoutMs: 30_000, what: 'scheduler health port' },
  );
}

async function metricsOf(p: Proc): Promise<string> {
  return (await fetch(`http://127.0.0.1:${await healthPort(p)}/metrics`)).text();
}

async function createNode(name: string, cpu: string, taints?: unknown[]): Promise<void> {
  await client.create(nodesResource, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: taints ? { taints } : {},
  });
  // Status through the status subresource, as a kubelet reports it.
  const status = {
    capacity: { cpu, memory: '4Gi', pods: '110' },
    allocatable: { cpu, memory: '4Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString() }],
  };
  await client.patch(nodesResource, name, { status }, 'merge', { subresource: 'status' });
}

async function createPod(name: string, cpu: string): Promise<void> {
  await client.create(podsResource, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu, memory: '64Mi' } } }] },
  });
}

interface PodView extends ObjectLike {
  spec: { nodeName?: string };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}
interface EventView extends ObjectLike {
  reason: string;
  message: string;
  type: string;
  involvedObject: { name: string };
  source?: { component?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

async function podNode(name: string): Promise<string | undefined> {
  const p = await client.get<PodView>(podsResource, name, { namespace: 'default' });
  return p.spec.nodeName || undefined;
}

async function eventsFor(name: string): Promise<EventView[]> {
  const list = await client.list<EventView>(eventsResource, { namespace: 'default' });
  return list.items.filter((e) => e.involvedObject.name === name);
}

async function leaseHolder(): Promise<string | undefined> {
  try {
    const lease = await client.get<ObjectLike & { spec?: { holderIdentity?: string } }>(leasesResource, 'kube-scheduler', { namespace: 'kube-system' });
    return lease.spec?.holderIdentity ?? undefined;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tk-sched-'));
  etcd = await startRealEtcd();
  const port = await freePort();
  apiserver = spawnComponent('apiserver', [...etcd.apiserverArgs, ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(port)]);
  const server = `https://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (apiserver.child.exitCode !== null) throw new Error(`apiserver exited:\n${apiserver.output()}`);
      return (await fetch(`${server}/readyz`)).ok;
    },
    { timeoutMs: 30_000, what: 'apiserver /readyz' },
  );
  kubeconfig = path.join(dir, 'kubeconfig');
  // the scheduler as itself (system:kube-scheduler): RBAC's default role must be enough
  await writeTestKubeconfig(kubeconfig, server, testPki().scheduler);
  client = new RestClient({ server, tls: testTls() });
  await createNode('control-plane', '4', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  for (const n of ['worker-1', 'worker-2', 'worker-3']) await createNode(n, '1');
  const first = startScheduler('sched-a');
  await waitFor(async () => (await leaseHolder()) === 'sched-a', { timeoutMs: 30_000, what: `sched-a leading:\n${first.output()}` });
}, 90_000);

afterAll(async () => {
  for (const s of schedulers) await s.stop();
  await apiserver?.stop();
  await client?.close();
  await etcd?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tinykube-scheduler against a real apiserver', () => {
  it('binds pods to ready workers, spreading them, with Scheduled events', async () => {
    for (const name of ['web-1', 'web-2', 'web-3']) await createPod(name, '600m');
    const nodes = await waitFor(
      async () => {
        const placed = await Promise.all(['web-1', 'web-2', 'web-3'].map(podNode));
        return placed.every(Boolean) ? placed : undefined;
      },
      { timeoutMs: 20_000, what: 'pods bound' },
    );
    // 600m each on 1-cpu workers: one per worker, never the tainted control plane.
    expect([...nodes].sort()).toEqual(['worker-1', 'worker-2', 'worker-3']);
    const events = await waitFor(async () => {
      const evs = await eventsFor('web-1');
      return evs.find((e) => e.reason === 'Scheduled');
    }, { timeoutMs: 10_000, what: 'Scheduled event' });
    expect(events.message).toBe(`Successfully assigned default/web-1 to ${nodes[0]}`);
    expect(events.source?.component).toBe('default-scheduler');
    expect(events.reportingInstance).toBe('sched-a');
    const metrics = await metricsOf(schedulers[0]);
    expect(metrics).toMatch(/scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} [3-9]/);
    expect(metrics).toContain('scheduler_leader_election_master_status 1');
  });

  it('a pod that fits nowhere gets FailedScheduling and PodScheduled=False', async () => {
    await createPod('too-big', '600m'); // every worker already holds 600m of its 1 cpu
    const ev = await waitFor(async () => (await eventsFor('too-big')).find((e) => e.reason === 'FailedScheduling'), {
      timeoutMs: 20_000,
      what: 'FailedScheduling event',
    });
    expect(ev.type).toBe('Warning');
    expect(ev.reportingComponent).toBe('default-scheduler');
    expect(ev.message).toBe(
      `0/4 nodes are available: 1 ${CONTROL_PLANE_TAINT}, 3 Insufficient cpu. ` +
        'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    );
    const cond = await waitFor(async () => {
      const p = await client.get<PodView>(podsResource, 'too-big', { namespace: 'default' });
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    }, { timeoutMs: 10_000, what: 'PodScheduled condition' });
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: ev.message });
    expect(await podNode('too-big')).toBeUndefined();
  });

  it('the pending pod is scheduled when a pod is deleted', async () => {
    await client.delete(podsResource, 'web-2', { namespace: 'default', gracePeriodSeconds: 0 });
    const node = await waitFor(() => podNode('too-big'), { timeoutMs: 20_000, what: 'too-big bound after a delete' });
    expect(node).toMatch(/^worker-/);
  });

  it('a standby takes over when the leader is killed', async () => {
    const [leader] = schedulers;
    const standby = startScheduler('sched-b');
    // The standby is up (it serves health) but must not take the lease while sched-a renews it.
    const port = await healthPort(standby);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, { timeoutMs: 30_000, what: 'sched-b caches synced' });
    expect(await leaseHolder()).toBe('sched-a');
    expect(await metricsOf(standby)).toContain('scheduler_leader_election_master_status 0');
    await leader.kill9();
    await waitFor(async () => (await leaseHolder()) === 'sched-b', { timeoutMs: 40_000, what: `sched-b leading:\n${standby.output()}` });
    await createNode('worker-4', '2');
    await createPod('after-failover', '1');
    const node = await waitFor(() => podNode('after-failover'), { timeoutMs: 20_000, what: 'pod bound by sched-b' });
    expect(node).toBe('worker-4');
    const ev = await waitFor(async () => (await eventsFor('after-failover')).find((e) => e.reason === 'Scheduled'), {
      timeoutMs: 10_000,
      what: 'Scheduled event from sched-b',
    });
    expect(ev.reportingInstance).toBe('sched-b');
  }, 90_000);
});
