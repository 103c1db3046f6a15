import type { ClusterRole, Role, RoleBinding } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../types.js';
import { RbacAuthorizer } from './authorizer.js';
import {
  checkBindingWrite, checkRoleWrite, confirmNoEscalation, covers, escalationDeps, isOnlyMutatingGCFields,
} from './escalation.js';
import {
  clusterRole, clusterRoleBinding, G, groupSubject, role, roleBinding, rule, urlRule, user, userSubject,
} from './fixtures.test-data.js';
import { type RbacObjects, staticRbacSource } from './static-source.js';

const deployRead = rule(['get', 'list'], ['apps'], ['deployments']);
const deployWrite = rule(['get', 'list', 'create'], ['apps'], ['deployments']);
const U = user('u', ['a', 'b']);

/** EscalationDeps over fixed objects, with the RBAC authorizer answering and every call recorded. */
function deps(objects: RbacObjects) {
  const source = staticRbacSource(objects);
  const authz = new RbacAuthorizer(source);
  const calls: Attributes[] = [];
  const d = escalationDeps(source, (a) => {
    calls.push(a);
    return authz.authorize(a);
  });
  return { d, calls };
}

const base: RbacObjects = {
  clusterRoles: [
    clusterRole('deploy-reader', [deployRead]),
    clusterRole('deploy-writer', [deployWrite]),
    clusterRole('escalator', [rule(['escalate'], [G], ['roles', 'clusterroles'])]),
    clusterRole('binder', [rule(['bind'], [G], ['clusterroles'], ['deploy-writer'])]),
    clusterRole('admin-ish', [rule(['*'], ['*'], ['*'])]),
  ],
  roleBindings: [roleBinding('a', 'u-reads', { kind: 'ClusterRole', name: 'deploy-reader' }, [userSubject('u')])],
};

const newRole = (ns: string, rules = [deployWrite]): Role => role(ns, 'x', rules);

describe('confirmNoEscalation and covers', () => {
  it('covers is exported here with kube\'s semantics', () => {
    expect(covers([deployWrite], [deployRead]).covered).toBe(true);
  });

  it('words the missing permissions as kube does, with resolution errors', () => {
    expect(confirmNoEscalation(U, { rules: [deployRead], errors: ['clusterroles.rbac.authorization.k8s.io "gone" not found'] }, [deployWrite, urlRule(['get'], ['/metrics'])])).toBe(
      'user "u" (groups=["a" "b"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:["apps"], Resources:["deployments"], Verbs:["create"]}\n' +
        '{NonResourceURLs:["/metrics"], Verbs:["get"]}' +
        '; resolution errors: [clusterroles.rbac.authorization.k8s.io "gone" not found]',
    );
    expect(confirmNoEscalation(U, { rules: [deployWrite], errors: ['ignored when covered'] }, [deployRead])).toBeUndefined();
  });
});

describe('checkRoleWrite', () => {
  it('allows a Role whose rules the user holds in that namespace', async () => {
    const { d } = deps(base);
    expect(await checkRoleWrite(d, U, { kind: 'Role', namespace: 'a', object: newRole('a', [deployRead]) })).toBeUndefined();
  });

  it('refuses a Role with a verb the user does not hold, with kube\'s exact message', async () => {
    const { d } = deps(base);
    const err = await checkRoleWrite(d, U, { kind: 'Role', namespace: 'a', object: newRole('a') });
    expect(err?.status).toMatchObject({
      code: 403, reason: 'Forbidden',
      message:
        'roles.rbac.authorization.k8s.io "x" is forbidden: user "u" (groups=["a" "b"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:["apps"], Resources:["deployments"], Verbs:["create"]}',
      details: { name: 'x', group: G, kind: 'roles' },
    });
  });

  it('what the user holds in namespace a does not count in namespace b', async () => {
    const { d } = deps(base);
    const err = await checkRoleWrite(d, U, { kind: 'Role', namespace: 'b', object: newRole('b', [deployRead]) });
    expect(err?.status.message).toContain('Verbs:["get" "list"]');
  });

  it('allows with `escalate` on roles, asked with the request\'s attributes', async () => {
    const { d, calls } = deps({ ...base, clusterRoleBindings: [clusterRoleBinding('esc', 'escalator', [userSubject('u')])] });
    expect(await checkRoleWrite(d, U, { kind: 'Role', namespace: 'a', object: newRole('a') })).toBeUndefined();
    expect(calls).toEqual([
      { user: U, verb: 'escalate', resourceRequest: true, path: '', apiGroup: G, apiVersion: '*', resource: 'roles', subresource: '', namespace: 'a', name: '' },
    ]);
    // on update the URL names the object
    const old = newRole('a', []);
    await checkRoleWrite(d, U, { kind: 'Role', namespace: 'a', object: newRole('a'), old });
    expect(calls[1]).toMatchObject({ verb: 'escalate', name: 'x' });
  });

  it('system:masters is always allowed, without asking the authorizer', async () => {
    const { d, calls } = deps({});
    expect(await checkRoleWrite(d, user('root', ['system:masters']), { kind: 'ClusterRole', object: clusterRole('c', [rule(['*'], ['*'], ['*'])]) })).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('ClusterRoles need the rules cluster-wide: a RoleBinding does not count', async () => {
    const { d } = deps(base);
    const cr = clusterRole('c', [deployRead]);
    expect((await checkRoleWrite(d, U, { kind: 'ClusterRole', object: cr }))?.status.message).toMatch(
      /^clusterroles\.rbac\.authorization\.k8s\.io "c" is forbidden: user "u"/,
    );
    const { d: d2 } = deps({ ...base, clusterRoleBindings: [clusterRoleBinding('u', 'deploy-reader', [groupSubject('b')])] });
    expect(await checkRoleWrite(d2, U, { kind: 'ClusterRole', object: cr })).toBeUndefined();
  });

  it('an aggregationRule needs full authority, also when removing one', async () => {
    // every verb on every resource, but named (so not `escalate`), and no non-resource URLs
    const most = clusterRole('most', [rule(['get', 'list', 'create', 'update', 'patch', 'delete'], ['*'], ['*'])]);
    const { d } = deps({ clusterRoles: [most], clusterRoleBindings: [clusterRoleBinding('u', 'most', [userSubject('u')])] });
    const agg: ClusterRole = { ...clusterRole('c', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } };
    const err = await checkRoleWrite(d, U, { kind: 'ClusterRole', object: agg });
    expect(err?.status.message).toBe('clusterroles.rbac.authorization.k8s.io "c" is forbidden: must have cluster-admin privileges to use the aggregationRule');
    const plain = clusterRole('c', []);
    expect(await checkRoleWrite(d, U, { kind: 'ClusterRole', object: plain })).toBeUndefined();
    expect((await checkRoleWrite(d, U, { kind: 'ClusterRole', object: { ...plain, metadata: { ...plain.metadata, labels: { l: 'v' } } }, old: agg }))?.status.code).toBe(403);
    const { d: full } = deps({ clusterRoles: [clusterRole('all', [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])])], clusterRoleBindings: [clusterRoleBinding('u', 'all', [userSubject('u')])] });
    expect(await checkRoleWrite(full, U, { kind: 'ClusterRole', object: agg })).toBeUndefined();
  });

  it('an update that only changes ownerReferences or finalizers is allowed', async () => {
    const { d } = deps(base);
    const old: Role = { ...newRole('a'), metadata: { name: 'x', namespace: 'a', uid: 'u1', resourceVersion: '5' } };
    const gcOnly: Role = { ...old, metadata: { ...old.metadata, finalizers: ['f'], resourceVersion: '6' } };
    expect(await checkRoleWrite(d, U, { kind: 'Role', namespace: 'a', object: gcOnly, old })).toBeUndefined();
    const relabelled: Role = { ...gcOnly, metadata: { ...gcOnly.metadata, labels: { l: 'v' } } };
    expect((await checkRoleWrite(d, U, { kind: 'Role', namespace: 'a', object: relabelled, old }))?.status.code).toBe(403);
  });
});

describe('checkBindingWrite', () => {
  const bindWriter = (ns = 'a'): RoleBinding => roleBinding(ns, 'rb', { kind: 'ClusterRole', name: 'deploy-writer' }, [userSubject('v')]);
  const bindReader = (ns = 'a'): RoleBinding => roleBinding(ns, 'rb', { kind: 'ClusterRole', name: 'deploy-reader' }, [userSubject('v')]);

  it('allows binding a role whose rules the user holds in the binding namespace', async () => {
    const { d } = deps(base);
    expect(await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: 'a', object: bindReader() })).toBeUndefined();
    expect((await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: 'b', object: bindReader('b') }))?.status.code).toBe(403);
  });

  it('refuses binding more than the user holds, with kube\'s message', async () => {
    const { d } = deps(base);
    const err = await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: 'a', object: bindWriter() });
    expect(err?.status).toMatchObject({
      code: 403,
      message:
        'rolebindings.rbac.authorization.k8s.io "rb" is forbidden: user "u" (groups=["a" "b"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:["apps"], Resources:["deployments"], Verbs:["create"]}',
    });
  });

  it('allows with `bind` on the referenced role by name, asked in the binding namespace', async () => {
    const { d, calls } = deps({ ...base, roleBindings: [...base.roleBindings!, roleBinding('a', 'u-binds', { kind: 'ClusterRole', name: 'binder' }, [userSubject('u')])] });
    expect(await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: 'a', object: bindWriter() })).toBeUndefined();
    expect(calls).toEqual([
      { user: U, verb: 'bind', resourceRequest: true, path: '', apiGroup: G, apiVersion: '', resource: 'clusterroles', subresource: '', namespace: 'a', name: 'deploy-writer' },
    ]);
    // bind is limited to the named role
    const other = roleBinding('a', 'rb', { kind: 'ClusterRole', name: 'admin-ish' }, []);
    expect((await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: 'a', object: other }))?.status.code).toBe(403);
  });

  it('a missing role is 404 unless bind allows the binding', async () => {
    const { d } = deps(base);
    const dangling = roleBinding('a', 'rb', { kind: 'Role', name: 'nope' }, []);
    expect((await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: 'a', object: dangling }))?.status).toMatchObject({
      code: 404, reason: 'NotFound', message: 'roles.rbac.authorization.k8s.io "nope" not found',
    });
    const { d: d2 } = deps({ clusterRoles: [clusterRole('b', [rule(['bind'], [G], ['roles'])])], clusterRoleBindings: [clusterRoleBinding('b', 'b', [userSubject('u')])] });
    expect(await checkBindingWrite(d2, U, { kind: 'RoleBinding', namespace: 'a', object: dangling })).toBeUndefined();
  });

  it('ClusterRoleBindings need the rules cluster-wide', async () => {
    const { d } = deps(base);
    const crb = clusterRoleBinding('crb', 'deploy-reader', [userSubject('v')]);
    expect((await checkBindingWrite(d, U, { kind: 'ClusterRoleBinding', object: crb }))?.status.message).toMatch(
      /^clusterrolebindings\.rbac\.authorization\.k8s\.io "crb" is forbidden: user "u"/,
    );
  });

  it('system:masters, and GC-only updates, are always allowed', async () => {
    const { d, calls } = deps(base);
    expect(await checkBindingWrite(d, user('root', ['system:masters']), { kind: 'RoleBinding', namespace: 'a', object: bindWriter() })).toBeUndefined();
    const old = bindWriter();
    const gcOnly: RoleBinding = { ...old, metadata: { ...old.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Namespace', name: 'a', uid: '1' }] } };
    expect(await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: 'a', object: gcOnly, old })).toBeUndefined();
    expect(calls).toEqual([]);
    const more: RoleBinding = { ...old, subjects: [userSubject('v'), userSubject('w')] };
    expect((await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: 'a', object: more, old }))?.status.code).toBe(403);
  });

  it('a RoleBinding needs a namespace', async () => {
    const { d } = deps(base);
    expect((await checkBindingWrite(d, U, { kind: 'RoleBinding', namespace: '', object: bindReader('') }))?.status).toMatchObject({ code: 400, message: 'namespace is required' });
  });
});

describe('isOnlyMutatingGCFields', () => {
  it('ignores ownerReferences, finalizers and server-maintained metadata only', () => {
    const a = role('a', 'x', [deployRead]);
    expect(isOnlyMutatingGCFields({ ...a, metadata: { ...a.metadata, finalizers: ['x'], uid: 'u' } }, a)).toBe(true);
    expect(isOnlyMutatingGCFields(role('a', 'x', [deployWrite]), a)).toBe(false);
  });
});
