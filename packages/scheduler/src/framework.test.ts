import { describe, expect, it } from 'vitest';
import { nodeInfo, podInfo, seqRng } from '../test/fixtures.js';
import { SchedulerCache } from './cache.js';
import { defaultFilters } from './filters/index.js';
import { Framework, numFeasibleNodesToFind } from './framework.js';
import type { NodeInfo } from './node-info.js';
import { defaultScores } from './scores/index.js';

function fw(rng: () => number = Math.random, pct = 0) {
  return new Framework({ filters: defaultFilters, scores: defaultScores(new SchedulerCache()), percentageOfNodesToScore: pct, rng });
}

function nodes(n: number, prefix = 'n'): NodeInfo[] {
  return Array.from({ length: n }, (_, i) => nodeInfo(`${prefix}${i}`));
}

describe('numFeasibleNodesToFind', () => {
  it('follows kube-scheduler adaptive defaults', () => {
    expect(numFeasibleNodesToFind(0, 50)).toBe(50);
    expect(numFeasibleNodesToFind(0, 200)).toBe(100); // 49% = 98, floor of 100
    expect(numFeasibleNodesToFind(0, 1000)).toBe(420); // 42%
    expect(numFeasibleNodesToFind(0, 5000)).toBe(500); // 10%
    expect(numFeasibleNodesToFind(0, 6000)).toBe(300); // 2% → min 5%
    expect(numFeasibleNodesToFind(20, 1000)).toBe(200);
    expect(numFeasibleNodesToFind(100, 1000)).toBe(1000);
  });
});

describe('Framework.schedule', () => {
  it('stops after enough feasible nodes and continues round-robin', () => {
    const f = fw();
    const all = nodes(1000);
    const r1 = f.schedule(podInfo('p'), all);
    expect(r1.ok && r1.evaluated).toBe(420);
    expect(r1.ok && r1.feasible).toBe(420);
    const r2 = f.schedule(podInfo('q'), all);
    // The second pod starts at node 420, so it can only pick from 420..839.
    expect(r2.ok && Number(r2.node.name.slice(1))).toBeGreaterThanOrEqual(420);
    expect(r2.ok && Number(r2.node.name.slice(1))).toBeLessThan(840);
  });

  it('evaluates every node when none fits and reports each rejection', () => {
    const f = fw();
    const all = [nodeInfo('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), ...nodes(3, 'w')];
    const r = f.schedule(podInfo('p', { cpu: '100' }), all);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.numAllNodes).toBe(4);
    expect([...r.diagnosis.rejections.entries()].map(([n, rej]) => [n, rej.reasons[0]])).toEqual([
      ['cp', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
      ['w0', 'Insufficient cpu'],
      ['w1', 'Insufficient cpu'],
      ['w2', 'Insufficient cpu'],
    ]);
  });

  it('picks the best-scoring node', () => {
    const busy = nodeInfo('busy', {}, [podInfo('x', { nodeName: 'busy', cpu: '3' })]);
    const idle = nodeInfo('idle');
    const r = fw().schedule(podInfo('p', { cpu: '100m' }), [busy, idle]);
    expect(r.ok && r.node.name).toBe('idle');
  });

  it('breaks ties with the injected RNG', () => {
    const all = nodes(3);
    // Reservoir sampling: node i replaces the choice when rng()*ties < 1.
    const first = fw(seqRng([0.99])).schedule(podInfo('p'), all);
    expect(first.ok && first.node.name).toBe('n0');
    const last = fw(seqRng([0])).schedule(podInfo('p'), all);
    expect(last.ok && last.node.name).toBe('n2');
    const middle = fw(seqRng([0.1, 0.9])).schedule(podInfo('p'), all);
    expect(middle.ok && middle.node.name).toBe('n1');
  });

  it('prefers untainted (PreferNoSchedule) nodes and preferred affinity', () => {
    const soft = nodeInfo('soft', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] });
    const plain = nodeInfo('plain');
    const r = fw(seqRng([0])).schedule(podInfo('p'), [plain, soft]);
    expect(r.ok && r.node.name).toBe('plain');
    const ssd = nodeInfo('ssd', { labels: { disk: 'ssd' } });
    const pod = podInfo('p', {
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } },
    });
    const r2 = fw(seqRng([0])).schedule(pod, [ssd, plain]);
    expect(r2.ok && r2.node.name).toBe('ssd');
  });

  it('reports no nodes', () => {
    const r = fw().schedule(podInfo('p'), []);
    expect(r.ok).toBe(false);
  });
});
