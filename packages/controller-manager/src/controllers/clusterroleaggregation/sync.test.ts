import type { ClusterRole, PolicyRule } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { conflict } from '@tinykube/api';
import { FakeActions, FakeLister } from '../../core/fake.js';
import { syncClusterRoleAggregation } from './sync.js';

const TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
const TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
const TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources });

function role(name: string, o: { labels?: Record<string, string>; rules?: PolicyRule[]; selects?: string } = {}): ClusterRole {
  const r: ClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '7', ...(o.labels ? { labels: o.labels } : {}) },
  };
  if (o.rules) r.rules = o.rules;
  if (o.selects) r.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [o.selects]: 'true' } }] };
  return r;
}

const adminRules = [rule(['create'], ['rbac.authorization.k8s.io'], ['rolebindings'])];
const editRules = [rule(['create', 'delete'], [''], ['pods'])];
const viewRules = [rule(['get', 'list'], [''], ['pods']), rule(['get'], ['apps'], ['deployments'])];

/** The bootstrap chain: admin ← edit ← view, each fed by a system:aggregate-to-* role. */
function chain(): ClusterRole[] {
  return [
    role('admin', { selects: TO_ADMIN }),
    role('edit', { selects: TO_EDIT, labels: { [TO_ADMIN]: 'true' } }),
    role('view', { selects: TO_VIEW, labels: { [TO_EDIT]: 'true' } }),
    role('system:aggregate-to-admin', { labels: { [TO_ADMIN]: 'true' }, rules: adminRules }),
    role('system:aggregate-to-edit', { labels: { [TO_EDIT]: 'true' }, rules: editRules }),
    role('system:aggregate-to-view', { labels: { [TO_VIEW]: 'true' }, rules: viewRules }),
  ];
}

function setup(roles: ClusterRole[]) {
  const lister = new FakeLister({ clusterroles: roles });
  const actions = new FakeActions(lister);
  return { lister, actions, deps: { lister, actions } };
}

describe('syncClusterRoleAggregation', () => {
  it('writes the union of the selected roles\' rules, from the cached object (same resourceVersion)', async () => {
    const { actions, deps } = setup(chain());
    await syncClusterRoleAggregation(deps, 'view');
    expect(actions.summary()).toEqual(['update clusterroles view']);
    const written = actions.of('update', 'clusterroles')[0]!.object as ClusterRole;
    expect(written.rules).toEqual(viewRules);
    expect(written.metadata.resourceVersion).toBe('7');
    expect(written.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { [TO_VIEW]: 'true' } }] });
  });

  it('converges along a chain of aggregated roles, one write per change', async () => {
    const { actions, deps, lister } = setup(chain());
    // the order the queue might pop them in; each write re-enqueues the aggregating roles
    for (const name of ['admin', 'edit', 'view', 'admin', 'edit', 'admin', 'view', 'edit']) await syncClusterRoleAggregation(deps, name);
    expect(actions.summary()).toEqual([
      'update clusterroles admin', // only system:aggregate-to-admin so far (edit is still empty)
      'update clusterroles edit',
      'update clusterroles view',
      'update clusterroles admin',
      'update clusterroles edit',
      'update clusterroles admin',
    ]);
    expect(lister.get('clusterroles', '', 'view')!.rules).toEqual(viewRules);
    expect(lister.get('clusterroles', '', 'edit')!.rules).toEqual([...editRules, ...viewRules]);
    expect(lister.get('clusterroles', '', 'admin')!.rules).toEqual([...editRules, ...viewRules, ...adminRules]);
  });

  it('does nothing when the rules are already right', async () => {
    const roles = chain();
    roles[2] = { ...roles[2]!, rules: viewRules };
    const { actions, deps } = setup(roles);
    await syncClusterRoleAggregation(deps, 'view');
    expect(actions.summary()).toEqual([]);
  });

  it('removes rules whose source role went away or stopped matching', async () => {
    const roles = chain().filter((r) => r.metadata.name !== 'system:aggregate-to-view');
    roles[2] = { ...roles[2]!, rules: viewRules };
    const { actions, deps } = setup(roles);
    await syncClusterRoleAggregation(deps, 'view');
    expect(actions.summary()).toEqual(['update clusterroles view']);
    expect((actions.of('update')[0]!.object as ClusterRole).rules).toEqual([]);
  });

  it('ignores roles without an aggregationRule and roles that are gone', async () => {
    const { actions, deps } = setup(chain());
    await syncClusterRoleAggregation(deps, 'system:aggregate-to-view');
    await syncClusterRoleAggregation(deps, 'nope');
    expect(actions.summary()).toEqual([]);
  });

  it('a conflicting write fails the sync so the key is retried', async () => {
    const { actions, deps } = setup(chain());
    actions.failures.set('update clusterroles', conflict({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, 'admin'));
    await expect(syncClusterRoleAggregation(deps, 'view')).rejects.toThrow();
  });
});
