import { describe, expect, it } from 'vitest';
import { LabelSelectorError } from './labels.js';
import { aggregatedRules, aggregatedRulesChanged, isAggregated } from './rbac-aggregation.js';
import type { ClusterRole, PolicyRule } from './schemas/rbac.js';

const A = 'rbac.authorization.k8s.io/aggregate-to-admin';
const V = 'rbac.authorization.k8s.io/aggregate-to-view';

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources });
function clusterRole(name: string, rules: PolicyRule[], labels?: Record<string, string>): ClusterRole {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules };
}
function aggregating(name: string, selectors: ClusterRole['aggregationRule'], rules = [rule(['stale'], [''], ['x'])]): ClusterRole {
  return { ...clusterRole(name, rules), aggregationRule: selectors };
}

const pods = rule(['get'], [''], ['pods']);
const deploys = rule(['get'], ['apps'], ['deployments']);
const secrets = rule(['get'], [''], ['secrets']);

describe('aggregatedRules', () => {
  const admin = aggregating('admin', { clusterRoleSelectors: [{ matchLabels: { [A]: 'true' } }, { matchLabels: { [V]: 'true' } }] });
  const all = [
    admin,
    clusterRole('zeta', [deploys, pods], { [A]: 'true' }),
    clusterRole('alpha', [pods], { [A]: 'true' }),
    clusterRole('viewer', [secrets, pods], { [V]: 'true' }),
    clusterRole('unrelated', [rule(['*'], ['*'], ['*'])], { other: 'true' }),
  ];

  it('unions the rules of matching roles: selectors in order, roles by name, duplicates dropped', () => {
    expect(aggregatedRules(admin, all)).toEqual([pods, deploys, secrets]);
  });

  it('is independent of the order roles are listed in', () => {
    expect(aggregatedRules(admin, [...all].reverse())).toEqual(aggregatedRules(admin, all));
  });

  it('a role never aggregates itself, even when it matches its own selector', () => {
    const self = aggregating('self', { clusterRoleSelectors: [{ matchLabels: { [A]: 'true' } }] });
    self.metadata.labels = { [A]: 'true' };
    expect(aggregatedRules(self, [self, clusterRole('alpha', [pods], { [A]: 'true' })])).toEqual([pods]);
  });

  it('matchExpressions work, and nothing matching means no rules', () => {
    const byExpr = aggregating('e', { clusterRoleSelectors: [{ matchExpressions: [{ key: V, operator: 'Exists' }] }] });
    expect(aggregatedRules(byExpr, all)).toEqual([secrets, pods]);
    const none = aggregating('n', { clusterRoleSelectors: [{ matchLabels: { nobody: 'here' } }] });
    expect(aggregatedRules(none, all)).toEqual([]);
  });

  it('a role without an aggregationRule keeps its own rules', () => {
    expect(aggregatedRules(clusterRole('plain', [pods]), all)).toEqual([pods]);
    expect(isAggregated(clusterRole('plain', [pods]))).toBe(false);
    expect(isAggregated(admin)).toBe(true);
  });

  it('throws for a selector that does not parse', () => {
    const bad = aggregating('bad', { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Near' as 'In' }] }] });
    expect(() => aggregatedRules(bad, all)).toThrow(LabelSelectorError);
  });
});

describe('aggregatedRulesChanged', () => {
  it('compares structurally; absent rules equal none', () => {
    expect(aggregatedRulesChanged(clusterRole('c', [pods]), [rule(['get'], [''], ['pods'])])).toBe(false);
    expect(aggregatedRulesChanged(clusterRole('c', [pods]), [pods, secrets])).toBe(true);
    expect(aggregatedRulesChanged({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'c' } }, [])).toBe(false);
  });
});
