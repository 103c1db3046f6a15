import { describe, expect, it } from 'vitest';
import {
  clusterRole, clusterRoleBinding, G, groupSubject, role, roleBinding, rule, saSubject, urlRule, user, userSubject,
} from './fixtures.test-data.js';
import {
  aggregateErrors, appliesTo, describeOrigin, roleRefRules, rulesFor, serviceAccountUsername, splitRulesForReview, subjectMatches, visitRulesFor,
} from './rules.js';
import { staticRbacSource } from './static-source.js';

const podsRead = rule(['get', 'list'], [''], ['pods']);
const secretsRead = rule(['get'], [''], ['secrets']);
const healthz = urlRule(['get'], ['/healthz']);

const source = staticRbacSource({
  clusterRoles: [clusterRole('pod-reader', [podsRead]), clusterRole('health', [healthz])],
  roles: [role('a', 'secret-reader', [secretsRead])],
  clusterRoleBindings: [
    clusterRoleBinding('health-all', 'health', [groupSubject('system:authenticated')]),
    clusterRoleBinding('dangling', 'gone', [userSubject('alice')]),
  ],
  roleBindings: [
    roleBinding('a', 'alice-secrets', { kind: 'Role', name: 'secret-reader' }, [userSubject('alice')]),
    roleBinding('a', 'alice-pods', { kind: 'ClusterRole', name: 'pod-reader' }, [userSubject('alice')]),
    roleBinding('b', 'bob-pods', { kind: 'ClusterRole', name: 'pod-reader' }, [userSubject('bob')]),
  ],
});

describe('subjects', () => {
  const alice = user('alice', ['devs']);
  it('User by name, Group by membership', () => {
    expect(subjectMatches(alice, userSubject('alice'), '')).toBe(true);
    expect(subjectMatches(alice, userSubject('devs'), '')).toBe(false);
    expect(subjectMatches(alice, groupSubject('devs'), '')).toBe(true);
    expect(subjectMatches(alice, groupSubject('alice'), '')).toBe(false);
    expect(subjectMatches(alice, { kind: 'Robot', name: 'alice' }, '')).toBe(false);
  });

  it('ServiceAccount by system:serviceaccount:NS:NAME; no namespace means the binding namespace', () => {
    const sa = user(serviceAccountUsername('kube-system', 'deployment-controller'), ['system:serviceaccounts']);
    expect(sa.username).toBe('system:serviceaccount:kube-system:deployment-controller');
    expect(subjectMatches(sa, saSubject('deployment-controller', 'kube-system'), '')).toBe(true);
    expect(subjectMatches(sa, saSubject('deployment-controller'), 'kube-system')).toBe(true);
    expect(subjectMatches(sa, saSubject('deployment-controller'), 'default')).toBe(false);
    // a ClusterRoleBinding has no namespace to default to
    expect(subjectMatches(sa, saSubject('deployment-controller'), '')).toBe(false);
  });

  it('appliesTo gives the first matching subject', () => {
    expect(appliesTo(alice, [userSubject('x'), groupSubject('devs'), userSubject('alice')], '')).toBe(1);
    expect(appliesTo(alice, undefined, '')).toBe(-1);
  });
});

describe('roleRefRules', () => {
  it('resolves Roles in the binding namespace and ClusterRoles anywhere', () => {
    expect(roleRefRules(source, { apiGroup: G, kind: 'Role', name: 'secret-reader' }, 'a')).toEqual({ ok: true, rules: [secretsRead] });
    expect(roleRefRules(source, { apiGroup: G, kind: 'Role', name: 'secret-reader' }, 'b')).toMatchObject({ ok: false, reason: 'NotFound', resource: 'roles' });
    expect(roleRefRules(source, { apiGroup: G, kind: 'ClusterRole', name: 'pod-reader' }, 'b')).toEqual({ ok: true, rules: [podsRead] });
  });

  it('words a missing role as the listers (authorizer) or the registry (escalation) do', () => {
    expect(roleRefRules(source, { apiGroup: G, kind: 'ClusterRole', name: 'gone' }, '')).toMatchObject({
      message: 'clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
    expect(roleRefRules(source, { apiGroup: G, kind: 'Role', name: 'gone' }, 'a', 'registry')).toMatchObject({
      message: 'roles.rbac.authorization.k8s.io "gone" not found', name: 'gone',
    });
    expect(roleRefRules(source, { apiGroup: G, kind: 'Robot', name: 'x' }, 'a')).toEqual({
      ok: false, reason: 'Unsupported', message: 'unsupported role reference kind: "Robot"',
    });
  });
});

describe('rulesFor', () => {
  it('cluster-wide: only ClusterRoleBindings', () => {
    expect(rulesFor(source, user('alice'), '')).toEqual({ rules: [healthz], errors: ['clusterrole.rbac.authorization.k8s.io "gone" not found'] });
  });

  it('in a namespace: ClusterRoleBindings plus that namespace\'s RoleBindings', () => {
    expect(rulesFor(source, user('alice'), 'a').rules).toEqual([healthz, secretsRead, podsRead]);
    // alice's Role in namespace a grants nothing in namespace b
    expect(rulesFor(source, user('alice'), 'b').rules).toEqual([healthz]);
    expect(rulesFor(source, user('bob'), 'b').rules).toEqual([healthz, podsRead]);
    expect(rulesFor(source, user('eve', []), 'a')).toEqual({ rules: [], errors: [] });
  });

  it('the visitor can stop the walk', () => {
    const seen: unknown[] = [];
    visitRulesFor(source, user('alice'), 'a', (origin, r) => {
      seen.push(r);
      return origin === undefined;
    });
    expect(seen).toEqual([healthz]);
  });
});

describe('describeOrigin', () => {
  it('words sources as kube does', () => {
    const crb = clusterRoleBinding('x', 'y', [groupSubject('z')]);
    expect(describeOrigin({ kind: 'ClusterRoleBinding', binding: crb, subject: crb.subjects![0]! })).toBe(
      'ClusterRoleBinding "x" of ClusterRole "y" to Group "z"',
    );
    const rb = roleBinding('ns', 'rb', { kind: 'Role', name: 'r' }, [saSubject('ci')]);
    expect(describeOrigin({ kind: 'RoleBinding', binding: rb, subject: rb.subjects![0]! })).toBe('RoleBinding "rb/ns" of Role "r" to ServiceAccount "ci/ns"');
  });
});

describe('aggregateErrors', () => {
  it('formats like utilerrors.NewAggregate', () => {
    expect(aggregateErrors([])).toBe('');
    expect(aggregateErrors(['a'])).toBe('a');
    expect(aggregateErrors(['a', 'b', 'a'])).toBe('[a, b]');
    expect(aggregateErrors(['a', 'a'])).toBe('a');
  });
});

describe('splitRulesForReview', () => {
  it('separates resource and non-resource rules', () => {
    expect(splitRulesForReview([podsRead, healthz, { verbs: ['get'] }])).toEqual({ resourceRules: [podsRead], nonResourceRules: [healthz] });
  });
});
