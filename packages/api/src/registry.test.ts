import { describe, expect, it } from 'vitest';
import { registry } from './registry.js';

describe('registry', () => {
  it('resolves short names, plurals, singulars, kinds and group-qualified names', () => {
    expect(registry.resolve('po').map((r) => r.plural)).toEqual(['pods']);
    expect(registry.resolve('Pod').map((r) => r.plural)).toEqual(['pods']);
    expect(registry.resolve('pod')[0]?.kind).toBe('Pod');
    expect(registry.resolve('deploy')[0]?.apiVersion).toBe('apps/v1');
    expect(registry.resolve('deployments.apps')[0]?.kind).toBe('Deployment');
    expect(registry.resolve('deployment.v1.apps')[0]?.kind).toBe('Deployment');
    expect(registry.resolve('svc')[0]?.kind).toBe('Service');
    expect(registry.resolve('leases.coordination.k8s.io')[0]?.kind).toBe('Lease');
    expect(registry.resolve('pods.apps')).toEqual([]);
    expect(registry.resolve('nothing')).toEqual([]);
  });

  it('has Kubernetes short names and the all category', () => {
    const short = Object.fromEntries(registry.all().map((r) => [r.plural, r.shortNames]));
    expect(short).toMatchObject({
      pods: ['po'], services: ['svc'], namespaces: ['ns'], nodes: ['no'], endpoints: ['ep'], events: ['ev'],
      configmaps: ['cm'], serviceaccounts: ['sa'], deployments: ['deploy'], replicasets: ['rs'], daemonsets: ['ds'],
      secrets: [], leases: [],
    });
    const all = registry.all().filter((r) => r.categories.includes('all')).map((r) => r.plural).sort();
    expect(all).toEqual(['daemonsets', 'deployments', 'pods', 'replicasets', 'services']);
  });

  it('looks up by group/plural and by apiVersion/kind', () => {
    const pods = registry.get('', 'pods')!;
    expect(pods).toMatchObject({ apiVersion: 'v1', kind: 'Pod', listKind: 'PodList', singular: 'pod', namespaced: true, hasStatus: true });
    expect(pods.subresources).toEqual(['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy']);
    expect(registry.get('apps', 'deployments')!.subresources).toEqual(['status', 'scale']);
    expect(registry.byKind('apps/v1', 'ReplicaSet')?.plural).toBe('replicasets');
    expect(registry.byKind('v1', 'Deployment')).toBeUndefined();
    expect(registry.get('', 'nodes')?.namespaced).toBe(false);
    expect(registry.get('', 'namespaces')?.verbs).not.toContain('deletecollection');
    expect(registry.get('', 'configmaps')?.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  });

  it('every resource has a Name or Last Seen first column and an age-like column', () => {
    for (const r of registry.all()) {
      expect(['Name', 'Last Seen']).toContain(r.columns[0]!.name);
      // Roles and ClusterRoles print `Created At` (an RFC 3339 time) where other kinds print an age.
      expect(r.columns.some((c) => c.name === 'Age' || c.name === 'Last Seen' || c.name === 'Created At')).toBe(true);
    }
  });

  it('serves rbac.authorization.k8s.io/v1 with Kubernetes scopes and no status', () => {
    const rbac = registry.all().filter((r) => r.group === 'rbac.authorization.k8s.io');
    expect(rbac.map((r) => [r.kind, r.plural, r.namespaced, r.apiVersion, r.hasStatus])).toEqual([
      ['Role', 'roles', true, 'rbac.authorization.k8s.io/v1', false],
      ['RoleBinding', 'rolebindings', true, 'rbac.authorization.k8s.io/v1', false],
      ['ClusterRole', 'clusterroles', false, 'rbac.authorization.k8s.io/v1', false],
      ['ClusterRoleBinding', 'clusterrolebindings', false, 'rbac.authorization.k8s.io/v1', false],
    ]);
    expect(registry.resolve('clusterrolebindings.rbac.authorization.k8s.io')[0]?.kind).toBe('ClusterRoleBinding');
    expect(registry.byKind('rbac.authorization.k8s.io/v1', 'Role')?.listKind).toBe('RoleList');
    expect(registry.get('rbac.authorization.k8s.io', 'roles')?.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  });

  it('all() returns a copy', () => {
    const list = registry.all();
    list.pop();
    expect(registry.all().length).toBe(list.length + 1);
  });
});
