import type { ClusterRole, ClusterRoleBinding, RoleBinding } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { bootstrapPolicy } from './bootstrap-policy.js';
import { G, rule, saSubject, userSubject } from './fixtures.test-data.js';
import { reconcileBinding, reconcileRole } from './reconcile.js';

const policy = bootstrapPolicy();
const expectedRole = (name: string) => structuredClone(policy.clusterRoles.find((r) => r.metadata.name === name)!);
const expectedBinding = (name: string) => structuredClone(policy.clusterRoleBindings.find((b) => b.metadata.name === name)!);

/** As the store returns it: identity fields set. */
function stored<T extends ClusterRole | ClusterRoleBinding | RoleBinding>(o: T): T {
  const s = structuredClone(o);
  s.metadata = { ...s.metadata, uid: 'uid-1', resourceVersion: '42', creationTimestamp: '2024-01-01T00:00:00Z' };
  return s;
}

describe('reconcileRole', () => {
  it('creates a missing role', () => {
    const r = reconcileRole(undefined, expectedRole('system:basic-user'));
    expect(r.action).toBe('create');
    expect(r.object).toEqual(expectedRole('system:basic-user'));
  });

  it('leaves an up-to-date role alone', () => {
    const existing = stored(expectedRole('system:basic-user'));
    expect(reconcileRole(existing, expectedRole('system:basic-user'))).toMatchObject({ action: 'none', object: existing, missingRules: [] });
  });

  it('adds missing rules (as atoms) and keeps extra ones an admin added', () => {
    const existing = stored(expectedRole('system:basic-user'));
    const extra = rule(['get'], [''], ['pods']);
    existing.rules = [extra, rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews'])];
    const r = reconcileRole(existing, expectedRole('system:basic-user'));
    expect(r.action).toBe('update');
    expect(r.missingRules).toEqual([
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]);
    expect(r.object.rules).toEqual([...existing.rules, ...r.missingRules]);
    expect(r.object.metadata.resourceVersion).toBe('42');
    // the input is not mutated
    expect(existing.rules).toHaveLength(2);
  });

  it('rules covered by broader existing rules are not missing', () => {
    const existing = stored(expectedRole('system:basic-user'));
    existing.rules = [rule(['*'], ['*'], ['*'])];
    expect(reconcileRole(existing, expectedRole('system:basic-user')).action).toBe('none');
  });

  it('adds missing labels and annotations, keeping the existing values', () => {
    const existing = stored(expectedRole('system:basic-user'));
    existing.metadata.labels = { 'kubernetes.io/bootstrapping': 'custom', mine: 'yes' };
    delete existing.metadata.annotations;
    const r = reconcileRole(existing, expectedRole('system:basic-user'));
    expect(r.action).toBe('update');
    expect(r.object.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'custom', mine: 'yes' });
    expect(r.object.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
  });

  it('never touches a role annotated autoupdate=false', () => {
    const existing = stored(expectedRole('system:basic-user'));
    existing.rules = [];
    existing.metadata.annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'false' };
    existing.metadata.labels = {};
    expect(reconcileRole(existing, expectedRole('system:basic-user'))).toEqual({
      action: 'none', object: existing, protected: true, missingRules: [], missingSelectors: [],
    });
  });

  it('unions aggregation selectors and never adds rules to aggregated roles', () => {
    const existing = stored(expectedRole('admin'));
    existing.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-admin': 'true' } }] };
    existing.rules = [rule(['get'], [''], ['pods'])]; // written by the aggregation controller
    const r = reconcileRole(existing, expectedRole('admin'));
    expect(r.action).toBe('update');
    expect(r.object.aggregationRule!.clusterRoleSelectors).toEqual([
      { matchLabels: { 'example.com/aggregate-to-admin': 'true' } },
      { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } },
    ]);
    expect(r.object.rules).toEqual(existing.rules);
    expect(reconcileRole(r.object, expectedRole('admin')).action).toBe('none');
  });

  it('drops an aggregationRule the expected role no longer has', () => {
    const existing = stored(expectedRole('system:basic-user'));
    existing.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] };
    const r = reconcileRole(existing, expectedRole('system:basic-user'));
    expect(r.action).toBe('update');
    expect(r.object).not.toHaveProperty('aggregationRule');
  });

  it('reconciles namespaced Roles the same way', () => {
    const expected = structuredClone(policy.roles.find((r) => r.metadata.name === 'kubeadm:bootstrap-signer-clusterinfo')!);
    const existing = { ...structuredClone(expected), rules: [] };
    expect(reconcileRole(existing, expected)).toMatchObject({ action: 'update', object: { rules: expected.rules } });
  });
});

describe('reconcileBinding', () => {
  it('creates a missing binding', () => {
    expect(reconcileBinding(undefined, expectedBinding('cluster-admin'))).toMatchObject({ action: 'create', object: expectedBinding('cluster-admin') });
  });

  it('adds missing subjects and keeps extra ones', () => {
    const existing = stored(expectedBinding('system:public-info-viewer'));
    existing.subjects = [userSubject('someone'), existing.subjects![0]!];
    const r = reconcileBinding(existing, expectedBinding('system:public-info-viewer'));
    expect(r.action).toBe('update');
    expect(r.missingSubjects).toEqual([{ kind: 'Group', apiGroup: G, name: 'system:unauthenticated' }]);
    expect(r.object.subjects!.map((s) => s.name)).toEqual(['someone', 'system:authenticated', 'system:unauthenticated']);
    expect(reconcileBinding(r.object, expectedBinding('system:public-info-viewer')).action).toBe('none');
  });

  it('compares subjects after defaulting their apiGroup', () => {
    const existing = stored(expectedBinding('cluster-admin'));
    existing.subjects = [{ kind: 'Group', name: 'system:masters' }];
    expect(reconcileBinding(existing, expectedBinding('cluster-admin')).action).toBe('none');
    const sa = stored(expectedBinding('system:controller:job-controller'));
    sa.subjects = [{ ...saSubject('job-controller', 'kube-system'), apiGroup: '' }];
    expect(reconcileBinding(sa, expectedBinding('system:controller:job-controller')).action).toBe('none');
  });

  it('a changed roleRef means delete and create anew', () => {
    const existing = stored(expectedBinding('system:basic-user'));
    existing.roleRef = { apiGroup: G, kind: 'ClusterRole', name: 'view' };
    const r = reconcileBinding(existing, expectedBinding('system:basic-user'));
    expect(r.action).toBe('recreate');
    expect(r.object).toEqual(expectedBinding('system:basic-user'));
  });

  it('never touches a binding annotated autoupdate=false, even with another roleRef', () => {
    const existing = stored(expectedBinding('system:basic-user'));
    existing.metadata.annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'false' };
    existing.subjects = [];
    existing.roleRef = { apiGroup: G, kind: 'ClusterRole', name: 'view' };
    expect(reconcileBinding(existing, expectedBinding('system:basic-user'))).toEqual({ action: 'none', object: existing, protected: true, missingSubjects: [] });
  });

  it('a binding with no expected subjects (system:node) stays as it is', () => {
    const existing = stored(expectedBinding('system:node'));
    existing.subjects = [{ kind: 'Group', apiGroup: G, name: 'system:nodes' }];
    expect(reconcileBinding(existing, expectedBinding('system:node')).action).toBe('none');
  });
});
