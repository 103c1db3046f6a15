import { describe, expect, it } from 'vitest';
import { nodeInfo, podInfo } from '../../test/fixtures.js';
import { taintTolerationFilter } from './taint-toleration.js';

const cp = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('taintTolerationFilter', () => {
  it('rejects an untolerated NoSchedule taint with kube wording', () => {
    const r = taintTolerationFilter.filter(podInfo('p'), nodeInfo('n', { taints: [cp] }));
    expect(r?.reasons).toEqual(['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']);
    expect(r?.unresolvable).toBe(true);
  });

  it('rejects NoExecute, ignores PreferNoSchedule', () => {
    expect(taintTolerationFilter.filter(podInfo('p'), nodeInfo('n', { taints: [{ key: 'a', value: 'b', effect: 'NoExecute' }] }))?.reasons).toEqual([
      'node(s) had untolerated taint {a: b}',
    ]);
    expect(taintTolerationFilter.filter(podInfo('p'), nodeInfo('n', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }))).toBeNull();
  });

  it('passes with a matching toleration (Equal and Exists)', () => {
    const node = nodeInfo('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    expect(taintTolerationFilter.filter(podInfo('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }), node)).toBeNull();
    expect(taintTolerationFilter.filter(podInfo('p', { tolerations: [{ key: 'dedicated', value: 'gpu' }] }), node)).toBeNull();
    expect(taintTolerationFilter.filter(podInfo('p', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), node)).toBeNull();
    expect(taintTolerationFilter.filter(podInfo('p', { tolerations: [{ operator: 'Exists' }] }), node)).toBeNull();
    expect(taintTolerationFilter.filter(podInfo('p', { tolerations: [{ key: 'dedicated', value: 'cpu' }] }), node)).not.toBeNull();
  });

  it('treats a node that is not Ready as tainted not-ready (unreachable when Unknown)', () => {
    expect(taintTolerationFilter.filter(podInfo('p'), nodeInfo('n', { ready: 'False' }))?.reasons).toEqual([
      'node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
    ]);
    expect(taintTolerationFilter.filter(podInfo('p'), nodeInfo('n', { ready: 'Unknown' }))?.reasons).toEqual([
      'node(s) had untolerated taint {node.kubernetes.io/unreachable: }',
    ]);
    expect(taintTolerationFilter.filter(podInfo('p'), nodeInfo('n', { ready: 'none' }))).not.toBeNull();
    const tolerant = podInfo('ds', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(taintTolerationFilter.filter(tolerant, nodeInfo('n', { ready: 'False' }))).toBeNull();
  });
});
