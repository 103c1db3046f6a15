import { describe, expect, it } from 'vitest';
import { FakeActions, FakeLister, FakeRecorder, TestClock } from '../../core/fake.js';
import { newNode, newPod } from '../../core/fixtures.js';
import type { Lease, Node, Pod } from '@tinykube/api';
import { TokenBucket } from '../../core/rate-limiter.js';
import { NodeHealth } from './health.js';
import { syncNode } from './sync.js';

function lease(name: string, renewTime: string): Lease {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, renewTime } };
}

function setup(nodes: Node[], extra: { pods?: Pod[]; qps?: number } = {}) {
  const clock = new TestClock();
  const lister = new FakeLister({ nodes, pods: extra.pods ?? [], leases: nodes.map((n) => lease(n.metadata.name!, clock.iso())) });
  const actions = new FakeActions(lister);
  const recorder = new FakeRecorder();
  const deps = {
    lister, actions, recorder, now: clock.now, health: new NodeHealth(),
    evictionLimiter: new TokenBucket(extra.qps ?? 0.1, 1, clock.now), gracePeriodMs: 40_000,
  };
  return { clock, lister, actions, recorder, deps };
}

describe('syncNode', () => {
  it('leaves a heartbeating node alone and comes back when its grace period would end', async () => {
    const { deps, actions, clock, lister } = setup([newNode('n1')]);
    expect(await syncNode(deps, 'n1')).toEqual({ requeueAfterMs: 40_001 });
    clock.advance(30_000);
    lister.put('leases', lease('n1', clock.iso()));
    expect(await syncNode(deps, 'n1')).toEqual({ requeueAfterMs: 40_001 });
    expect(actions.summary()).toEqual([]);
  });

  it('marks a silent node Unknown, taints it unreachable, marks its pods not ready and records NodeNotReady', async () => {
    const pod = newPod('p', { node: 'n1', ready: true });
    const { deps, actions, clock, lister, recorder } = setup([newNode('n1')], { pods: [pod] });
    await syncNode(deps, 'n1');
    clock.advance(41_000);
    await syncNode(deps, 'n1');
    expect(actions.summary()).toEqual(['update nodes n1/status', 'update pods default/p/status', 'update nodes n1']);
    const node = lister.get('nodes', '', 'n1')!;
    expect(node.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.',
    });
    expect(node.spec!.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:41Z' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    ]);
    expect(recorder.events).toEqual(['Normal NodeNotReady Node n1 status is now: NodeNotReady']);
    expect(lister.get('pods', 'default', 'p')!.status!.conditions![0].status).toBe('False');
  });

  it('removes the taints when the node is Ready again, keeping foreign taints', async () => {
    const node = newNode('n1', { taints: [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    ] });
    const { deps, lister } = setup([node]);
    await syncNode(deps, 'n1');
    expect(lister.get('nodes', '', 'n1')!.spec!.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  });

  it('adds not-ready NoExecute for Ready=False and unschedulable NoSchedule for cordoned nodes', async () => {
    const node = newNode('n1', { ready: 'False' });
    node.spec!.unschedulable = true;
    const { deps, lister } = setup([node]);
    await syncNode(deps, 'n1');
    expect(lister.get('nodes', '', 'n1')!.spec!.taints!.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
  });

  it('rate-limits new NoExecute taints (--node-eviction-rate)', async () => {
    const { deps, lister, clock } = setup([newNode('a', { ready: 'False' }), newNode('b', { ready: 'False' })], { qps: 0.1 });
    await syncNode(deps, 'a');
    const res = await syncNode(deps, 'b');
    const effects = (n: string) => (lister.get('nodes', '', n)!.spec!.taints ?? []).map((t) => t.effect);
    expect(effects('a')).toContain('NoExecute');
    expect(effects('b')).toEqual(['NoSchedule']);
    expect(res.requeueAfterMs).toBe(10_000);
    clock.advance(10_000);
    await syncNode(deps, 'b');
    expect(effects('b')).toContain('NoExecute');
  });

  it('a node that never posted status gets Ready=Unknown NodeStatusNeverUpdated', async () => {
    const node = newNode('n1');
    node.status = {};
    const { deps, lister, clock } = setup([node]);
    lister.remove('leases', 'kube-node-lease', 'n1');
    await syncNode(deps, 'n1');
    clock.advance(40_001);
    await syncNode(deps, 'n1');
    expect(lister.get('nodes', '', 'n1')!.status!.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated' })]);
  });
});
