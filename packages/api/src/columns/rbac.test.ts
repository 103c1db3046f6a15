import { describe, expect, it } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, RoleBinding } from '../schemas/rbac.js';
import { clusterRoleBindingColumns, clusterRoleColumns, createdAt, roleBindingColumns, roleColumns, subjectsStrings } from './rbac.js';

const now = new Date('2024-05-01T12:00:00Z');
const header = (cols: { name: string; priority: number }[], priority?: number) =>
  cols.filter((c) => priority === undefined || c.priority === priority).map((c) => c.name.toUpperCase());

describe('Role and ClusterRole columns', () => {
  it('NAME CREATED AT, with the time in RFC 3339 UTC to the second', () => {
    expect(header(roleColumns)).toEqual(['NAME', 'CREATED AT']);
    expect(header(clusterRoleColumns)).toEqual(['NAME', 'CREATED AT']);
    expect(clusterRoleColumns[1]!.type).toBe('date');
    const cr: ClusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view', creationTimestamp: '2024-04-29T11:00:00.000+02:00' } };
    expect(clusterRoleColumns.map((c) => c.cell(cr, now))).toEqual(['view', '2024-04-29T09:00:00Z']);
  });

  it('prints Go zero time when there is no creationTimestamp', () => {
    expect(createdAt(undefined)).toBe('0001-01-01T00:00:00Z');
  });
});

describe('RoleBinding and ClusterRoleBinding columns', () => {
  const rb: RoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
    metadata: { name: 'devs', namespace: 'team', creationTimestamp: '2024-04-29T09:00:00Z' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'Group', name: 'devs' },
      { kind: 'User', name: 'bob' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'team' },
    ],
  };

  it('NAME ROLE AGE + USERS GROUPS SERVICEACCOUNTS with -o wide', () => {
    expect(header(roleBindingColumns, 0)).toEqual(['NAME', 'ROLE', 'AGE']);
    expect(header(roleBindingColumns, 1)).toEqual(['USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    expect(roleBindingColumns.map((c) => c.cell(rb, now))).toEqual(['devs', 'ClusterRole/admin', '2d3h', 'alice, bob', 'devs', 'team/ci']);
  });

  it('ClusterRoleBindings print the same cells', () => {
    const crb: ClusterRoleBinding = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'cluster-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', name: 'system:masters' }],
    };
    expect(header(clusterRoleBindingColumns)).toEqual(header(roleBindingColumns));
    expect(clusterRoleBindingColumns.map((c) => c.cell(crb, now)).slice(0, 2)).toEqual(['cluster-admin', 'ClusterRole/cluster-admin']);
    expect(clusterRoleBindingColumns[4]!.cell(crb, now)).toBe('system:masters');
    expect(clusterRoleBindingColumns[3]!.cell(crb, now)).toBe('');
  });

  it('subjectsStrings sorts subjects by kind and keeps unknown kinds apart', () => {
    expect(subjectsStrings([{ kind: 'Robot', name: 'r2', namespace: 'x' }, { kind: 'ServiceAccount', name: 'sa' }])).toEqual({
      users: [], groups: [], serviceAccounts: ['/sa'], others: ['Robot/x/r2'],
    });
  });
});
