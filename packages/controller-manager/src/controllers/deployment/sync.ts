import { claimObjects } from '../../core/claim.js';
import type { SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';
import { splitKey } from '../../core/resources.js';
import { SyncContext, type DeploymentSyncDeps } from './context.js';
import { getAllReplicaSetsAndSyncRevision } from './replicasets.js';
import { rolloutRecreate, rolloutRolling } from './rollout.js';
import { isScalingEvent, syncScale } from './scale.js';
import { syncDeploymentStatus } from './status.js';
import { getCondition, hasProgressDeadline, newCondition, setCondition } from './util.js';

export type { DeploymentSyncDeps } from './context.js';

/**
 * One level-based pass over a Deployment (kube's syncDeployment): claim ReplicaSets, then either
 * just scale (paused or a replicas change) or roll out by the strategy. Rollback needs no server
 * support: `kubectl rollout undo` patches the template back, and the old ReplicaSet becomes new again.
 */
export async function syncDeployment(deps: DeploymentSyncDeps, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const d0 = deps.lister.get('deployments', namespace, name);
  if (!d0) return {};
  const ctx = new SyncContext(deps, d0);
  const sel = d0.spec.selector ?? {};
  if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
    deps.recorder.event(d0, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if ((d0.status?.observedGeneration ?? 0) < (d0.metadata.generation ?? 0)) {
      const next = clone(d0);
      next.status = { ...next.status, observedGeneration: d0.metadata.generation };
      await deps.actions.update('deployments', next, 'status');
    }
    return {};
  }
  const rsList = await claimObjects(deps.actions, 'replicasets', d0, sel, deps.lister.list('replicasets', namespace));
  if (d0.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
    await syncDeploymentStatus(ctx, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
    return {};
  }
  await checkPausedConditions(ctx);
  if (ctx.d.spec.paused || isScalingEvent(ctx, rsList)) {
    await syncScale(ctx, rsList);
    return {};
  }
  if (ctx.d.spec.strategy?.type === 'Recreate') {
    return rolloutRecreate(ctx, rsList, deps.lister.list('pods', namespace));
  }
  return rolloutRolling(ctx, rsList);
}

async function checkPausedConditions(ctx: SyncContext): Promise<void> {
  if (!hasProgressDeadline(ctx.d)) return;
  const cond = getCondition(ctx.d.status, 'Progressing');
  const pausedCond = cond?.reason === 'DeploymentPaused';
  const paused = !!ctx.d.spec.paused;
  if (paused === pausedCond) return;
  const next = clone(ctx.d);
  next.status = { ...next.status };
  const now = ctx.deps.now();
  setCondition(next.status, paused
    ? newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now)
    : newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now));
  ctx.d = await ctx.deps.actions.update('deployments', next, 'status');
}
