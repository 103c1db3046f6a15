import type { ReplicaSet } from '@tinykube/api';
import type { SyncContext } from './context.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSet } from './replicasets.js';
import { syncDeploymentStatus } from './status.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, isRollingUpdate, maxSurge, replicasOf, rsReplicas } from './util.js';
import { time } from '../../core/pods.js';

/** A replicas change while ReplicaSets are active shows as a desired-replicas annotation that differs. */
export function isScalingEvent(ctx: SyncContext, rsList: readonly ReplicaSet[]): boolean {
  const want = String(replicasOf(ctx.d));
  return rsList.some((rs) => {
    if (rsReplicas(rs) === 0) return false;
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
    return desired !== undefined && desired !== want;
  });
}

/** kube's `sync`: scaling (and paused) deployments get proportional scaling and a plain status. */
export async function syncScale(ctx: SyncContext, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, rsList, false);
  await scale(ctx, newRS, oldRSs);
  if (ctx.d.spec.paused) await cleanupDeployment(ctx, oldRSs);
  await syncDeploymentStatus(ctx, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
}

function isSaturated(ctx: SyncContext, rs: ReplicaSet): boolean {
  const want = replicasOf(ctx.d);
  return rsReplicas(rs) === want && rs.metadata.annotations?.[DESIRED_REPLICAS] === String(want)
    && (rs.status?.availableReplicas ?? 0) === want;
}

async function scale(ctx: SyncContext, newRS0: ReplicaSet | undefined, oldRSs0: ReplicaSet[]): Promise<void> {
  const newRS = newRS0 && ctx.latest(newRS0);
  const oldRSs = ctx.all(oldRSs0);
  const want = replicasOf(ctx.d);
  const active = [...(newRS ? [newRS] : []), ...oldRSs].filter((rs) => rsReplicas(rs) > 0);
  let only: ReplicaSet | undefined;
  if (active.length === 0) only = newRS ?? [...oldRSs].sort((a, b) => time(b.metadata.creationTimestamp) - time(a.metadata.creationTimestamp))[0];
  else if (active.length === 1) only = active[0];
  if (only) {
    if (rsReplicas(only) !== want) await scaleReplicaSet(ctx, only, want);
    return;
  }
  if (newRS && isSaturated(ctx, newRS)) {
    for (const rs of oldRSs.filter((x) => rsReplicas(x) > 0)) await scaleReplicaSet(ctx, rs, 0);
    return;
  }
  if (!isRollingUpdate(ctx.d)) return;
  // Proportional scaling: spread the change over the active ReplicaSets by their share of max-replicas.
  const allowed = want > 0 ? want + maxSurge(ctx.d) : 0;
  const current = active.reduce((n, rs) => n + rsReplicas(rs), 0);
  const toAdd = allowed - current;
  const newerFirst = (a: ReplicaSet, b: ReplicaSet): number =>
    rsReplicas(b) - rsReplicas(a) || time(b.metadata.creationTimestamp) - time(a.metadata.creationTimestamp);
  const olderFirst = (a: ReplicaSet, b: ReplicaSet): number =>
    rsReplicas(b) - rsReplicas(a) || time(a.metadata.creationTimestamp) - time(b.metadata.creationTimestamp);
  const sorted = [...active].sort(toAdd > 0 ? newerFirst : olderFirst);
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of sorted) {
    const p = proportion(ctx, rs, toAdd, added);
    sizes.set(rs, rsReplicas(rs) + p);
    added += p;
  }
  if (sorted.length > 0 && toAdd !== 0) {
    const first = sorted[0];
    sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  }
  for (const rs of sorted) await scaleReplicaSet(ctx, rs, sizes.get(rs) ?? rsReplicas(rs));
}

function proportion(ctx: SyncContext, rs: ReplicaSet, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(ctx, rs);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(ctx: SyncContext, rs: ReplicaSet): number {
  const want = replicasOf(ctx.d);
  if (want === 0) return -rsReplicas(rs);
  const deploymentReplicas = want + maxSurge(ctx.d);
  const annotated = Number.parseInt(rs.metadata.annotations?.[MAX_REPLICAS] ?? '', 10);
  const base = Number.isNaN(annotated) ? ctx.d.status?.replicas ?? 0 : annotated;
  if (base === 0) return 0;
  return Math.round((rsReplicas(rs) * deploymentReplicas) / base) - rsReplicas(rs);
}
