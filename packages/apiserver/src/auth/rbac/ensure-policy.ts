/**
 * kube-apiserver's `rbac/bootstrap-roles` post-start hook: at every start the default roles and bindings are
 * created when missing and reconciled when present (missing rules and subjects re-added, unless the object says
 * `rbac.authorization.kubernetes.io/autoupdate: "false"`); objects outside the default policy are never touched.
 * Aggregated ClusterRoles (admin, edit, view) get their rules here too, so they work before any controller runs.
 */
import { aggregatedRules, aggregatedRulesChanged, isAggregated, RBAC_GROUP, type ClusterRole, type KubeObject } from '@tinykube/api';
import type { Logger } from 'pino';
import { isApiError } from '@tinykube/api';
import { listObjects } from '../../storage/list.js';
import { parseFilter } from '../../selectors.js';
import type { Storage } from '../../storage/storage.js';

import { bootstrapPolicy } from './bootstrap-policy.js';
import { reconcileBinding, reconcileRole } from './reconcile.js';

type Kind = 'clusterroles' | 'clusterrolebindings' | 'roles' | 'rolebindings';

async function ensureOne(storage: Storage, plural: Kind, expected: KubeObject): Promise<string> {
  const store = storage.get(RBAC_GROUP, plural)!;
  const ns = store.info.namespaced ? expected.metadata.namespace : undefined;
  const name = expected.metadata.name!;
  const existing = await store.getOrUndefined(ns, name);
  const r = plural.endsWith('bindings') ? reconcileBinding(existing as never, expected as never) : reconcileRole(existing as never, expected as never);
  switch (r.action) {
    case 'none':
      return 'none';
    case 'create':
      try { await store.create(ns, r.object as KubeObject, { dryRun: false }); } catch (err) { if (!(isApiError(err) && err.reason === 'AlreadyExists')) throw err; }
      return 'create';
    case 'update':
      await store.update(ns, name, () => r.object as KubeObject, { dryRun: false });
      return 'update';
    case 'recreate':
      await store.delete(ns, name, { dryRun: false });
      await store.create(ns, r.object as KubeObject, { dryRun: false });
      return 'recreate';
  }
}

export async function ensureBootstrapPolicy(storage: Storage, log: Logger): Promise<void> {
  const p = bootstrapPolicy();
  const counts: Record<string, number> = {};
  const count = (a: string) => { counts[a] = (counts[a] ?? 0) + 1; };
  for (const o of p.clusterRoles) count(await ensureOne(storage, 'clusterroles', o));
  for (const o of p.clusterRoleBindings) count(await ensureOne(storage, 'clusterrolebindings', o));
  for (const o of p.roles) count(await ensureOne(storage, 'roles', o));
  for (const o of p.roleBindings) count(await ensureOne(storage, 'rolebindings', o));
  // aggregation: admin/edit/view (and any aggregated role) from the roles that carry their labels. Aggregation
  // chains (view's rules flow into edit, edit's into admin), so it is repeated until nothing changes.
  const roles = storage.get(RBAC_GROUP, 'clusterroles')!;
  for (let pass = 0; pass < 10; pass++) {
    // a consistent list (read through the store, so encryption at rest applies if configured)
    const all = (await listObjects(roles, { filter: parseFilter(roles.info, new URLSearchParams()) })).items as ClusterRole[];
    let changed = 0;
    for (const role of all.filter(isAggregated)) {
      const rules = aggregatedRules(role, all);
      if (!aggregatedRulesChanged(role, rules)) continue;
      await roles.update(undefined, role.metadata.name!, (cur) => ({ ...cur, rules }), { dryRun: false });
      count('aggregate');
      changed++;
    }
    if (changed === 0) break;
  }
  log.info({ ...counts }, 'RBAC bootstrap policy reconciled');
}
