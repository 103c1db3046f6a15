import { describe, expect, it } from 'vitest';
import { finalizersForPolicy } from './resource-store.js';
import { decodeObject, encodeObject, KeySpace } from './codec.js';

describe('finalizersForPolicy', () => {
  it('adds orphan / foregroundDeletion as Kubernetes does', () => {
    expect(finalizersForPolicy([], { propagationPolicy: 'Orphan' })).toEqual(['orphan']);
    expect(finalizersForPolicy(['x'], { propagationPolicy: 'Foreground' })).toEqual(['x', 'foregroundDeletion']);
    expect(finalizersForPolicy(['orphan'], { propagationPolicy: 'Foreground' })).toEqual(['foregroundDeletion']);
    expect(finalizersForPolicy(['orphan', 'x'], { propagationPolicy: 'Background' })).toEqual(['x']);
    expect(finalizersForPolicy([], { orphanDependents: true })).toEqual(['orphan']);
  });
  it('changes nothing without a policy or when already in place', () => {
    expect(finalizersForPolicy(['orphan'], {})).toBeUndefined();
    expect(finalizersForPolicy([], { propagationPolicy: 'Background' })).toBeUndefined();
    expect(finalizersForPolicy(['foregroundDeletion'], { propagationPolicy: 'Foreground' })).toBeUndefined();
  });
});

describe('codec', () => {
  it('stores without resourceVersion and reads it back from mod_revision', () => {
    const stored = encodeObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', resourceVersion: '5' } });
    expect(JSON.parse(stored).metadata).toEqual({ name: 'p' });
    const obj = decodeObject({ key: Buffer.from('k'), value: Buffer.from(stored), modRevision: 9 });
    expect(obj.metadata.resourceVersion).toBe('9');
  });
  it('lays keys out as /<prefix>/<plural>[/<namespace>]/<name>', () => {
    const k = new KeySpace('/registry/');
    expect(k.objectKey('pods', 'ns', 'p')).toBe('/registry/pods/ns/p');
    expect(k.objectKey('nodes', undefined, 'n')).toBe('/registry/nodes/n');
    expect(k.namespacePrefix('pods', 'ns')).toBe('/registry/pods/ns/');
    expect(k.rangePrefix('serviceips')).toBe('/registry/ranges/serviceips/');
  });
});
