import { describe, expect, it } from 'vitest';
import { registry } from '../registry.js';
import type { KubeObject } from '../schemas/meta.js';
import { type FieldCause, invalidMessage, validateObject } from '../validate.js';
import { isValidPathSegmentName } from './rbac.js';

const G = 'rbac.authorization.k8s.io';
const roles = registry.get(G, 'roles')!;
const clusterRoles = registry.get(G, 'clusterroles')!;
const roleBindings = registry.get(G, 'rolebindings')!;
const clusterRoleBindings = registry.get(G, 'clusterrolebindings')!;

function causesOf(info: typeof roles, obj: unknown, old?: KubeObject): FieldCause[] {
  const r = validateObject(info, obj, old);
  return r.ok ? [] : r.causes;
}

const role = (rules: unknown[], name = 'r') => ({ apiVersion: `${G}/v1`, kind: 'Role', metadata: { name, namespace: 'ns' }, rules });
const clusterRole = (extra: Record<string, unknown>, name = 'system:controller:x') => ({
  apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name }, ...extra,
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleRef: unknown, subjects: unknown[] = []) => ({
  apiVersion: `${G}/v1`, kind, metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'ns' } : {}) }, roleRef, subjects,
});
const viewRef = { apiGroup: G, kind: 'ClusterRole', name: 'view' };

describe('names', () => {
  it('RBAC names are path segments: colons are fine, slashes and percent signs are not', () => {
    expect(causesOf(clusterRoles, clusterRole({}, 'system:controller:replicaset-controller'))).toEqual([]);
    expect(isValidPathSegmentName('..')).toEqual(["may not be '..'"]);
    expect(causesOf(clusterRoles, clusterRole({}, 'a/b%c'))).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "a/b%c": may not contain '/'` },
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "a/b%c": may not contain '%'` },
    ]);
  });
});

describe('rules', () => {
  it('accepts resource rules and cluster-scoped non-resource rules', () => {
    expect(causesOf(roles, role([{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] }]))).toEqual([]);
    expect(causesOf(clusterRoles, clusterRole({ rules: [{ nonResourceURLs: ['/healthz', '/apis/*'], verbs: ['get'] }] }))).toEqual([]);
  });

  it('rules need verbs, groups and resources', () => {
    const causes = causesOf(roles, role([{}]));
    expect(causes).toEqual([
      { reason: 'FieldValueRequired', field: 'rules[0].verbs', message: 'Required value: verbs must contain at least one value' },
      { reason: 'FieldValueRequired', field: 'rules[0].apiGroups', message: 'Required value: resource rules must supply at least one api group' },
      { reason: 'FieldValueRequired', field: 'rules[0].resources', message: 'Required value: resource rules must supply at least one resource' },
    ]);
    expect(invalidMessage(roles, 'r', causes.slice(0, 1))).toBe(
      'Role.rbac.authorization.k8s.io "r" is invalid: rules[0].verbs: Required value: verbs must contain at least one value',
    );
  });

  it('resourceNames apply to one resource; Roles cannot hold non-resource URLs; URLs do not mix with resources', () => {
    expect(causesOf(roles, role([{ apiGroups: [''], resources: ['pods', 'secrets'], resourceNames: ['x'], verbs: ['get'] }]))).toEqual([
      { reason: 'FieldValueRequired', field: 'rules[0].resourceNames', message: 'Required value: resource names cannot apply to multiple resources' },
    ]);
    expect(causesOf(roles, role([{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]))).toEqual([
      { reason: 'FieldValueInvalid', field: 'rules[0].nonResourceURLs', message: 'Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs' },
    ]);
    expect(causesOf(clusterRoles, clusterRole({ rules: [{ nonResourceURLs: ['/x'], resources: ['pods'], verbs: ['get'] }] }))).toEqual([
      { reason: 'FieldValueInvalid', field: 'rules[0].nonResourceURLs', message: 'Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs' },
    ]);
  });

  it('an aggregationRule needs at least one valid selector', () => {
    expect(causesOf(clusterRoles, clusterRole({ aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } }))).toEqual([]);
    expect(causesOf(clusterRoles, clusterRole({ aggregationRule: {} }))).toEqual([
      { reason: 'FieldValueRequired', field: 'aggregationRule.clusterRoleSelectors', message: 'Required value: at least one clusterRoleSelector required if aggregationRule is non-nil' },
    ]);
    const bad = causesOf(clusterRoles, clusterRole({ aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } }));
    expect(bad.map((c) => c.field)).toEqual(['aggregationRule.clusterRoleSelectors[0]']);
  });
});

describe('bindings', () => {
  it('accepts a RoleBinding of a ClusterRole to every subject kind', () => {
    const subjects = [{ kind: 'User', name: 'alice', apiGroup: G }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'default' }];
    expect(causesOf(roleBindings, binding('RoleBinding', viewRef, subjects))).toEqual([]);
  });

  it('roleRef is required, in the RBAC group, of kind Role or ClusterRole', () => {
    expect(causesOf(roleBindings, { apiVersion: `${G}/v1`, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'ns' } })).toEqual([
      { reason: 'FieldValueNotSupported', field: 'roleRef.apiGroup', message: 'Unsupported value: "": supported values: "rbac.authorization.k8s.io"' },
      { reason: 'FieldValueNotSupported', field: 'roleRef.kind', message: 'Unsupported value: "": supported values: "Role", "ClusterRole"' },
      { reason: 'FieldValueRequired', field: 'roleRef.name', message: 'Required value' },
    ]);
    expect(causesOf(clusterRoleBindings, binding('ClusterRoleBinding', { apiGroup: G, kind: 'Role', name: 'r' }))).toEqual([
      { reason: 'FieldValueNotSupported', field: 'roleRef.kind', message: 'Unsupported value: "Role": supported values: "ClusterRole"' },
    ]);
  });

  it('subjects: known kinds; ServiceAccounts need a namespace in ClusterRoleBindings; empty names refused', () => {
    expect(causesOf(clusterRoleBindings, binding('ClusterRoleBinding', viewRef, [{ kind: 'ServiceAccount', name: 'ci' }]))).toEqual([
      { reason: 'FieldValueRequired', field: 'subjects[0].namespace', message: 'Required value' },
    ]);
    expect(causesOf(roleBindings, binding('RoleBinding', viewRef, [{ kind: 'Robot', name: 'r2' }]))).toEqual([
      { reason: 'FieldValueNotSupported', field: 'subjects[0].kind', message: 'Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"' },
    ]);
    expect(causesOf(roleBindings, binding('RoleBinding', viewRef, [{ kind: 'User' }]))).toEqual([
      { reason: 'FieldValueRequired', field: 'subjects[0].name', message: 'Required value' },
      { reason: 'FieldValueInvalid', field: 'subjects[0].name', message: 'Invalid value: "": user name cannot be empty' },
    ]);
    expect(causesOf(roleBindings, binding('RoleBinding', viewRef, [{ kind: 'Group', name: 'g', apiGroup: 'x' }, { kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: G }])).map((c) => [c.field, c.reason])).toEqual([
      ['subjects[0].apiGroup', 'FieldValueNotSupported'],
      ['subjects[1].name', 'FieldValueInvalid'],
      ['subjects[1].apiGroup', 'FieldValueNotSupported'],
    ]);
  });

  it('roleRef is immutable on update', () => {
    const old = validateObject(roleBindings, binding('RoleBinding', viewRef));
    if (!old.ok) throw new Error('fixture');
    expect(causesOf(roleBindings, binding('RoleBinding', viewRef, [{ kind: 'User', name: 'new' }]), old.value)).toEqual([]);
    expect(causesOf(roleBindings, binding('RoleBinding', { ...viewRef, name: 'edit' }), old.value)).toEqual([
      {
        reason: 'FieldValueInvalid', field: 'roleRef',
        message: 'Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
      },
    ]);
    const oldCrb = validateObject(clusterRoleBindings, binding('ClusterRoleBinding', viewRef));
    if (!oldCrb.ok) throw new Error('fixture');
    expect(causesOf(clusterRoleBindings, binding('ClusterRoleBinding', { ...viewRef, name: 'admin' }), oldCrb.value).map((c) => c.field)).toEqual(['roleRef']);
  });
});
