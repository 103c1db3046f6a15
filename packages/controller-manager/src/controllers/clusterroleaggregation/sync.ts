import { aggregatedRules, aggregatedRulesChanged } from '@tinykube/api';
import type { Actions, Lister, SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';

export interface ClusterRoleAggregationDeps {
  lister: Lister;
  actions: Actions;
}

/**
 * kube's clusterrole-aggregation controller, for one ClusterRole: if it has an aggregationRule, its
 * rules become the union of the rules of the ClusterRoles its selectors match (see aggregatedRules),
 * written only when they differ. The PUT carries the cached resourceVersion, so a stale cache
 * conflicts and the key is retried. Roles aggregating aggregated roles (admin ← edit ← view)
 * converge as each write requeues the roles that select the one written.
 */
export async function syncClusterRoleAggregation(deps: ClusterRoleAggregationDeps, name: string): Promise<SyncResult> {
  const role = deps.lister.get('clusterroles', '', name);
  if (!role?.aggregationRule) return {};
  const rules = aggregatedRules(role, deps.lister.list('clusterroles'));
  if (!aggregatedRulesChanged(role, rules)) return {};
  const next = clone(role);
  next.rules = structuredClone(rules);
  await deps.actions.update('clusterroles', next);
  return {};
}
