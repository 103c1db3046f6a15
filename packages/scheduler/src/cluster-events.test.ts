import { describe, expect, it } from 'vitest';
import { nodeInfo } from '../test/fixtures.js';
import { nodeChangeEvent, nodeSnapshot } from './cluster-events.js';

const plugins = (before: Parameters<typeof nodeInfo>[1], after: Parameters<typeof nodeInfo>[1]) => {
  const ev = nodeChangeEvent(nodeSnapshot(nodeInfo('n', before)), nodeSnapshot(nodeInfo('n', after)));
  return ev === undefined ? undefined : [...(ev.plugins as Set<string>)].sort();
};

describe('nodeChangeEvent', () => {
  it('a heartbeat-only update is no event', () => {
    expect(plugins({}, {})).toBeUndefined();
  });

  it('names the plugins a change can help', () => {
    expect(plugins({ unschedulable: true }, {})).toEqual(['NodeUnschedulable']);
    expect(plugins({}, { unschedulable: true })).toBeUndefined(); // cordoning helps nobody
    expect(plugins({ cpu: '1' }, { cpu: '2' })).toEqual(['NodeResourcesFit']);
    expect(plugins({}, { labels: { disk: 'ssd' } })).toEqual(['NodeAffinity']);
    expect(plugins({ taints: [{ key: 'k', effect: 'NoSchedule' }] }, {})).toEqual(['TaintToleration']);
    expect(plugins({ ready: 'False' }, {})).toEqual(['TaintToleration']); // the not-ready taint went away
    expect(plugins({ cpu: '1', labels: { a: 'b' } }, { cpu: '2' })).toEqual(['NodeAffinity', 'NodeResourcesFit']);
  });
});
