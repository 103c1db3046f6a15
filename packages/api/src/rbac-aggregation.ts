/**
 * ClusterRole aggregation (kube's clusterroleaggregation controller): a ClusterRole with an
 * aggregationRule holds the union of the rules of every other ClusterRole matched by any of its
 * clusterRoleSelectors. Order is stable (selectors in order, matching roles by name, their rules in
 * order) and repeated rules are dropped, so recomputing an unchanged cluster gives the same list.
 * Here rather than in a component because the controller-manager writes these rules and the
 * apiserver's bootstrap and tests compute them.
 */
import { labelSelectorAsSelector } from './labels.js';
import type { ClusterRole, PolicyRule } from './schemas/rbac.js';
import { deepEqual } from './equality.js';

export function isAggregated(role: ClusterRole): boolean {
  return role.aggregationRule !== undefined;
}

/**
 * The rules `role` should hold given every ClusterRole in the cluster (`role` itself may be among
 * them; it never contributes). A role without an aggregationRule keeps its own rules.
 * Throws LabelSelectorError for a selector that does not parse (validation refuses those).
 */
export function aggregatedRules(role: ClusterRole, clusterRoles: readonly ClusterRole[]): PolicyRule[] {
  if (!role.aggregationRule) return role.rules ?? [];
  const byName = [...clusterRoles].sort((a, b) => {
    const x = a.metadata.name ?? '';
    const y = b.metadata.name ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const out: PolicyRule[] = [];
  for (const spec of role.aggregationRule.clusterRoleSelectors ?? []) {
    const selector = labelSelectorAsSelector(spec);
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !selector.matches(other.metadata.labels)) continue;
      for (const r of other.rules ?? []) if (!out.some((o) => deepEqual(o, r))) out.push(r);
    }
  }
  return out;
}

/** Whether `rules` differ from what `role` holds now (an absent list equals an empty one). */
export function aggregatedRulesChanged(role: ClusterRole, rules: readonly PolicyRule[]): boolean {
  return !deepEqual(role.rules ?? [], rules);
}
