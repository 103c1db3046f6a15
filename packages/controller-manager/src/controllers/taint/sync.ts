import { TAINT_NOT_READY, TAINT_UNREACHABLE, toleratesTaint, tolerationsTolerateTaint, type Pod, type Taint, type Toleration } from '@tinykube/api';
import type { Actions, EventRecorder, Lister, Now, SyncResult } from '../../core/ports.js';
import { time } from '../../core/pods.js';
import { splitKey } from '../../core/resources.js';

export interface TaintEvictionSyncDeps {
  lister: Lister;
  actions: Actions;
  recorder: EventRecorder;
  now: Now;
  /**
   * --pod-eviction-timeout: tolerationSeconds for pods that carry no toleration for not-ready /
   * unreachable, standing in for kube's DefaultTolerationSeconds admission (300 s there).
   */
  defaultTolerationSeconds: number;
  /** First time we saw a taint without timeAdded, per "pod|taint", so its clock does not restart. */
  firstSeen: Map<string, number>;
}

/** Pod tolerations plus the default not-ready/unreachable ones kube's admission would have added. */
export function effectiveTolerations(pod: Pod, defaultSeconds: number): Toleration[] {
  const tols = [...(pod.spec.tolerations ?? [])];
  for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
    if (!tolerationsTolerateTaint(tols, { key, effect: 'NoExecute' })) tols.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultSeconds });
  }
  return tols;
}

/**
 * kube's NoExecuteTaintManager for one pod: a NoExecute taint it does not tolerate deletes it now;
 * tolerated with tolerationSeconds, it is deleted when that runs out, measured from the taint's
 * timeAdded. Tolerations without tolerationSeconds tolerate forever.
 */
export async function syncTaintEviction(deps: TaintEvictionSyncDeps, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const pod = deps.lister.get('pods', namespace, name);
  if (!pod || !pod.spec.nodeName || pod.metadata.deletionTimestamp) return {};
  const node = deps.lister.get('nodes', '', pod.spec.nodeName);
  const taints = (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
  if (taints.length === 0) return {};
  const tols = effectiveTolerations(pod, deps.defaultTolerationSeconds);
  const now = deps.now();
  let deadline = Number.POSITIVE_INFINITY;
  for (const taint of taints) {
    const matching = tols.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) {
      deadline = now;
      break;
    }
    const seconds = matching.filter((t) => t.tolerationSeconds !== undefined && t.tolerationSeconds !== null).map((t) => t.tolerationSeconds!);
    if (seconds.length === 0) continue; // tolerated forever
    const min = Math.max(0, Math.min(...seconds));
    deadline = Math.min(deadline, startOf(deps, key, taint, now) + min * 1000);
  }
  if (deadline === Number.POSITIVE_INFINITY) return {};
  if (deadline > now) return { requeueAfterMs: deadline - now };
  deps.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
  await deps.actions.delete('pods', namespace, name, { uid: pod.metadata.uid });
  for (const k of deps.firstSeen.keys()) if (k.startsWith(`${key}|`)) deps.firstSeen.delete(k);
  return {};
}

function startOf(deps: TaintEvictionSyncDeps, podKey: string, taint: Taint, now: number): number {
  const added = time(taint.timeAdded);
  if (added > 0) return added;
  const k = `${podKey}|${taint.key}=${taint.value ?? ''}`;
  let seen = deps.firstSeen.get(k);
  if (seen === undefined) deps.firstSeen.set(k, (seen = now));
  return seen;
}
