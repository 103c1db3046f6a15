import { describe, expect, it } from 'vitest';
import { nodeInfo, podInfo } from '../../test/fixtures.js';
import { nodeUnschedulableFilter } from './node-unschedulable.js';

describe('nodeUnschedulableFilter', () => {
  it('rejects a cordoned node', () => {
    const r = nodeUnschedulableFilter.filter(podInfo('p'), nodeInfo('n', { unschedulable: true }));
    expect(r?.reasons).toEqual(['node(s) were unschedulable']);
    expect(r?.unresolvable).toBe(true);
  });

  it('passes a schedulable node', () => {
    expect(nodeUnschedulableFilter.filter(podInfo('p'), nodeInfo('n'))).toBeNull();
  });

  it('passes a pod tolerating the unschedulable taint', () => {
    const pod = podInfo('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(nodeUnschedulableFilter.filter(pod, nodeInfo('n', { unschedulable: true }))).toBeNull();
  });
});
