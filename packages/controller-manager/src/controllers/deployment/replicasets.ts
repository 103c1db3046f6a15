import { isAlreadyExists } from '@tinykube/api';
import type { ReplicaSet } from '@tinykube/api';
import { clone, isControlledBy, ownerRefFor } from '../../core/pods.js';
import type { SyncContext } from './context.js';
import { podTemplateHash } from './hash.js';
import {
  DESIRED_REPLICAS, HASH_LABEL, MAX_REPLICAS, REVISION, byCreation, equalIgnoreHash, getCondition, maxRevision, maxSurge,
  newCondition, replicasOf, revisionOf, rsReplicas, setCondition,
} from './util.js';

/**
 * kube's getAllReplicaSetsAndSyncRevision: finds the ReplicaSet whose template equals the
 * Deployment's (the new one), brings its revision and annotations up to date, or creates it.
 */
export async function getAllReplicaSetsAndSyncRevision(ctx: SyncContext, rsList: readonly ReplicaSet[], createIfMissing: boolean):
  Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
  const sorted = ctx.all(rsList).sort(byCreation);
  let newRS = sorted.find((rs) => equalIgnoreHash(rs.spec.template, ctx.d.spec.template));
  const oldRSs = sorted.filter((rs) => rs !== newRS);
  const newRevision = maxRevision(oldRSs) + 1;
  if (newRS) {
    newRS = await syncExistingNewRS(ctx, newRS, newRevision);
  } else if (createIfMissing) {
    newRS = await createNewRS(ctx, oldRSs, newRevision);
  } else {
    return { oldRSs };
  }
  await setDeploymentRevision(ctx, String(revisionOf(newRS)));
  return { newRS, oldRSs };
}

async function syncExistingNewRS(ctx: SyncContext, rs: ReplicaSet, newRevision: number): Promise<ReplicaSet> {
  const d = ctx.d;
  const next = clone(rs);
  const ann = (next.metadata.annotations ??= {});
  let changed = false;
  if (revisionOf(rs) < newRevision) {
    ann[REVISION] = String(newRevision);
    changed = true;
  }
  // Replica annotations change only through scaleReplicaSet: proportional scaling reads the old ones.
  if ((next.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
    next.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
    changed = true;
  }
  const result = changed ? ctx.remember(await ctx.deps.actions.update('replicasets', next)) : rs;
  if (!getCondition(d.status, 'Progressing')) {
    await writeProgressing(ctx, 'FoundNewReplicaSet', `Found new replica set "${rs.metadata.name}"`);
  }
  return result;
}

async function createNewRS(ctx: SyncContext, oldRSs: ReplicaSet[], newRevision: number): Promise<ReplicaSet> {
  const d = ctx.d;
  const hash = podTemplateHash(d.spec.template, d.status?.collisionCount);
  const template = clone(d.spec.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH_LABEL]: hash } };
  const selector = clone(d.spec.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [HASH_LABEL]: hash };
  const replicas = newRSNewReplicas(ctx, oldRSs, undefined);
  const name = `${d.metadata.name}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      annotations: { [REVISION]: String(newRevision) },
      ownerReferences: [ownerRefFor(d)],
    },
    spec: { replicas, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  setReplicasAnnotations(ctx, rs);
  let created: ReplicaSet;
  try {
    created = await ctx.deps.actions.create('replicasets', d.metadata.namespace ?? '', rs);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    // Our cache may just be behind: if the namesake is ours with our template, it *is* the new RS.
    const existing = await ctx.deps.actions.get('replicasets', d.metadata.namespace ?? '', name);
    if (existing && isControlledBy(existing, d) && equalIgnoreHash(existing.spec.template, d.spec.template)) return ctx.remember(existing);
    // A genuine hash collision: bump collisionCount so the next sync picks another name.
    const next = clone(d);
    next.status = { ...next.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    ctx.d = await ctx.deps.actions.update('deployments', next, 'status');
    throw err;
  }
  if (replicas > 0) ctx.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} to ${replicas}`);
  await writeProgressing(ctx, 'NewReplicaSetCreated', `Created new replica set "${name}"`);
  return ctx.remember(created);
}

async function writeProgressing(ctx: SyncContext, reason: string, message: string): Promise<void> {
  const next = clone(ctx.d);
  next.status = { ...next.status };
  setCondition(next.status, newCondition('Progressing', 'True', reason, message, ctx.deps.now()));
  ctx.d = await ctx.deps.actions.update('deployments', next, 'status');
}

async function setDeploymentRevision(ctx: SyncContext, revision: string): Promise<void> {
  if (ctx.d.metadata.annotations?.[REVISION] === revision) return;
  const next = clone(ctx.d);
  next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: revision };
  ctx.d = await ctx.deps.actions.update('deployments', next);
}

/** Sets desired-replicas and max-replicas on `rs` in place; true when they changed. */
export function setReplicasAnnotations(ctx: SyncContext, rs: ReplicaSet): boolean {
  const desired = String(replicasOf(ctx.d));
  const max = String(replicasOf(ctx.d) + maxSurge(ctx.d));
  const ann = (rs.metadata.annotations ??= {});
  if (ann[DESIRED_REPLICAS] === desired && ann[MAX_REPLICAS] === max) return false;
  ann[DESIRED_REPLICAS] = desired;
  ann[MAX_REPLICAS] = max;
  return true;
}

/** How many replicas the new ReplicaSet should have now (kube's NewRSNewReplicas). */
export function newRSNewReplicas(ctx: SyncContext, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const d = ctx.d;
  if ((d.spec.strategy?.type ?? 'RollingUpdate') === 'Recreate') return replicasOf(d);
  const current = allRSs.reduce((n, rs) => n + rsReplicas(rs), 0);
  const maxTotal = replicasOf(d) + maxSurge(d);
  const newReplicas = newRS ? rsReplicas(newRS) : 0;
  if (current >= maxTotal) return newReplicas;
  const up = Math.min(maxTotal - current, replicasOf(d) - newReplicas);
  return newReplicas + up;
}

/** Scales a ReplicaSet (and refreshes its replica annotations); emits ScalingReplicaSet when the size changes. */
export async function scaleReplicaSet(ctx: SyncContext, rs0: ReplicaSet, newScale: number): Promise<boolean> {
  const rs = ctx.latest(rs0);
  const sizeChanges = rsReplicas(rs) !== newScale;
  const next = clone(rs);
  next.spec.replicas = newScale;
  const annChanged = setReplicasAnnotations(ctx, next);
  if (!sizeChanges && !annChanged) return false;
  ctx.remember(await ctx.deps.actions.update('replicasets', next));
  if (sizeChanges) {
    const dir = newScale > rsReplicas(rs) ? 'up' : 'down';
    ctx.deps.recorder.event(ctx.d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name} to ${newScale}`);
  }
  return sizeChanges;
}

/** Deletes the oldest fully scaled-down old ReplicaSets beyond revisionHistoryLimit. */
export async function cleanupDeployment(ctx: SyncContext, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const limit = ctx.d.spec.revisionHistoryLimit ?? 10;
  const cleanable = ctx.all(oldRSs).filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of cleanable.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    await ctx.deps.actions.delete('replicasets', rs.metadata.namespace ?? '', rs.metadata.name ?? '', { uid: rs.metadata.uid });
  }
}
