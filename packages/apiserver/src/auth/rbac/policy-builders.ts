/**
 * Builders for the bootstrap policy, shaped as kube's rbacv1helpers build them: every string list of a
 * rule sorted, User/Group subjects in the RBAC group, ServiceAccount subjects in none, and the
 * `kubernetes.io/bootstrapping: rbac-defaults` label plus `rbac.authorization.kubernetes.io/autoupdate: "true"`
 * annotation on everything kube-apiserver itself owns.
 */
import {
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  RBAC_GROUP,
  type Role,
  type RoleBinding,
  type Subject,
} from '@tinykube/api';

export const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';
export const BOOTSTRAP_LABEL_VALUE = 'rbac-defaults';
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_WRITE = [...READ, ...WRITE];
export const READ_UPDATE = ['get', 'list', 'watch', 'update', 'patch'];

const API_VERSION = `${RBAC_GROUP}/v1`;
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/** A resource rule: `r(['get'], [''], ['pods'])`; resourceNames restrict it to those objects. */
export function r(verbs: readonly string[], groups: readonly string[], resources: readonly string[], names?: readonly string[]): PolicyRule {
  const rule: PolicyRule = { verbs: sorted(verbs), apiGroups: sorted(groups), resources: sorted(resources) };
  if (names && names.length > 0) rule.resourceNames = sorted(names);
  return rule;
}

/** A non-resource rule: `u(['get'], ['/healthz'])`. */
export function u(verbs: readonly string[], urls: readonly string[]): PolicyRule {
  return { verbs: sorted(verbs), nonResourceURLs: sorted(urls) };
}

/** eventsRule: what every component that records Events needs. */
export function eventsRule(): PolicyRule {
  return r(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);
}

export interface MetaOptions {
  labels?: Record<string, string>;
  /** false for objects kube-apiserver does not own (kubeadm's): no rbac-defaults label or autoupdate annotation */
  defaults?: boolean;
}

function meta(name: string, namespace: string | undefined, o: MetaOptions): ClusterRole['metadata'] {
  const labels = { ...(o.labels ?? {}) };
  const m: ClusterRole['metadata'] = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (o.defaults !== false) {
    labels[BOOTSTRAP_LABEL] = BOOTSTRAP_LABEL_VALUE;
    m.annotations = { [AUTOUPDATE_ANNOTATION]: 'true' };
  }
  if (Object.keys(labels).length > 0) m.labels = labels;
  return m;
}

export function clusterRole(name: string, rules: PolicyRule[], o: MetaOptions = {}): ClusterRole {
  return { apiVersion: API_VERSION, kind: 'ClusterRole', metadata: meta(name, undefined, o), rules };
}

/** A ClusterRole whose rules the aggregation controller fills from ClusterRoles carrying `label: "true"`. */
export function aggregatedClusterRole(name: string, label: string, o: MetaOptions = {}): ClusterRole {
  return {
    apiVersion: API_VERSION, kind: 'ClusterRole', metadata: meta(name, undefined, o),
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] },
  };
}

export function role(namespace: string, name: string, rules: PolicyRule[], o: MetaOptions = {}): Role {
  return { apiVersion: API_VERSION, kind: 'Role', metadata: meta(name, namespace, o), rules };
}

export const users = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'User', apiGroup: RBAC_GROUP, name }));
export const groups = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name }));
export const serviceAccounts = (namespace: string, ...names: string[]): Subject[] =>
  names.map((name) => ({ kind: 'ServiceAccount', name, namespace }));

/** NewClusterBinding(role): a ClusterRoleBinding named after the ClusterRole it binds, unless `name` differs. */
export function clusterRoleBinding(roleName: string, subjects: Subject[], o: MetaOptions & { name?: string } = {}): ClusterRoleBinding {
  return {
    apiVersion: API_VERSION, kind: 'ClusterRoleBinding', metadata: meta(o.name ?? roleName, undefined, o),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName }, ...(subjects.length > 0 ? { subjects } : {}),
  };
}

/** NewRoleBinding(role, ns): a RoleBinding of the Role `roleName` in `namespace`, named after it unless `name` differs. */
export function roleBinding(namespace: string, roleName: string, subjects: Subject[], o: MetaOptions & { name?: string } = {}): RoleBinding {
  return {
    apiVersion: API_VERSION, kind: 'RoleBinding', metadata: meta(o.name ?? roleName, namespace, o),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: roleName }, subjects,
  };
}
