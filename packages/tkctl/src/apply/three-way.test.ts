import { describe, expect, it } from 'vitest';
import { strategicMergePatch } from '@tinykube/api';
import { threeWayMergePatch } from './three-way.js';
import { lastAppliedValue, readLastApplied, withLastApplied, LAST_APPLIED } from './last-applied.js';

const manifest = (replicas: number, env: { name: string; value: string }[], labels: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', env }] } },
  },
});

describe('threeWayMergePatch', () => {
  const original = manifest(2, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], { app: 'web', tier: 'x' });
  // The live object has server-set fields the manifest never mentioned.
  const live = {
    ...structuredClone(original),
    metadata: { ...original.metadata, uid: 'u1', resourceVersion: '5', annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: { ...structuredClone(original.spec), strategy: { type: 'RollingUpdate' } },
    status: { replicas: 2 },
  };

  it('is empty when the manifest did not change', () => {
    expect(threeWayMergePatch(original, original, live, 'Deployment')).toEqual({});
  });

  it('sets changed fields, nulls fields dropped from the manifest and deletes list elements by merge key', () => {
    const next = manifest(3, [{ name: 'A', value: '1' }, { name: 'C', value: '3' }], { app: 'web' });
    const patch = threeWayMergePatch(original, next, live, 'Deployment');
    expect(patch.metadata).toEqual({ labels: { tier: null } });
    const spec = patch.spec as Record<string, unknown>;
    expect(spec.replicas).toBe(3);
    expect(spec.strategy).toBeUndefined(); // server-owned fields are left alone
    const podSpec = (spec.template as { spec: Record<string, unknown> }).spec;
    expect(podSpec['$setElementOrder/containers']).toEqual([{ name: 'web' }]);
    const container = (podSpec.containers as Record<string, unknown>[])[0];
    expect(container.name).toBe('web');
    expect(container['$setElementOrder/env']).toEqual([{ name: 'A' }, { name: 'C' }]);
    expect(container.env).toEqual([{ name: 'C', value: '3' }, { $patch: 'delete', name: 'B' }]);

    // Applied by the same strategic merge patch the apiserver runs, it yields the manifest's intent.
    const result = strategicMergePatch(live, patch, 'Deployment') as typeof live;
    expect(result.metadata.labels).toEqual({ app: 'web' });
    expect(result.spec.replicas).toBe(3);
    expect(result.spec.strategy).toEqual({ type: 'RollingUpdate' });
    expect(result.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
    expect(result.status).toEqual({ replicas: 2 });
  });

  it('without last-applied only adds and changes (nothing is deleted)', () => {
    const next = manifest(2, [{ name: 'A', value: '9' }], { app: 'web' });
    const patch = threeWayMergePatch(undefined, next, live, 'Deployment');
    expect(patch.metadata).toBeUndefined();
    const result = strategicMergePatch(live, patch, 'Deployment') as typeof live;
    expect(result.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '9' }, { name: 'B', value: '2' }]);
  });

  it('uses $deleteFromPrimitiveList for merged primitive lists (finalizers)', () => {
    const o = { metadata: { finalizers: ['a', 'b'] } };
    const m = { metadata: { finalizers: ['a', 'c'] } };
    const c = { metadata: { finalizers: ['a', 'b'] } };
    expect(threeWayMergePatch(o, m, c, 'ConfigMap')).toEqual({
      metadata: { '$setElementOrder/finalizers': ['a', 'c'], finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['b'] },
    });
  });

  it('replaces lists without a merge strategy as a whole', () => {
    const o = { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } };
    const m = { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } };
    expect(threeWayMergePatch(o, m, o, 'Node')).toEqual(m);
  });
});

describe('last-applied annotation', () => {
  it('is the sorted compact JSON of the manifest with annotations {} and a trailing newline', () => {
    const m = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    expect(lastAppliedValue(m)).toBe(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"p","namespace":"default"},"spec":{"containers":[{"image":"busybox","name":"c"}]}}\n',
    );
    const annotated = withLastApplied(m);
    expect(annotated.metadata.annotations?.[LAST_APPLIED]).toBe(lastAppliedValue(m));
    expect(readLastApplied(annotated)).toMatchObject({ kind: 'Pod', metadata: { name: 'p' } });
    // Re-annotating does not nest the old annotation inside the new one.
    expect(lastAppliedValue(annotated)).toBe(lastAppliedValue(m));
  });
});
