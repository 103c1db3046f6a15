import type { CertificateSigningRequest, ClusterRole, ConfigMap, Secret, ServiceAccount, SubjectAccessReview } from '@tinykube/api';
import type { DaemonSet, Deployment, Endpoints, Event, KubeObject, Lease, Namespace, Node, Pod, ReplicaSet, Service } from '@tinykube/api';

/**
 * The resources the controllers read from caches and write through the client, by plural name.
 * `group/version/namespaced` match the @tinykube/api registry (and the client's `ResourceRef`), so a
 * resource name is all a controller needs to talk about one.
 */
export const RESOURCES = {
  pods: { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  services: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  endpoints: { group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true },
  nodes: { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false },
  namespaces: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  events: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  replicasets: { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  daemonsets: { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
  clusterroles: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  serviceaccounts: { group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  configmaps: { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  secrets: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  certificatesigningrequests: { group: 'certificates.k8s.io', version: 'v1', plural: 'certificatesigningrequests', kind: 'CertificateSigningRequest', namespaced: false },
  /** create-only: the answer is in the returned object's status */
  subjectaccessreviews: { group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false },
} as const;

export type ResourceName = keyof typeof RESOURCES;

/** The object type stored under each resource name. */
export interface ResourceTypes {
  pods: Pod;
  services: Service;
  endpoints: Endpoints;
  nodes: Node;
  namespaces: Namespace;
  events: Event;
  replicasets: ReplicaSet;
  deployments: Deployment;
  daemonsets: DaemonSet;
  leases: Lease;
  clusterroles: ClusterRole;
  serviceaccounts: ServiceAccount;
  configmaps: ConfigMap;
  secrets: Secret;
  certificatesigningrequests: CertificateSigningRequest;
  subjectaccessreviews: SubjectAccessReview;
}

export function apiVersionOf(r: ResourceName): string {
  const info = RESOURCES[r];
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** Finds the resource for an ownerReference's apiVersion + kind (only kinds we cache). */
export function resourceForKind(apiVersion: string, kind: string): ResourceName | undefined {
  for (const [name, info] of Object.entries(RESOURCES)) {
    if (info.kind === kind && apiVersionOf(name as ResourceName) === apiVersion) return name as ResourceName;
  }
  return undefined;
}

/** "namespace/name" or "name" (client-go's MetaNamespaceKeyFunc). */
export function keyFor(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
