import { type ClusterRole, type KubeObject, aggregatedRules, aggregatedRulesChanged, registry, validateObject } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { RbacAuthorizer } from './authorizer.js';
import { AUTOUPDATE_ANNOTATION, BOOTSTRAP_LABEL, CONTROLLER_NAMES, bootstrapPolicy } from './bootstrap-policy.js';
import { pathAttrs, resourceAttrs, roleBinding, user, userSubject } from './fixtures.test-data.js';
import { staticRbacSource } from './static-source.js';

const G = 'rbac.authorization.k8s.io';
const policy = bootstrapPolicy();

/** What the clusterrole-aggregation controller converges to. */
function aggregateAll(roles: ClusterRole[]): ClusterRole[] {
  const out = structuredClone(roles);
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of out) {
      if (!r.aggregationRule) continue;
      const rules = aggregatedRules(r, out);
      if (aggregatedRulesChanged(r, rules)) {
        r.rules = rules;
        changed = true;
      }
    }
  }
  return out;
}

const cluster = aggregateAll(policy.clusterRoles);
const byName = (name: string) => cluster.find((r) => r.metadata.name === name)!;

function authorizerWith(extraBindings = policy.roleBindings) {
  return new RbacAuthorizer(
    staticRbacSource({ clusterRoles: cluster, clusterRoleBindings: policy.clusterRoleBindings, roles: policy.roles, roleBindings: extraBindings }),
  );
}

describe('bootstrapPolicy: objects', () => {
  it('every object is a valid API object of its kind', () => {
    const all: [string, KubeObject[]][] = [
      ['clusterroles', policy.clusterRoles], ['clusterrolebindings', policy.clusterRoleBindings], ['roles', policy.roles], ['rolebindings', policy.roleBindings],
    ];
    for (const [plural, objects] of all) {
      const info = registry.get(G, plural)!;
      for (const o of objects) {
        const r = validateObject(info, o);
        expect(r.ok ? [] : r.causes, `${plural}/${o.metadata.name}`).toEqual([]);
      }
    }
  });

  it('names are unique per kind and namespace', () => {
    const keys = (os: KubeObject[]) => os.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    for (const os of [policy.clusterRoles, policy.clusterRoleBindings, policy.roles, policy.roleBindings]) {
      expect(new Set(keys(os)).size).toBe(os.length);
    }
  });

  it('kube-apiserver\'s objects carry the rbac-defaults label and autoupdate annotation; kubeadm\'s do not', () => {
    for (const o of [...policy.clusterRoles, ...policy.clusterRoleBindings, ...policy.roles, ...policy.roleBindings]) {
      const kubeadm = o.metadata.name!.startsWith('kubeadm:');
      expect(o.metadata.labels?.[BOOTSTRAP_LABEL], o.metadata.name).toBe(kubeadm ? undefined : 'rbac-defaults');
      expect(o.metadata.annotations?.[AUTOUPDATE_ANNOTATION], o.metadata.name).toBe(kubeadm ? undefined : 'true');
    }
    expect(byName('edit').metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
  });

  it('every binding refers to a role of the policy', () => {
    for (const b of policy.clusterRoleBindings) expect(policy.clusterRoles.map((r) => r.metadata.name), b.metadata.name).toContain(b.roleRef.name);
    for (const b of policy.roleBindings) {
      expect(policy.roles.some((r) => r.metadata.namespace === b.metadata.namespace && r.metadata.name === b.roleRef.name), b.metadata.name).toBe(true);
    }
  });

  it('rule lists are sorted, as kube\'s rule builder sorts them', () => {
    const sorted = (xs: string[] | undefined) => expect(xs ?? []).toEqual([...(xs ?? [])].sort());
    for (const r of [...policy.clusterRoles, ...policy.roles]) {
      for (const rule of r.rules ?? []) [rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs].forEach(sorted);
    }
  });

  it('returns fresh objects on every call', () => {
    const a = bootstrapPolicy();
    a.clusterRoles[0]!.rules!.push({ verbs: ['x'] });
    a.clusterRoleBindings[0]!.subjects!.pop();
    expect(bootstrapPolicy()).toEqual(policy);
  });
});

describe('bootstrapPolicy: bindings', () => {
  const subjectsOf = (name: string) => policy.clusterRoleBindings.find((b) => b.metadata.name === name)?.subjects;

  it('binds the system roles as kube-apiserver does', () => {
    expect(subjectsOf('cluster-admin')).toEqual([{ kind: 'Group', apiGroup: G, name: 'system:masters' }]);
    expect(subjectsOf('system:basic-user')).toEqual([{ kind: 'Group', apiGroup: G, name: 'system:authenticated' }]);
    expect(subjectsOf('system:discovery')).toEqual([{ kind: 'Group', apiGroup: G, name: 'system:authenticated' }]);
    expect(subjectsOf('system:public-info-viewer')?.map((s) => s.name)).toEqual(['system:authenticated', 'system:unauthenticated']);
    expect(subjectsOf('system:kube-scheduler')).toEqual([{ kind: 'User', apiGroup: G, name: 'system:kube-scheduler' }]);
    expect(subjectsOf('system:kube-controller-manager')?.[0]?.name).toBe('system:kube-controller-manager');
    expect(subjectsOf('system:node-proxier')?.[0]?.name).toBe('system:kube-proxy');
    expect(subjectsOf('system:monitoring')?.[0]).toEqual({ kind: 'Group', apiGroup: G, name: 'system:monitoring' });
    expect(subjectsOf('system:node')).toBeUndefined();
    expect(policy.clusterRoles.some((r) => r.metadata.name === 'system:node')).toBe(true);
  });

  it('binds each controller role to its ServiceAccount in kube-system', () => {
    expect(CONTROLLER_NAMES).toEqual([
      'certificate-controller', 'clusterrole-aggregation-controller', 'cronjob-controller', 'daemon-set-controller', 'deployment-controller',
      'endpoint-controller', 'generic-garbage-collector', 'job-controller', 'namespace-controller', 'node-controller', 'pod-garbage-collector',
      'replicaset-controller', 'root-ca-cert-publisher', 'service-account-controller', 'statefulset-controller',
    ]);
    for (const name of CONTROLLER_NAMES) {
      expect(subjectsOf(`system:controller:${name}`)).toEqual([{ kind: 'ServiceAccount', name, namespace: 'kube-system' }]);
    }
  });

  it('adds kubeadm\'s bootstrap bindings', () => {
    expect(policy.clusterRoleBindings.filter((b) => b.metadata.name!.startsWith('kubeadm:')).map((b) => [b.metadata.name, b.roleRef.name, b.subjects![0]!.name])).toEqual([
      ['kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', 'system:bootstrappers:kubeadm:default-node-token'],
      ['kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', 'system:bootstrappers:kubeadm:default-node-token'],
      ['kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', 'system:nodes'],
    ]);
    expect(policy.roles.filter((r) => r.metadata.namespace === 'kube-public').map((r) => r.metadata.name)).toEqual([
      'system:controller:bootstrap-signer', 'kubeadm:bootstrap-signer-clusterinfo',
    ]);
  });
});

describe('bootstrapPolicy: what it grants', () => {
  const authz = authorizerWith();
  const allowed = (a: Parameters<typeof authz.authorize>[0]) => authz.authorize(a).decision === 'allow';
  const anonymous = user('system:anonymous', ['system:unauthenticated']);
  const someone = user('someone');

  it('system:masters may do anything', () => {
    expect(allowed(resourceAttrs(user('admin', ['system:masters']), 'escalate', 'clusterroles', { apiGroup: G, name: 'x' }))).toBe(true);
    expect(allowed(pathAttrs(user('admin', ['system:masters']), 'get', '/debug/pprof'))).toBe(true);
  });

  it('health and version for everyone; discovery and self-reviews for the authenticated only', () => {
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) expect(allowed(pathAttrs(anonymous, 'get', path)), path).toBe(true);
    expect(allowed(pathAttrs(anonymous, 'get', '/apis'))).toBe(false);
    expect(allowed(pathAttrs(someone, 'get', '/apis/apps/v1'))).toBe(true);
    expect(allowed(pathAttrs(someone, 'get', '/metrics'))).toBe(false);
    expect(allowed(resourceAttrs(someone, 'create', 'selfsubjectaccessreviews', { apiGroup: 'authorization.k8s.io' }))).toBe(true);
    expect(allowed(resourceAttrs(someone, 'list', 'pods', { namespace: 'default' }))).toBe(false);
  });

  it('anonymous may read kube-public/cluster-info and nothing else there', () => {
    expect(allowed(resourceAttrs(anonymous, 'get', 'configmaps', { namespace: 'kube-public', name: 'cluster-info' }))).toBe(true);
    expect(allowed(resourceAttrs(anonymous, 'get', 'configmaps', { namespace: 'kube-public', name: 'other' }))).toBe(false);
    expect(allowed(resourceAttrs(anonymous, 'list', 'configmaps', { namespace: 'kube-public' }))).toBe(false);
  });

  it('view, edit and admin nest through aggregation', () => {
    const authzNs = authorizerWith([
      ...policy.roleBindings,
      roleBinding('team', 'v', { kind: 'ClusterRole', name: 'view' }, [userSubject('viewer')]),
      roleBinding('team', 'e', { kind: 'ClusterRole', name: 'edit' }, [userSubject('editor')]),
      roleBinding('team', 'a', { kind: 'ClusterRole', name: 'admin' }, [userSubject('owner')]),
    ]);
    const can = (who: string, verb: string, resource: string, apiGroup = '') =>
      authzNs.authorize(resourceAttrs(user(who), verb, resource, { namespace: 'team', apiGroup })).decision === 'allow';
    expect(can('viewer', 'list', 'pods')).toBe(true);
    expect(can('viewer', 'get', 'pods/log')).toBe(true);
    expect(can('viewer', 'get', 'secrets')).toBe(false);
    expect(can('viewer', 'create', 'pods')).toBe(false);
    expect(can('editor', 'create', 'deployments', 'apps')).toBe(true);
    expect(can('editor', 'get', 'secrets')).toBe(true);
    expect(can('editor', 'list', 'pods')).toBe(true);
    expect(can('editor', 'create', 'rolebindings', G)).toBe(false);
    expect(can('owner', 'create', 'rolebindings', G)).toBe(true);
    expect(can('owner', 'delete', 'pods')).toBe(true);
    expect(can('owner', 'update', 'resourcequotas')).toBe(false);
    expect(byName('admin').rules!.length).toBeGreaterThan(byName('edit').rules!.length);
  });

  it('components and controllers hold what they need', () => {
    const sched = user('system:kube-scheduler');
    expect(allowed(resourceAttrs(sched, 'create', 'pods/binding', { namespace: 'x', name: 'p' }))).toBe(true);
    expect(allowed(resourceAttrs(sched, 'update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-system', name: 'kube-scheduler' }))).toBe(true);
    expect(allowed(resourceAttrs(sched, 'update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-system', name: 'other' }))).toBe(false);
    const proxy = user('system:kube-proxy');
    expect(allowed(resourceAttrs(proxy, 'watch', 'endpoints'))).toBe(true);
    const dc = user('system:serviceaccount:kube-system:deployment-controller');
    expect(allowed(resourceAttrs(dc, 'create', 'replicasets', { apiGroup: 'apps', namespace: 'x' }))).toBe(true);
    expect(allowed(resourceAttrs(dc, 'create', 'pods', { namespace: 'x' }))).toBe(false);
    const agg = user('system:serviceaccount:kube-system:clusterrole-aggregation-controller');
    expect(allowed(resourceAttrs(agg, 'escalate', 'clusterroles', { apiGroup: G, name: 'admin' }))).toBe(true);
    const nodeBootstrap = user('system:bootstrap:abcdef', ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated']);
    expect(allowed(resourceAttrs(nodeBootstrap, 'create', 'certificatesigningrequests', { apiGroup: 'certificates.k8s.io' }))).toBe(true);
    expect(allowed(resourceAttrs(nodeBootstrap, 'create', 'certificatesigningrequests/nodeclient', { apiGroup: 'certificates.k8s.io' }))).toBe(true);
    // system:node is bound to nobody: kubelets get their rights from the Node authorizer
    expect(allowed(resourceAttrs(user('system:node:n1', ['system:nodes']), 'get', 'secrets', { namespace: 'x', name: 's' }))).toBe(false);
  });
});
