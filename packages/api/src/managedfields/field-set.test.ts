import { describe, expect, it } from 'vitest';
import { FieldSet, pathString } from './field-set.js';

describe('FieldSet', () => {
  it('round-trips kube\'s FieldsV1, "." marking a member with children, keys sorted as kube', () => {
    const doc = {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
      },
    };
    const s = FieldSet.fromFieldsV1(doc);
    expect(s.has(['f:metadata', 'f:labels'])).toBe(true);
    expect(s.has(['f:metadata'])).toBe(false);
    expect(s.size).toBe(6);
    expect(JSON.stringify(s.toFieldsV1())).toBe(JSON.stringify(doc));
  });

  it('orders fields before keys, values and indexes', () => {
    const s = new FieldSet([['i:1'], ['v:"a"'], ['k:{"a":1}'], ['f:z'], ['f:a'], ['i:0']]);
    expect(Object.keys(s.toFieldsV1())).toEqual(['f:a', 'f:z', 'k:{"a":1}', 'v:"a"', 'i:0', 'i:1']);
  });

  it('prints paths as kube does in conflicts', () => {
    expect(pathString(['f:spec', 'f:replicas'])).toBe('.spec.replicas');
    expect(pathString(['f:spec', 'f:containers', 'k:{"name":"c"}', 'f:image'])).toBe('.spec.containers[name="c"].image');
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"x"'])).toBe('.metadata.finalizers[="x"]');
    expect(pathString(['f:args', 'i:0'])).toBe('.args[0]');
  });

  it('has set algebra', () => {
    const a = new FieldSet([['f:a'], ['f:b']]), b = new FieldSet([['f:b'], ['f:c']]);
    expect(a.union(b).size).toBe(3);
    expect(a.difference(b).paths()).toEqual([['f:a']]);
    expect(a.intersection(b).paths()).toEqual([['f:b']]);
    expect(a.equals(new FieldSet([['f:b'], ['f:a']]))).toBe(true);
  });
});
