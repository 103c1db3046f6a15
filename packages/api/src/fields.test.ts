import { describe, expect, it } from 'vitest';
import {
  FieldSelector,
  FieldSelectorError,
  escapeFieldValue,
  getFieldByPath,
  objectFields,
  parseFieldSelector,
  parseFieldSelectorOrError,
  supportedFieldSelectors,
} from './fields.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'worker-1', restartPolicy: 'Always', schedulerName: 'default-scheduler', hostNetwork: true },
  status: { phase: 'Running', podIP: '127.1.0.5' },
};
const pendingPod = { ...pod, metadata: { name: 'web-2', namespace: 'default' }, spec: {}, status: { phase: 'Pending' } };

describe('parseFieldSelector', () => {
  it('parses =, == and != and prints in canonical (sorted) order', () => {
    const s = parseFieldSelector('status.phase=Running,metadata.name==x,spec.nodeName!=');
    expect(s.requirements).toEqual([
      { field: 'metadata.name', operator: '==', value: 'x' },
      { field: 'spec.nodeName', operator: '!=', value: '' },
      { field: 'status.phase', operator: '=', value: 'Running' },
    ]);
    expect(s.toString()).toBe('metadata.name=x,spec.nodeName!=,status.phase=Running');
  });

  it('treats the empty string as everything and skips empty terms', () => {
    expect(parseFieldSelector('').isEmpty()).toBe(true);
    expect(parseFieldSelector(',,').isEmpty()).toBe(true);
    expect(parseFieldSelector('a=b,').toString()).toBe('a=b');
    expect(FieldSelector.everything().matches({})).toBe(true);
  });

  it('splits at the first operator', () => {
    expect(parseFieldSelector('a=b\\=c').requirements[0]).toEqual({ field: 'a', operator: '=', value: 'b=c' });
    expect(parseFieldSelector('a!=b').requirements[0].operator).toBe('!=');
    expect(parseFieldSelector('a==b').requirements[0]).toEqual({ field: 'a', operator: '==', value: 'b' });
  });

  it('unescapes values and re-escapes them when printing', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\\\c');
    expect(s.requirements[0].value).toBe('a,b\\c');
    expect(s.toString()).toBe('metadata.name=a\\,b\\\\c');
    expect(escapeFieldValue('x=y,z\\')).toBe('x\\=y\\,z\\\\');
  });

  it.each([
    ['novalue', /invalid selector: 'novalue'; can't understand 'novalue'/],
    ['=x', /can't understand '=x'/],
    ['a=b=c', /unescaped character in value: =/],
    ['a=b\\x', /invalid escape sequence: \\x/],
    ['a=b\\', /invalid escape sequence/],
  ])('%j is a syntax error', (input, message) => {
    const err = parseFieldSelectorOrError(input);
    expect(err).toBeInstanceOf(FieldSelectorError);
    expect((err as FieldSelectorError).code).toBe('FieldSelectorSyntax');
    expect((err as FieldSelectorError).message).toMatch(message);
  });

  it('rejects unsupported fields for a kind, listing the supported ones', () => {
    const err = parseFieldSelectorOrError('spec.bogus=1', { kind: 'Pod' }) as FieldSelectorError;
    expect(err).toBeInstanceOf(FieldSelectorError);
    expect(err.code).toBe('FieldSelectorUnsupported');
    expect(err.message).toMatch(/^field label not supported: spec.bogus \(supported: metadata.name, metadata.namespace, spec.nodeName/);
    expect(() => parseFieldSelector('metadata.namespace=x', { kind: 'Node' })).toThrow(/field label not supported/);
    expect(() => parseFieldSelector('x=1', { supportedFields: ['y'] })).toThrow(/supported: y/);
    expect(parseFieldSelector('involvedObject.name=web', { kind: 'Event' }).isEmpty()).toBe(false);
    expect(parseFieldSelector('metadata.name=a', { kind: 'Widget' }).isEmpty()).toBe(false);
    expect(() => parseFieldSelector('spec.x=a', { kind: 'Widget' })).toThrow(FieldSelectorError);
  });
});

describe('FieldSelector.matches', () => {
  it.each([
    ['spec.nodeName=worker-1', true, false],
    ['spec.nodeName=', false, true],
    ['spec.nodeName!=', true, false],
    ['status.phase=Running', true, false],
    ['status.phase!=Running', false, true],
    ['status.phase=Running,spec.nodeName=worker-1', true, false],
    ['metadata.name=web-1', true, false],
    ['metadata.namespace=default', true, true],
    ['metadata.namespace=other', false, false],
    ['spec.hostNetwork=true', true, false],
    ['spec.hostNetwork=false', false, true],
    ['status.podIP=127.1.0.5', true, false],
  ])('%j → running %s, pending %s', (selector, running, pending) => {
    const s = parseFieldSelector(selector, { kind: 'Pod' });
    expect(s.matchesObject(pod, 'Pod')).toBe(running);
    expect(s.matchesObject(pendingPod, 'Pod')).toBe(pending);
  });

  it('matches field maps and caller-supplied getters', () => {
    const s = parseFieldSelector('a=1,b!=2');
    expect(s.matches({ a: '1', b: '3' })).toBe(true);
    expect(s.matches({ a: '1' })).toBe(true);
    expect(s.matches({ a: '1', b: '2' })).toBe(false);
    expect(s.matches((f) => (f === 'a' ? '1' : undefined))).toBe(true);
    expect(parseFieldSelector('constructor=').matches({})).toBe(true);
  });

  it('falls back to dotted paths for kinds without a table', () => {
    const s = parseFieldSelector('spec.replicas=3,metadata.name=x');
    expect(s.matchesObject({ metadata: { name: 'x' }, spec: { replicas: 3 } })).toBe(true);
    expect(s.matchesObject({ metadata: { name: 'x' }, spec: { replicas: 2 } }, 'Widget')).toBe(false);
  });

  it('selects events by involvedObject', () => {
    const event = {
      metadata: { name: 'web-1.abc', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'u-1' },
      reason: 'Scheduled',
      type: 'Normal',
      source: { component: 'default-scheduler' },
    };
    const s = parseFieldSelector(
      'involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject.namespace=default,involvedObject.uid=u-1',
      { kind: 'Event' },
    );
    expect(s.matchesObject(event, 'Event')).toBe(true);
    expect(parseFieldSelector('involvedObject.name=web-2').matchesObject(event, 'Event')).toBe(false);
    expect(parseFieldSelector('source=default-scheduler,reason=Scheduled,type=Normal').matchesObject(event, 'Event')).toBe(true);
  });

  it('selects cordoned nodes and namespaces by phase', () => {
    const cordoned = { metadata: { name: 'n1' }, spec: { unschedulable: true } };
    const open = { metadata: { name: 'n2' }, spec: {} };
    const s = parseFieldSelector('spec.unschedulable=false', { kind: 'Node' });
    expect(s.matchesObject(open, 'Node')).toBe(true);
    expect(s.matchesObject(cordoned, 'Node')).toBe(false);
    expect(parseFieldSelector('status.phase=Terminating').matchesObject({ status: { phase: 'Terminating' } }, 'Namespace')).toBe(true);
  });

  it('reports exact matches for indexing', () => {
    const s = parseFieldSelector('spec.nodeName=n1,status.phase!=Failed');
    expect(s.requiresExactMatch('spec.nodeName')).toBe('n1');
    expect(s.requiresExactMatch('status.phase')).toBeUndefined();
  });
});

describe('object fields', () => {
  it('lists selectable fields per kind', () => {
    expect(supportedFieldSelectors('Pod')).toContain('spec.nodeName');
    expect(supportedFieldSelectors('Node')).toEqual(['metadata.name', 'spec.unschedulable']);
    expect(supportedFieldSelectors('Secret')).toContain('type');
    expect(supportedFieldSelectors('Widget')).toEqual(['metadata.name', 'metadata.namespace']);
    expect(supportedFieldSelectors('ClusterWidget', false)).toEqual(['metadata.name']);
  });

  it('reads values as strings with Kubernetes defaults', () => {
    expect(objectFields('Pod', pendingPod)).toMatchObject({ 'spec.nodeName': '', 'spec.hostNetwork': 'false', 'status.phase': 'Pending' });
    expect(objectFields('ReplicaSet', { status: { replicas: 3 } })['status.replicas']).toBe('3');
    expect(getFieldByPath({ a: { b: [1] } }, 'a.b')).toBe('');
    expect(getFieldByPath(null, 'a')).toBe('');
    expect(getFieldByPath({ a: false }, 'a')).toBe('false');
  });
});
