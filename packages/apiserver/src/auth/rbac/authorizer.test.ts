import { describe, expect, it } from 'vitest';
import { RbacAuthorizer } from './authorizer.js';
import {
  clusterRole, clusterRoleBinding, groupSubject, pathAttrs, resourceAttrs, role, roleBinding, rule, saSubject, urlRule, user, userSubject,
} from './fixtures.test-data.js';
import { staticRbacSource } from './static-source.js';

const authz = new RbacAuthorizer(
  staticRbacSource({
    clusterRoles: [
      clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
      clusterRole('system:discovery', [urlRule(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/version'])]),
      clusterRole('view', [rule(['get', 'list', 'watch'], [''], ['pods', 'configmaps'])]),
      clusterRole('system:controller:deployment-controller', [rule(['get', 'list', 'watch', 'update'], ['apps'], ['deployments'])]),
    ],
    roles: [role('a', 'cm-writer', [rule(['create', 'update'], [''], ['configmaps'])])],
    clusterRoleBindings: [
      clusterRoleBinding('cluster-admin', 'cluster-admin', [groupSubject('system:masters')]),
      clusterRoleBinding('system:discovery', 'system:discovery', [groupSubject('system:authenticated')]),
      clusterRoleBinding('system:controller:deployment-controller', 'system:controller:deployment-controller', [saSubject('deployment-controller', 'kube-system')]),
      clusterRoleBinding('broken', 'no-such-role', [userSubject('carol')]),
    ],
    roleBindings: [
      roleBinding('a', 'alice-view', { kind: 'ClusterRole', name: 'view' }, [userSubject('alice')]),
      roleBinding('a', 'alice-cm', { kind: 'Role', name: 'cm-writer' }, [userSubject('alice')]),
      roleBinding('a', 'ci-view', { kind: 'ClusterRole', name: 'view' }, [saSubject('ci')]),
    ],
  }),
);

const alice = user('alice');

describe('RbacAuthorizer', () => {
  it('is named RBAC', () => expect(authz.name).toBe('RBAC'));

  it('allows through a ClusterRoleBinding, with kube\'s reason', () => {
    expect(authz.authorize(resourceAttrs(user('root', ['system:masters']), 'delete', 'nodes', { name: 'n1' }))).toEqual({
      decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
    });
    expect(authz.authorize(pathAttrs(alice, 'get', '/apis/apps/v1'))).toEqual({
      decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    });
  });

  it('allows through RoleBindings only in their namespace', () => {
    expect(authz.authorize(resourceAttrs(alice, 'list', 'pods', { namespace: 'a' }))).toEqual({
      decision: 'allow', reason: 'RBAC: allowed by RoleBinding "alice-view/a" of ClusterRole "view" to User "alice"',
    });
    expect(authz.authorize(resourceAttrs(alice, 'update', 'configmaps', { namespace: 'a', name: 'x' })).reason).toBe(
      'RBAC: allowed by RoleBinding "alice-cm/a" of Role "cm-writer" to User "alice"',
    );
    // a Role in namespace a does not grant in namespace b, nor cluster-wide
    expect(authz.authorize(resourceAttrs(alice, 'update', 'configmaps', { namespace: 'b', name: 'x' }))).toEqual({ decision: 'noOpinion', reason: '' });
    expect(authz.authorize(resourceAttrs(alice, 'list', 'pods'))).toEqual({ decision: 'noOpinion', reason: '' });
  });

  it('matches ServiceAccounts by their username; a namespace-less subject of a RoleBinding is the binding\'s namespace', () => {
    const dc = user('system:serviceaccount:kube-system:deployment-controller', ['system:serviceaccounts', 'system:serviceaccounts:kube-system']);
    expect(authz.authorize(resourceAttrs(dc, 'update', 'deployments', { apiGroup: 'apps', namespace: 'x', name: 'web' })).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "system:controller:deployment-controller" of ClusterRole "system:controller:deployment-controller" to ServiceAccount "deployment-controller/kube-system"',
    );
    expect(authz.authorize(resourceAttrs(dc, 'delete', 'deployments', { apiGroup: 'apps', namespace: 'x', name: 'web' })).decision).toBe('noOpinion');
    const ci = user('system:serviceaccount:a:ci');
    expect(authz.authorize(resourceAttrs(ci, 'get', 'pods', { namespace: 'a', name: 'p' })).reason).toBe(
      'RBAC: allowed by RoleBinding "ci-view/a" of ClusterRole "view" to ServiceAccount "ci/a"',
    );
    expect(authz.authorize(resourceAttrs(user('system:serviceaccount:b:ci'), 'get', 'pods', { namespace: 'a', name: 'p' })).decision).toBe('noOpinion');
  });

  it('never denies; a binding to a missing role shows in the no-opinion reason', () => {
    expect(authz.authorize(resourceAttrs(user('carol'), 'get', 'pods', { namespace: 'a' }))).toEqual({
      decision: 'noOpinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "no-such-role" not found',
    });
  });

  it('rulesFor lists what a user holds in a namespace', () => {
    expect(authz.rulesFor(alice, 'a').rules.map((r) => r.verbs)).toEqual([
      ['get'], ['get', 'list', 'watch'], ['create', 'update'],
    ]);
    expect(authz.rulesFor(alice, '').rules).toHaveLength(1);
  });
});
