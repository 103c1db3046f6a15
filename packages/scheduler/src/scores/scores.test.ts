import { describe, expect, it } from 'vitest';
import { nodeInfo, podInfo } from '../../test/fixtures.js';
import { SchedulerCache } from '../cache.js';
import { parseNode } from '../informer-objects.js';
import { nodeObj } from '../../test/fixtures.js';
import { leastAllocatedScore } from './least-allocated.js';
import { nodeAffinityScore } from './node-affinity.js';
import { selectorSpreadScore } from './selector-spread.js';
import { taintTolerationScore } from './taint-toleration.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import type { ScorePlugin } from '../plugin.js';

function scores(plugin: ScorePlugin, pod: PodInfo, nodes: NodeInfo[]): number[] {
  plugin.prepare?.(pod);
  const arr = new Float64Array(nodes.map((n) => plugin.score(pod, n)));
  plugin.normalize?.(arr, arr.length);
  return [...arr];
}

describe('leastAllocatedScore', () => {
  it('prefers the emptier node, averaging cpu and memory', () => {
    const empty = nodeInfo('a', { cpu: '4', memory: '4Gi' });
    const half = nodeInfo('b', { cpu: '4', memory: '4Gi' }, [podInfo('x', { nodeName: 'b', cpu: '2', memory: '2Gi' })]);
    const pod = podInfo('p', { cpu: '1', memory: '1Gi' });
    // empty: cpu (4-1)/4=75, mem 75 → 75; half: cpu (4-3)/4=25, mem 25 → 25
    expect(scores(leastAllocatedScore, pod, [empty, half])).toEqual([75, 25]);
  });

  it('uses non-zero defaults for request-less pods and gives 0 when over capacity', () => {
    const small = nodeInfo('a', { cpu: '100m', memory: '100Mi' });
    expect(leastAllocatedScore.score(podInfo('p'), small)).toBe(0); // 100m of 100m → 0, 200Mi > 100Mi → 0
    const big = nodeInfo('b', { cpu: '1', memory: '2000Mi' });
    expect(leastAllocatedScore.score(podInfo('p'), big)).toBe(Math.trunc((90 + 90) / 2));
  });
});

describe('taintTolerationScore', () => {
  it('fewer untolerated PreferNoSchedule taints score higher (reverse normalised)', () => {
    const clean = nodeInfo('a');
    const one = nodeInfo('b', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] });
    const two = nodeInfo('c', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }, { key: 'y', effect: 'PreferNoSchedule' }] });
    expect(scores(taintTolerationScore, podInfo('p'), [clean, one, two])).toEqual([100, 50, 0]);
  });

  it('tolerations with NoSchedule effect do not count; empty effect does', () => {
    const one = nodeInfo('b', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] });
    expect(taintTolerationScore.score(podInfo('p', { tolerations: [{ key: 'x', operator: 'Exists', effect: 'NoSchedule' }] }), one)).toBe(1);
    expect(taintTolerationScore.score(podInfo('p', { tolerations: [{ key: 'x', operator: 'Exists' }] }), one)).toBe(0);
  });

  it('all zero raw scores normalise to 100', () => {
    expect(scores(taintTolerationScore, podInfo('p'), [nodeInfo('a'), nodeInfo('b')])).toEqual([100, 100]);
  });
});

describe('nodeAffinityScore', () => {
  const pod = podInfo('p', {
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 80, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
          { weight: 20, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } },
        ],
      },
    },
  });

  it('sums matching weights and scales the best to 100', () => {
    const both = nodeInfo('a', { labels: { zone: 'a', ssd: 'true' } });
    const zone = nodeInfo('b', { labels: { zone: 'a' } });
    const ssd = nodeInfo('c', { labels: { ssd: 'true' } });
    const none = nodeInfo('d');
    expect(scores(nodeAffinityScore, pod, [both, zone, ssd, none])).toEqual([100, 80, 20, 0]);
  });

  it('is skipped for pods without preferences', () => {
    expect(nodeAffinityScore.skip?.(podInfo('q'))).toBe(true);
    expect(nodeAffinityScore.skip?.(pod)).toBe(false);
  });
});

describe('selectorSpreadScore', () => {
  it('prefers nodes with fewer pods of the same owner', () => {
    const cache = new SchedulerCache();
    for (const n of ['a', 'b', 'c']) cache.setNode(parseNode(nodeObj(n))!);
    cache.addOrUpdateBoundPod(podInfo('r1', { nodeName: 'a', owner: 'rs' }));
    cache.addOrUpdateBoundPod(podInfo('r2', { nodeName: 'a', owner: 'rs' }));
    cache.addOrUpdateBoundPod(podInfo('r3', { nodeName: 'b', owner: 'rs' }));
    cache.addOrUpdateBoundPod(podInfo('other', { nodeName: 'c', owner: 'other-rs' }));
    const plugin = selectorSpreadScore(cache);
    const nodes = ['a', 'b', 'c'].map((n) => cache.getNode(n)!);
    expect(scores(plugin, podInfo('r4', { owner: 'rs' }), nodes)).toEqual([0, 50, 100]);
    expect(plugin.skip?.(podInfo('lonely'))).toBe(true);
  });
});
