import { describe, expect, it } from 'vitest';
import { nodeInfo, podInfo } from '../../test/fixtures.js';
import { nodeResourcesFitFilter } from './node-resources-fit.js';

describe('nodeResourcesFitFilter', () => {
  it('fits within allocatable minus bound requests', () => {
    const node = nodeInfo('n', { cpu: '2', memory: '1Gi' }, [podInfo('a', { nodeName: 'n', cpu: '1500m', memory: '512Mi' })]);
    expect(nodeResourcesFitFilter.filter(podInfo('p', { cpu: '500m', memory: '512Mi' }), node)).toBeNull();
    const r = nodeResourcesFitFilter.filter(podInfo('p', { cpu: '501m', memory: '513Mi' }), node);
    expect(r?.reasons).toEqual(['Insufficient cpu', 'Insufficient memory']);
    expect(r?.unresolvable).toBe(false);
  });

  it('counts pods against allocatable pods', () => {
    const node = nodeInfo('n', { pods: '1' }, [podInfo('a', { nodeName: 'n' })]);
    expect(nodeResourcesFitFilter.filter(podInfo('p'), node)?.reasons).toEqual(['Too many pods']);
  });

  it('a pod without requests fits a full node (only the pod count matters)', () => {
    const node = nodeInfo('n', { cpu: '1' }, [podInfo('a', { nodeName: 'n', cpu: '1' })]);
    expect(nodeResourcesFitFilter.filter(podInfo('p'), node)).toBeNull();
  });

  it('checks extended resources', () => {
    const node = nodeInfo('n', { extra: { 'nvidia.com/gpu': '1' } });
    expect(nodeResourcesFitFilter.filter(podInfo('p', { extra: { 'nvidia.com/gpu': '1' } }), node)).toBeNull();
    expect(nodeResourcesFitFilter.filter(podInfo('p', { extra: { 'nvidia.com/gpu': '2' } }), node)?.reasons).toEqual([
      'Insufficient nvidia.com/gpu',
    ]);
  });
});
