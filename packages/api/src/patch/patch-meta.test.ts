import { describe, expect, it } from 'vitest';
import { STRATEGIC_PATCH_KINDS, patchMetaForKind, patchMetaOrDefault } from './patch-meta.js';

describe('patch metadata', () => {
  it('covers every kind tinykube serves', () => {
    for (const kind of ['Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'Service', 'Node', 'Namespace', 'ConfigMap', 'Secret', 'Endpoints', 'Event', 'ServiceAccount', 'Lease']) {
      expect(STRATEGIC_PATCH_KINDS).toContain(kind);
      expect(patchMetaForKind(kind)?.metadata?.fields?.finalizers).toEqual({ merge: true });
      expect(patchMetaForKind(kind)?.metadata?.fields?.ownerReferences).toMatchObject({ merge: true, mergeKey: 'uid' });
    }
  });

  it('uses the merge keys of the Kubernetes API types', () => {
    const podSpec = patchMetaForKind('Pod')?.spec?.fields ?? {};
    expect(podSpec.containers).toMatchObject({ merge: true, mergeKey: 'name' });
    expect(podSpec.containers.fields?.ports).toMatchObject({ merge: true, mergeKey: 'containerPort' });
    expect(podSpec.containers.fields?.env).toMatchObject({ merge: true, mergeKey: 'name' });
    expect(podSpec.containers.fields?.volumeMounts).toMatchObject({ merge: true, mergeKey: 'mountPath' });
    expect(podSpec.containers.fields?.envFrom).toBeUndefined();
    expect(podSpec.volumes).toMatchObject({ merge: true, mergeKey: 'name' });
    expect(podSpec.imagePullSecrets).toMatchObject({ merge: true, mergeKey: 'name' });
    expect(podSpec.hostAliases).toMatchObject({ merge: true, mergeKey: 'ip' });
    expect(podSpec.topologySpreadConstraints).toMatchObject({ merge: true, mergeKey: 'topologyKey' });
    expect(podSpec.tolerations).toBeUndefined();
    expect(patchMetaForKind('Deployment')?.spec?.fields?.template?.fields?.spec?.fields?.initContainers).toMatchObject({ mergeKey: 'name' });
    expect(patchMetaForKind('Service')?.spec?.fields?.ports).toMatchObject({ merge: true, mergeKey: 'port' });
    expect(patchMetaForKind('Node')?.spec?.fields?.taints).toBeUndefined();
    expect(patchMetaForKind('Node')?.status?.fields?.conditions).toMatchObject({ mergeKey: 'type' });
    expect(patchMetaForKind('ServiceAccount')?.secrets).toMatchObject({ mergeKey: 'name' });
  });

  it('falls back to ObjectMeta rules for unknown kinds', () => {
    expect(patchMetaForKind('Widget')).toBeUndefined();
    expect(patchMetaForKind('constructor')).toBeUndefined();
    expect(patchMetaOrDefault('Widget').metadata?.fields?.finalizers).toEqual({ merge: true });
  });
});
