import { describe, expect, it } from 'vitest';
import { nodeObj, podInfo } from '../test/fixtures.js';
import { SchedulerCache } from './cache.js';
import { parseNode } from './informer-objects.js';

function cacheWith(...names: string[]) {
  const c = new SchedulerCache();
  for (const n of names) c.setNode(parseNode(nodeObj(n, { cpu: '2' }))!);
  return c;
}

describe('SchedulerCache', () => {
  it('assumed pods count as bound until confirmed, without double counting', () => {
    const c = cacheWith('n1');
    const pod = podInfo('p', { cpu: '1' });
    c.assumePod(pod, 'n1');
    expect(c.getNode('n1')!.requested.milliCpu).toBe(1000);
    expect(c.isAssumed(pod.uid)).toBe(true);
    c.addOrUpdateBoundPod(podInfo('p', { cpu: '1', nodeName: 'n1' }));
    expect(c.isAssumed(pod.uid)).toBe(false);
    expect(c.getNode('n1')!.requested.milliCpu).toBe(1000);
    expect(c.getNode('n1')!.podCount).toBe(1);
  });

  it('forget undoes an assumption; a confirmed pod is not forgotten', () => {
    const c = cacheWith('n1');
    c.assumePod(podInfo('p', { cpu: '1' }), 'n1');
    c.forgetPod('uid-p');
    expect(c.getNode('n1')!.requested.milliCpu).toBe(0);
    c.addOrUpdateBoundPod(podInfo('q', { cpu: '1', nodeName: 'n1' }));
    c.forgetPod('uid-q');
    expect(c.getNode('n1')!.requested.milliCpu).toBe(1000);
  });

  it('a pod bound elsewhere than assumed moves', () => {
    const c = cacheWith('n1', 'n2');
    c.assumePod(podInfo('p', { cpu: '1' }), 'n1');
    c.addOrUpdateBoundPod(podInfo('p', { cpu: '1', nodeName: 'n2' }));
    expect(c.getNode('n1')!.requested.milliCpu).toBe(0);
    expect(c.getNode('n2')!.requested.milliCpu).toBe(1000);
  });

  it('pods may arrive before their node; the node keeps their accounting', () => {
    const c = new SchedulerCache();
    c.addOrUpdateBoundPod(podInfo('p', { cpu: '1', nodeName: 'late' }));
    expect(c.getNode('late')).toBeUndefined();
    expect(c.nodeCount()).toBe(0);
    c.setNode(parseNode(nodeObj('late'))!);
    expect(c.getNode('late')!.requested.milliCpu).toBe(1000);
    expect(c.candidates().map((n) => n.name)).toEqual(['late']);
  });

  it('removing a node drops it from the candidates; updates keep its pods', () => {
    const c = cacheWith('n1', 'n2');
    c.addOrUpdateBoundPod(podInfo('p', { cpu: '1', nodeName: 'n1' }));
    c.setNode(parseNode(nodeObj('n1', { cpu: '8', labels: { x: 'y' } }))!);
    expect(c.getNode('n1')!.requested.milliCpu).toBe(1000);
    expect(c.getNode('n1')!.allocatable.milliCpu).toBe(8000);
    c.removeNode('n1');
    expect(c.candidates().map((n) => n.name)).toEqual(['n2']);
    c.removePod('uid-p');
    expect(c.podCount()).toBe(0);
  });

  it('tracks pods per owner per node', () => {
    const c = cacheWith('n1');
    c.assumePod(podInfo('a', { owner: 'rs' }), 'n1');
    c.addOrUpdateBoundPod(podInfo('b', { owner: 'rs', nodeName: 'n1' }));
    expect(c.ownerCountOn('uid-rs', 'n1')).toBe(2);
    c.removePod('uid-a');
    expect(c.ownerCountOn('uid-rs', 'n1')).toBe(1);
  });
});
