import type { KubeObject, Pod, PodTemplateSpec } from '@tinykube/api';
import { clone, ownerRefFor } from './pods.js';

/** A new Pod from a controller's template (kube's GetPodFromTemplate): labels/annotations/spec copied, owned by `owner`. */
export function podFromTemplate(template: PodTemplateSpec, owner: KubeObject, generateName: string): Pod {
  const t = clone(template);
  const meta: Pod['metadata'] = {
    generateName,
    namespace: owner.metadata.namespace,
    labels: t.metadata?.labels ?? {},
    ownerReferences: [ownerRefFor(owner)],
  };
  if (t.metadata?.annotations && Object.keys(t.metadata.annotations).length > 0) meta.annotations = t.metadata.annotations;
  if (Array.isArray(t.metadata?.finalizers)) meta.finalizers = t.metadata.finalizers as string[];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: t.spec };
}
