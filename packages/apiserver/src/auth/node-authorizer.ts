/**
 * The Node authorizer (kube's plugin/pkg/auth/authorizer/node): a kubelet (user `system:node:NAME` in group
 * `system:nodes`) may read a Secret, ConfigMap, PersistentVolumeClaim or ServiceAccount token only when a pod bound
 * to its node references it; everything else it may do is the fixed set of node rules (what it may change of
 * those is narrowed further by the NodeRestriction admission plugin). Other users: no opinion.
 */
import type { KubeObject, PolicyRule } from '@tinykube/api';
import type { Storage } from '../storage/storage.js';
import { isRecord } from '../util.js';
import { rulesAllow } from './rbac/rule-match.js';
import type { Attributes, Authorizer, Decision, UserInfo } from './types.js';

const NODE_PREFIX = 'system:node:';

/** The node a user is the kubelet of (kube's NodeIdentifier), or undefined. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.username.startsWith(NODE_PREFIX) || !user.groups.includes('system:nodes')) return undefined;
  const name = user.username.slice(NODE_PREFIX.length);
  return name === '' ? undefined : name;
}

/** What a kubelet may do regardless of the pods it runs (kube's bootstrappolicy NodeRules, for our resources). */
export const NODE_RULES: PolicyRule[] = [
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews', 'localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['create', 'get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch', 'update'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['patch', 'update', 'delete'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get', 'list', 'watch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments', 'csidrivers', 'csinodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['node.k8s.io'], resources: ['runtimeclasses'], verbs: ['get', 'list', 'watch'] },
];

/** The names of Secrets, ConfigMaps and PVCs a pod uses (volumes, projected sources, env, envFrom, pull secrets). */
export function podReferences(pod: KubeObject): { secrets: Set<string>; configmaps: Set<string>; persistentvolumeclaims: Set<string> } {
  const out = { secrets: new Set<string>(), configmaps: new Set<string>(), persistentvolumeclaims: new Set<string>() };
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const add = (set: Set<string>, v: unknown) => { if (typeof v === 'string' && v !== '') set.add(v); };
  const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);
  for (const s of list(spec.imagePullSecrets)) add(out.secrets, s.name);
  for (const v of list(spec.volumes)) {
    if (isRecord(v.secret)) add(out.secrets, v.secret.secretName);
    if (isRecord(v.configMap)) add(out.configmaps, v.configMap.name);
    if (isRecord(v.persistentVolumeClaim)) add(out.persistentvolumeclaims, v.persistentVolumeClaim.claimName);
    if (isRecord(v.projected)) {
      for (const src of list(v.projected.sources)) {
        if (isRecord(src.secret)) add(out.secrets, src.secret.name);
        if (isRecord(src.configMap)) add(out.configmaps, src.configMap.name);
      }
    }
  }
  for (const c of [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)]) {
    for (const e of list(c.env)) {
      const from = isRecord(e.valueFrom) ? e.valueFrom : {};
      if (isRecord(from.secretKeyRef)) add(out.secrets, from.secretKeyRef.name);
      if (isRecord(from.configMapKeyRef)) add(out.configmaps, from.configMapKeyRef.name);
    }
    for (const e of list(c.envFrom)) {
      if (isRecord(e.secretRef)) add(out.secrets, e.secretRef.name);
      if (isRecord(e.configMapRef)) add(out.configmaps, e.configMapRef.name);
    }
  }
  return out;
}

const GRAPH_RESOURCES = new Set(['secrets', 'configmaps', 'persistentvolumeclaims']);

export class NodeAuthorizer implements Authorizer {
  readonly name = 'Node';
  constructor(private readonly storage: Storage, private readonly rules: PolicyRule[] = NODE_RULES) {}

  /** Pods bound to `node` in `namespace` (from the watch cache). */
  private podsOn(node: string, namespace: string): KubeObject[] {
    const pods = this.storage.get('', 'pods');
    if (!pods) return [];
    return pods.cache.list(this.storage.keys.namespacePrefix('pods', namespace))
      .map((e) => e.obj)
      .filter((p) => isRecord(p.spec) && p.spec.nodeName === node);
  }

  authorize(a: Attributes): Decision {
    const node = nodeNameOf(a.user);
    if (node === undefined) return { decision: 'noOpinion', reason: '' };
    if (a.resourceRequest && a.apiGroup === '' && GRAPH_RESOURCES.has(a.resource) && a.subresource === '') {
      return this.authorizeReference(node, a);
    }
    if (a.resourceRequest && a.apiGroup === '' && a.resource === 'serviceaccounts' && a.subresource === 'token') {
      if (a.verb !== 'create' || !a.name) return this.no(`node '${node}' can only create tokens for individual service accounts`);
      const uses = this.podsOn(node, a.namespace).some((p) => isRecord(p.spec) && (p.spec.serviceAccountName ?? 'default') === a.name);
      return uses ? { decision: 'allow', reason: '' } : this.no(`no relationship found between node '${node}' and this object`);
    }
    if (rulesAllow(a, this.rules)) return { decision: 'allow', reason: '' };
    return { decision: 'noOpinion', reason: '' };
  }

  private authorizeReference(node: string, a: Attributes): Decision {
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') return this.no(`node '${node}' can only read resources of this type`);
    if (!a.name) return this.no(`node '${node}' can only read namespaced object of this type`);
    const kind = a.resource as 'secrets' | 'configmaps' | 'persistentvolumeclaims';
    const used = this.podsOn(node, a.namespace).some((p) => podReferences(p)[kind].has(a.name));
    return used ? { decision: 'allow', reason: '' } : this.no(`no relationship found between node '${node}' and this object`);
  }

  private no(reason: string): Decision {
    return { decision: 'noOpinion', reason };
  }
}
