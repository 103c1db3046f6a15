import type { DeploymentStatus, ReplicaSet } from '@tinykube/api';
import type { SyncResult } from '../../core/ports.js';
import { semanticEqual } from '@tinykube/api';
import { clone, time } from '../../core/pods.js';
import type { SyncContext } from './context.js';
import {
  deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, maxUnavailable,
  newCondition, removeCondition, replicasOf, rsReplicas, setCondition,
} from './util.js';

/** kube's calculateStatus: counts from the ReplicaSets' statuses plus the Available condition. */
export function calculateStatus(ctx: SyncContext, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentStatus {
  const d = ctx.d;
  const sum = (f: (rs: ReplicaSet) => number): number => allRSs.reduce((n, rs) => n + f(rs), 0);
  const available = sum((rs) => rs.status?.availableReplicas ?? 0);
  const total = sum(rsReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sum((rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    conditions: clone(d.status?.conditions ?? []),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const now = ctx.deps.now();
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  }
  return status;
}

function normalize(s: DeploymentStatus | undefined): DeploymentStatus {
  const n = (x: number | undefined): number => x ?? 0;
  return {
    observedGeneration: n(s?.observedGeneration), replicas: n(s?.replicas), updatedReplicas: n(s?.updatedReplicas),
    readyReplicas: n(s?.readyReplicas), availableReplicas: n(s?.availableReplicas), unavailableReplicas: n(s?.unavailableReplicas),
    collisionCount: s?.collisionCount, conditions: s?.conditions ?? [],
  };
}

async function writeStatus(ctx: SyncContext, status: DeploymentStatus): Promise<boolean> {
  if (semanticEqual(normalize(ctx.d.status), normalize(status))) return false;
  const next = clone(ctx.d);
  next.status = status;
  ctx.d = await ctx.deps.actions.update('deployments', next, 'status');
  return true;
}

/** Status without progress bookkeeping (scaling, paused, deleting). */
export async function syncDeploymentStatus(ctx: SyncContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
  await writeStatus(ctx, calculateStatus(ctx, ctx.all(allRSs), newRS && ctx.latest(newRS)));
}

/** kube's syncRolloutStatus: status plus the Progressing condition and the progress deadline. */
export async function syncRolloutStatus(ctx: SyncContext, allRSs0: readonly (ReplicaSet | undefined)[], newRS0: ReplicaSet | undefined): Promise<SyncResult> {
  const d = ctx.d;
  const allRSs = ctx.all(allRSs0);
  const newRS = newRS0 && ctx.latest(newRS0);
  const status = calculateStatus(ctx, allRSs, newRS);
  const now = ctx.deps.now();
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const cur = getCondition(status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && cur?.reason === 'NewReplicaSetAvailable';
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const cond = newCondition('Progressing', 'True', 'ReplicaSetUpdated', msg, now);
      if (cur?.status === 'True') cond.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(status, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', msg, now));
    }
  }
  await writeStatus(ctx, status);
  return requeueStuck(ctx, status, now);
}

/** A rollout that makes no progress must still be re-checked when its deadline passes. */
function requeueStuck(ctx: SyncContext, status: DeploymentStatus, now: number): SyncResult {
  const d = ctx.d;
  const cur = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !cur) return {};
  if (cur.reason === 'NewReplicaSetAvailable' || cur.reason === 'ProgressDeadlineExceeded') return {};
  if (deploymentComplete(d, status)) return {};
  const after = time(cur.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 600) * 1000 - now;
  return { requeueAfterMs: Math.max(after, 0) + 1000 };
}
