import { describe, expect, it } from 'vitest';
import {
  compileNodeSelectorMap,
  compileNodeSelectorTerm,
  compileNodeSelectorTerms,
  compileRequiredNodeAffinity,
  podMatchesNodeAffinity,
  type NodeSelectorTermInput,
} from './node-affinity.js';

const gpu = { name: 'gpu-1', labels: { accel: 'gpu', cores: '16', zone: 'a' } };
const plain = { name: 'plain-1', labels: { zone: 'b', cores: '4', odd: '4x' } };
const expr = (key: string, operator: string, values?: string[]): NodeSelectorTermInput => ({ matchExpressions: [{ key, operator, values }] });

describe('compileNodeSelectorTerm', () => {
  it.each<[string, NodeSelectorTermInput, boolean, boolean]>([
    // name, term, matches gpu-1, matches plain-1
    ['In', expr('zone', 'In', ['a', 'c']), true, false],
    ['NotIn', expr('zone', 'NotIn', ['a']), false, true],
    ['NotIn on a missing label', expr('missing', 'NotIn', ['a']), true, true],
    ['Exists', expr('accel', 'Exists'), true, false],
    ['DoesNotExist', expr('accel', 'DoesNotExist'), false, true],
    ['Gt', expr('cores', 'Gt', ['8']), true, false],
    ['Lt', expr('cores', 'Lt', ['8']), false, true],
    ['Gt is strict', expr('cores', 'Gt', ['16']), false, false],
    ['Gt with "-1" (not a valid label value, as in kube): invalid term', expr('cores', 'Gt', ['-1']), false, false],
    ['Gt 0', expr('cores', 'Gt', ['0']), true, true],
    ['Gt on a non-integer label value matches nothing', expr('odd', 'Gt', ['1']), false, false],
    ['Gt on a missing label matches nothing', expr('accel', 'Gt', ['1']), false, false],
    ['Gt with a non-integer bound: invalid term', expr('cores', 'Gt', ['x']), false, false],
    ['Gt with two values: invalid term', expr('cores', 'Gt', ['1', '2']), false, false],
    ['In without values: invalid term', expr('zone', 'In', []), false, false],
    ['Exists with values: invalid term', expr('zone', 'Exists', ['a']), false, false],
    ['unknown operator: invalid term', expr('zone', 'Near', ['a']), false, false],
    ['expressions are ANDed', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'cores', operator: 'Lt', values: ['8'] }] }, false, false],
    ['matchFields metadata.name In', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['plain-1'] }] }, false, true],
    ['matchFields metadata.name NotIn', { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['plain-1'] }] }, true, false],
    ['matchFields with two values: invalid term', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }, false, false],
    ['matchFields Exists: invalid term', { matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }, false, false],
    ['matchFields AND matchExpressions', { matchExpressions: [{ key: 'zone', operator: 'Exists' }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-1'] }] }, true, false],
    ['an empty term matches nothing', {}, false, false],
    ['empty lists match nothing', { matchExpressions: [], matchFields: [] }, false, false],
  ])('%s', (_name, term, onGpu, onPlain) => {
    const m = compileNodeSelectorTerm(term);
    expect(m(gpu.labels, gpu.name)).toBe(onGpu);
    expect(m(plain.labels, plain.name)).toBe(onPlain);
  });
});

describe('compileNodeSelectorTerms', () => {
  it('ORs the terms, skipping invalid ones', () => {
    const m = compileNodeSelectorTerms([expr('zone', 'In', ['b']), expr('cores', 'Gt', ['x']), expr('accel', 'Exists')]);
    expect(m(gpu.labels, gpu.name)).toBe(true);
    expect(m(plain.labels, plain.name)).toBe(true);
    expect(m({}, 'other')).toBe(false);
  });

  it('no terms match no node', () => {
    expect(compileNodeSelectorTerms([])(gpu.labels, gpu.name)).toBe(false);
    expect(compileNodeSelectorTerms(undefined)(gpu.labels, gpu.name)).toBe(false);
    expect(compileNodeSelectorTerms([{}])(gpu.labels, gpu.name)).toBe(false);
  });
});

describe('spec.nodeSelector and required affinity', () => {
  it('nodeSelector needs every pair; empty is no constraint', () => {
    expect(compileNodeSelectorMap({ accel: 'gpu', zone: 'a' })!(gpu.labels, gpu.name)).toBe(true);
    expect(compileNodeSelectorMap({ accel: 'gpu', zone: 'b' })!(gpu.labels, gpu.name)).toBe(false);
    expect(compileNodeSelectorMap({ accel: '' })!(plain.labels, plain.name)).toBe(false);
    expect(compileNodeSelectorMap({})).toBeUndefined();
    expect(compileNodeSelectorMap(undefined)).toBeUndefined();
  });

  const required = (...nodeSelectorTerms: NodeSelectorTermInput[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } });

  it('nodeSelector AND required terms; neither is no constraint', () => {
    const m = compileRequiredNodeAffinity({ nodeSelector: { zone: 'a' }, affinity: required(expr('accel', 'DoesNotExist')) })!;
    expect(m(gpu.labels, gpu.name)).toBe(false);
    expect(m(plain.labels, plain.name)).toBe(false);
    expect(compileRequiredNodeAffinity({})).toBeUndefined();
    expect(compileRequiredNodeAffinity({ affinity: { nodeAffinity: {} } })).toBeUndefined();
  });

  it('a required section without terms matches nothing', () => {
    expect(compileRequiredNodeAffinity({ affinity: required() })!(gpu.labels, gpu.name)).toBe(false);
  });

  it('podMatchesNodeAffinity reads a node object', () => {
    const node = { metadata: { name: gpu.name, labels: gpu.labels } };
    expect(podMatchesNodeAffinity({}, node)).toBe(true);
    expect(podMatchesNodeAffinity({ affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-1'] }] }) }, node)).toBe(true);
    expect(podMatchesNodeAffinity({ nodeSelector: { zone: 'b' } }, node)).toBe(false);
    expect(podMatchesNodeAffinity({ nodeSelector: { zone: 'b' } }, { metadata: {} })).toBe(false);
  });
});
