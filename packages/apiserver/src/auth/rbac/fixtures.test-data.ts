// Builders for the RBAC tests: short to write, shaped exactly like parsed API objects.
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from '@tinykube/api';
import type { Attributes, UserInfo } from '../types.js';

export const G = 'rbac.authorization.k8s.io';

export function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  const r: PolicyRule = { verbs, apiGroups, resources };
  if (resourceNames) r.resourceNames = resourceNames;
  return r;
}

export function urlRule(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

export function clusterRole(name: string, rules: PolicyRule[], labels?: Record<string, string>): ClusterRole {
  return { apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules };
}

export function role(namespace: string, name: string, rules: PolicyRule[]): Role {
  return { apiVersion: `${G}/v1`, kind: 'Role', metadata: { name, namespace }, rules };
}

export const userSubject = (name: string): Subject => ({ kind: 'User', apiGroup: G, name });
export const groupSubject = (name: string): Subject => ({ kind: 'Group', apiGroup: G, name });
export const saSubject = (name: string, namespace?: string): Subject => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });

export function clusterRoleBinding(name: string, roleName: string, subjects: Subject[]): ClusterRoleBinding {
  return { apiVersion: `${G}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: roleName }, subjects };
}

export function roleBinding(namespace: string, name: string, ref: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: Subject[]): RoleBinding {
  return { apiVersion: `${G}/v1`, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: G, ...ref }, subjects };
}

export function user(username: string, groups: string[] = ['system:authenticated']): UserInfo {
  return { username, groups };
}

export function resourceAttrs(u: UserInfo, verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes {
  const [res, sub = ''] = resource.split('/');
  return {
    user: u, verb, resourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1',
    resource: res!, subresource: sub, namespace: '', name: '', ...extra,
  };
}

export function pathAttrs(u: UserInfo, verb: string, path: string): Attributes {
  return { user: u, verb, resourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
}
