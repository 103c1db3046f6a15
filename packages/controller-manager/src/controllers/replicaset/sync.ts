import type { Expectations } from '../../core/expectations.js';
import type { Pod, ReplicaSet } from '@tinykube/api';
import type { Actions, EventRecorder, Lister, Now, SyncResult } from '../../core/ports.js';
import { claimObjects } from '../../core/claim.js';
import { podsToDelete } from '../../core/pod-ranking.js';
import { podFromTemplate } from '../../core/pod-template.js';
import { clone, isControlledBy, isPodActive, isPodAvailable, isPodReady } from '../../core/pods.js';
import { keyFor, splitKey } from '../../core/resources.js';
import { slowStartBatch } from '../../core/slow-start.js';

export interface ReplicaSetSyncDeps {
  lister: Lister;
  actions: Actions;
  recorder: EventRecorder;
  expectations: Expectations;
  now: Now;
  /** Most creations/deletions in one sync (kube's burstReplicas). */
  burstReplicas?: number;
}

/**
 * One level-based pass over a ReplicaSet: claim pods, create or delete the difference (unless earlier
 * creations/deletions are still unobserved), then write status. Returns a requeue for minReadySeconds.
 */
export async function syncReplicaSet(deps: ReplicaSetSyncDeps, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const rs = deps.lister.get('replicasets', namespace, name);
  if (!rs) {
    deps.expectations.delete(key);
    return {};
  }
  const needsSync = deps.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;

  const candidates = deps.lister.list('pods', namespace).filter(isPodActive);
  const pods = await claimObjects(deps.actions, 'pods', rs, rs.spec.selector, candidates);

  let manageError: unknown;
  if (needsSync) {
    try {
      await manageReplicas(deps, key, rs, pods);
    } catch (err) {
      manageError = err;
    }
  }

  const status = calculateStatus(rs, pods, deps.now());
  const cur = rs.status ?? {};
  const changed = (['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const)
    .some((f) => (cur[f] ?? 0) !== (status[f] ?? 0));
  if (changed) {
    const next = clone(rs);
    next.status = { ...cur, ...status };
    await deps.actions.update('replicasets', next, 'status');
  }
  if (manageError) throw manageError;

  // Pods that are ready but not yet available become available on their own: come back then.
  const minReady = rs.spec.minReadySeconds ?? 0;
  if (minReady > 0 && status.readyReplicas === (rs.spec.replicas ?? 1) && status.availableReplicas !== status.readyReplicas) {
    return { requeueAfterMs: minReady * 1000 };
  }
  return {};
}

async function manageReplicas(deps: ReplicaSetSyncDeps, key: string, rs: ReplicaSet, pods: Pod[]): Promise<void> {
  const burst = deps.burstReplicas ?? 500;
  const want = rs.spec.replicas ?? 1;
  const diff = pods.length - want;
  const rsName = rs.metadata.name ?? '';
  if (diff < 0) {
    const count = Math.min(-diff, burst);
    deps.expectations.expectCreations(key, count);
    const { successes, error } = await slowStartBatch(count, 1, async () => {
      try {
        const pod = await deps.actions.create('pods', rs.metadata.namespace ?? '', podFromTemplate(rs.spec.template, rs, `${rsName}-`));
        deps.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (err) {
        // The informer will never see this pod: stop waiting for it.
        deps.expectations.creationObserved(key);
        deps.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
        throw err;
      }
    });
    // Creations skipped after a failed batch will never be observed either.
    const failed = error ? 1 : 0;
    for (let i = successes + failed; i < count; i++) deps.expectations.creationObserved(key);
    if (error) throw error;
  } else if (diff > 0) {
    const count = Math.min(diff, burst);
    const related = deps.lister.list('pods', rs.metadata.namespace).filter((p) => isPodActive(p) && isControlledBy(p, rs));
    const victims = podsToDelete(pods, related, count);
    deps.expectations.expectDeletions(key, victims.map(keyFor));
    const results = await Promise.allSettled(victims.map(async (pod) => {
      try {
        await deps.actions.delete('pods', pod.metadata.namespace ?? '', pod.metadata.name ?? '', { uid: pod.metadata.uid });
        deps.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        deps.expectations.deletionObserved(key, keyFor(pod));
        deps.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
        throw err;
      }
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

export function calculateStatus(rs: ReplicaSet, pods: readonly Pod[], now: number): Required<Pick<NonNullable<ReplicaSet['status']>,
  'replicas' | 'fullyLabeledReplicas' | 'readyReplicas' | 'availableReplicas' | 'observedGeneration'>> {
  const templateLabels = rs.spec.template.metadata?.labels ?? {};
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) ready++;
    if (isPodAvailable(p, rs.spec.minReadySeconds ?? 0, now)) available++;
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 0,
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
