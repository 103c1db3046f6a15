import { describe, expect, it } from 'vitest';
import { nodeInfo, podInfo } from '../../test/fixtures.js';
import { nodeAffinityFilter } from './node-affinity.js';

const required = (...nodeSelectorTerms: unknown[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } },
});
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, values }] });

describe('nodeAffinityFilter', () => {
  const gpu = nodeInfo('gpu-1', { labels: { accel: 'gpu', cores: '16', zone: 'a' } });
  const plain = nodeInfo('plain-1', { labels: { zone: 'b', cores: '4' } });
  const fits = (pod: ReturnType<typeof podInfo>, node = gpu) => nodeAffinityFilter.filter(pod, node) === null;

  it('nodeSelector needs every label', () => {
    expect(fits(podInfo('p', { nodeSelector: { accel: 'gpu', zone: 'a' } }))).toBe(true);
    expect(fits(podInfo('p', { nodeSelector: { accel: 'gpu', zone: 'b' } }))).toBe(false);
    const r = nodeAffinityFilter.filter(podInfo('p', { nodeSelector: { accel: 'gpu' } }), plain);
    expect(r?.reasons).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
    expect(r?.unresolvable).toBe(true);
  });

  it('In / NotIn / Exists / DoesNotExist', () => {
    expect(fits(podInfo('p', { affinity: required(expr('zone', 'In', ['a', 'c'])) }))).toBe(true);
    expect(fits(podInfo('p', { affinity: required(expr('zone', 'In', ['c'])) }))).toBe(false);
    expect(fits(podInfo('p', { affinity: required(expr('zone', 'NotIn', ['a'])) }))).toBe(false);
    expect(fits(podInfo('p', { affinity: required(expr('missing', 'NotIn', ['a'])) }))).toBe(true);
    expect(fits(podInfo('p', { affinity: required(expr('accel', 'Exists')) }))).toBe(true);
    expect(fits(podInfo('p', { affinity: required(expr('accel', 'Exists')) }), plain)).toBe(false);
    expect(fits(podInfo('p', { affinity: required(expr('accel', 'DoesNotExist')) }), plain)).toBe(true);
  });

  it('Gt / Lt compare integers; a bad value matches nothing', () => {
    expect(fits(podInfo('p', { affinity: required(expr('cores', 'Gt', ['8'])) }))).toBe(true);
    expect(fits(podInfo('p', { affinity: required(expr('cores', 'Gt', ['8'])) }), plain)).toBe(false);
    expect(fits(podInfo('p', { affinity: required(expr('cores', 'Lt', ['8'])) }), plain)).toBe(true);
    expect(fits(podInfo('p', { affinity: required(expr('cores', 'Gt', ['x'])) }))).toBe(false);
  });

  it('terms are ORed, expressions inside a term ANDed', () => {
    const pod = podInfo('p', {
      affinity: required(
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }, { key: 'accel', operator: 'Exists' }] },
        expr('cores', 'Lt', ['5']),
      ),
    });
    expect(fits(pod, gpu)).toBe(false); // zone a fails term 1, 16 cores fails term 2
    expect(fits(pod, plain)).toBe(true); // term 2
  });

  it('matchFields metadata.name; empty terms match nothing', () => {
    const byName = podInfo('p', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['plain-1'] }] }) });
    expect(fits(byName, plain)).toBe(true);
    expect(fits(byName, gpu)).toBe(false);
    expect(fits(podInfo('p', { affinity: required({}) }))).toBe(false);
    expect(fits(podInfo('p', { affinity: required() }))).toBe(false);
  });

  it('nodeSelector and affinity must both hold', () => {
    const pod = podInfo('p', { nodeSelector: { zone: 'a' }, affinity: required(expr('accel', 'DoesNotExist')) });
    expect(fits(pod, gpu)).toBe(false);
  });
});
