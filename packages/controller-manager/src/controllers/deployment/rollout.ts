import type { Pod, ReplicaSet } from '@tinykube/api';
import type { SyncResult } from '../../core/ports.js';
import type { SyncContext } from './context.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, newRSNewReplicas, scaleReplicaSet } from './replicasets.js';
import { syncRolloutStatus } from './status.js';
import { byCreation, deploymentComplete, maxUnavailable, replicasOf, rsReplicas } from './util.js';

const active = (rss: readonly ReplicaSet[]): ReplicaSet[] => rss.filter((rs) => rsReplicas(rs) > 0);

/** RollingUpdate: scale the new RS up within maxSurge, old ones down within maxUnavailable. */
export async function rolloutRolling(ctx: SyncContext, rsList: readonly ReplicaSet[]): Promise<SyncResult> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, rsList, true);
  const all = (): ReplicaSet[] => ctx.all([...oldRSs, newRS]);
  if (await reconcileNewReplicaSet(ctx, all(), newRS!)) return syncRolloutStatus(ctx, all(), newRS);
  if (await reconcileOldReplicaSets(ctx, all(), active(ctx.all(oldRSs)), ctx.latest(newRS!))) return syncRolloutStatus(ctx, all(), newRS);
  if (deploymentComplete(ctx.d, ctx.d.status ?? {})) await cleanupDeployment(ctx, oldRSs);
  return syncRolloutStatus(ctx, all(), newRS);
}

async function reconcileNewReplicaSet(ctx: SyncContext, allRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  const want = replicasOf(ctx.d);
  const have = rsReplicas(ctx.latest(newRS));
  if (have === want) return false;
  if (have > want) return scaleReplicaSet(ctx, newRS, want);
  return scaleReplicaSet(ctx, newRS, newRSNewReplicas(ctx, allRSs, ctx.latest(newRS)));
}

async function reconcileOldReplicaSets(ctx: SyncContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  const oldPods = oldRSs.reduce((n, rs) => n + rsReplicas(rs), 0);
  if (oldPods === 0) return false;
  const allPods = allRSs.reduce((n, rs) => n + rsReplicas(rs), 0);
  const minAvailable = replicasOf(ctx.d) - maxUnavailable(ctx.d);
  const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // First drop old replicas that are not available anyway: they cost no availability.
  const cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, maxScaledDown);
  const scaled = await scaleDownOldForRollingUpdate(ctx, ctx.all([...oldRSs, newRS]), ctx.all(oldRSs));
  return cleaned + scaled > 0;
}

async function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: ReplicaSet[], maxCleanup: number): Promise<number> {
  let total = 0;
  for (const rs of ctx.all(oldRSs).sort(byCreation)) {
    if (total >= maxCleanup) break;
    const replicas = rsReplicas(rs);
    const availableCount = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === availableCount) continue;
    const down = Math.min(maxCleanup - total, replicas - availableCount);
    await scaleReplicaSet(ctx, rs, replicas - down);
    total += down;
  }
  return total;
}

async function scaleDownOldForRollingUpdate(ctx: SyncContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[]): Promise<number> {
  const minAvailable = replicasOf(ctx.d) - maxUnavailable(ctx.d);
  const availableNow = allRSs.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
  if (availableNow <= minAvailable) return 0;
  const totalDown = availableNow - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= totalDown) break;
    if (rsReplicas(rs) === 0) continue;
    const down = Math.min(rsReplicas(rs), totalDown - total);
    await scaleReplicaSet(ctx, rs, rsReplicas(rs) - down);
    total += down;
  }
  return total;
}

/** Recreate: all old pods gone (not just scaled down) before the new RS is scaled up. */
export async function rolloutRecreate(ctx: SyncContext, rsList: readonly ReplicaSet[], pods: readonly Pod[]): Promise<SyncResult> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
  let scaledDown = false;
  for (const rs of active(ctx.all(oldRSs))) scaledDown = (await scaleReplicaSet(ctx, rs, 0)) || scaledDown;
  if (scaledDown) return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
  if (oldPodsRunning(ctx.all(oldRSs), pods)) return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
  if (!newRS) ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, rsList, true));
  await scaleReplicaSet(ctx, newRS!, replicasOf(ctx.d));
  if (deploymentComplete(ctx.d, ctx.d.status ?? {})) await cleanupDeployment(ctx, oldRSs);
  return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
}

function oldPodsRunning(oldRSs: ReplicaSet[], pods: readonly Pod[]): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const uids = new Set(oldRSs.map((rs) => rs.metadata.uid));
  return pods.some((p) => {
    const ref = p.metadata.ownerReferences?.find((r) => r.controller);
    return !!ref && uids.has(ref.uid) && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
  });
}
