import { claimObjects } from '../../core/claim.js';
import type { Expectations } from '../../core/expectations.js';
import type { DaemonSet, Node, Pod } from '@tinykube/api';
import type { Actions, EventRecorder, Lister, Now, SyncResult } from '../../core/ports.js';
import { podFromTemplate } from '../../core/pod-template.js';
import { clone, isPodAvailable, isPodReady, time } from '../../core/pods.js';
import { keyFor, splitKey } from '../../core/resources.js';
import { slowStartBatch } from '../../core/slow-start.js';
import { podTemplateHash } from '../deployment/hash.js';
import { scaledValue } from '../deployment/util.js';
import { daemonTolerations, nodeOfDaemonPod, nodeShouldRunDaemonPod } from './placement.js';

export const REVISION_HASH_LABEL = 'controller-revision-hash';

export interface DaemonSetSyncDeps {
  lister: Lister;
  actions: Actions;
  recorder: EventRecorder;
  expectations: Expectations;
  now: Now;
}

/** The pod for one node: template + default tolerations + node affinity on metadata.name (kube >= 1.12). */
export function newDaemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const pod = podFromTemplate(ds.spec.template, ds, `${ds.metadata.name}-`);
  pod.metadata.labels = { ...pod.metadata.labels, [REVISION_HASH_LABEL]: hash };
  pod.spec.tolerations = daemonTolerations(pod.spec.tolerations, !!pod.spec.hostNetwork);
  pod.spec.affinity = {
    ...pod.spec.affinity,
    nodeAffinity: {
      ...pod.spec.affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
  return pod;
}

/**
 * One DaemonSet: a pod on every eligible node, none elsewhere, failed and duplicate pods replaced,
 * outdated pods replaced within maxUnavailable (RollingUpdate), then status.
 */
export async function syncDaemonSet(deps: DaemonSetSyncDeps, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const ds = deps.lister.get('daemonsets', namespace, name);
  if (!ds) {
    deps.expectations.delete(key);
    return {};
  }
  const nodes = deps.lister.list('nodes');
  const pods = await claimObjects(deps.actions, 'pods', ds, ds.spec.selector, deps.lister.list('pods', namespace));
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    const n = nodeOfDaemonPod(p) ?? '';
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const hash = podTemplateHash(ds.spec.template);
  const now = deps.now();
  const minReady = ds.spec.minReadySeconds ?? 0;

  const toCreate: string[] = [];
  const toDelete: Pod[] = [];
  const eligible: { node: Node; pod?: Pod }[] = [];
  for (const node of nodes) {
    const nodeName = node.metadata.name ?? '';
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const onNode = byNode.get(nodeName) ?? [];
    byNode.delete(nodeName);
    const live = onNode.filter((p) => !p.metadata.deletionTimestamp);
    if (shouldRun) {
      if (onNode.length === 0) toCreate.push(nodeName);
      const failed = live.filter((p) => p.status?.phase === 'Failed');
      toDelete.push(...failed);
      const running = live.filter((p) => p.status?.phase !== 'Failed').sort((a, b) => time(a.metadata.creationTimestamp) - time(b.metadata.creationTimestamp));
      toDelete.push(...running.slice(1)); // keep the oldest
      eligible.push({ node, pod: running[0] });
    } else if (!shouldContinueRunning) {
      toDelete.push(...live);
    }
  }
  // Pods for nodes that no longer exist.
  for (const rest of byNode.values()) toDelete.push(...rest.filter((p) => !p.metadata.deletionTimestamp));

  if (deps.expectations.satisfied(key)) {
    if (toCreate.length === 0 && toDelete.length === 0) toDelete.push(...rollingUpdateVictims(ds, eligible, hash, now));
    await manage(deps, key, ds, hash, toCreate, toDelete);
  }
  await writeStatus(deps, ds, nodes, pods, hash, now);
  return minReady > 0 ? { requeueAfterMs: minReady * 1000 } : {};
}

/** Outdated pods to replace now, never taking more than maxUnavailable daemon pods out at once. */
function rollingUpdateVictims(ds: DaemonSet, eligible: { node: Node; pod?: Pod }[], hash: string, now: number): Pod[] {
  if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return [];
  const maxUnavailable = Math.max(1, scaledValue(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable, eligible.length, true, 1));
  const minReady = ds.spec.minReadySeconds ?? 0;
  let unavailable = eligible.filter((e) => !e.pod || !isPodAvailable(e.pod, minReady, now)).length;
  const old = eligible.map((e) => e.pod).filter((p): p is Pod => !!p && p.metadata.labels?.[REVISION_HASH_LABEL] !== hash);
  const victims = old.filter((p) => !isPodAvailable(p, minReady, now)); // already down: free to replace
  for (const p of old) {
    if (victims.includes(p)) continue;
    if (unavailable >= maxUnavailable) break;
    victims.push(p);
    unavailable++;
  }
  return victims;
}

async function manage(deps: DaemonSetSyncDeps, key: string, ds: DaemonSet, hash: string, toCreate: string[], toDelete: Pod[]): Promise<void> {
  deps.expectations.expectCreations(key, toCreate.length);
  let i = 0;
  const { successes, error } = await slowStartBatch(toCreate.length, 1, async () => {
    const nodeName = toCreate[i++];
    try {
      const pod = await deps.actions.create('pods', ds.metadata.namespace ?? '', newDaemonPod(ds, nodeName, hash));
      deps.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (err) {
      deps.expectations.creationObserved(key);
      deps.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  });
  for (let k = successes + (error ? 1 : 0); k < toCreate.length; k++) deps.expectations.creationObserved(key);
  if (error) throw error;
  if (toDelete.length === 0) return;
  deps.expectations.expectDeletions(key, toDelete.map(keyFor));
  for (const pod of toDelete) {
    try {
      await deps.actions.delete('pods', pod.metadata.namespace ?? '', pod.metadata.name ?? '', { uid: pod.metadata.uid });
      deps.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      deps.expectations.deletionObserved(key, keyFor(pod));
      throw err;
    }
  }
}

async function writeStatus(deps: DaemonSetSyncDeps, ds: DaemonSet, nodes: readonly Node[], pods: Pod[], hash: string, now: number): Promise<void> {
  const s = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0, observedGeneration: ds.metadata.generation ?? 0 };
  const minReady = ds.spec.minReadySeconds ?? 0;
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const onNode = pods.filter((p) => nodeOfDaemonPod(p) === node.metadata.name && !p.metadata.deletionTimestamp);
    if (shouldRun) {
      s.desiredNumberScheduled++;
      if (onNode.length === 0) continue;
      s.currentNumberScheduled++;
      const pod = onNode[0];
      if (isPodReady(pod)) s.numberReady++;
      if (isPodAvailable(pod, minReady, now)) s.numberAvailable++;
      if (pod.metadata.labels?.[REVISION_HASH_LABEL] === hash) s.updatedNumberScheduled++;
    } else if (onNode.length > 0) {
      s.numberMisscheduled++;
    }
  }
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  const cur = (ds.status ?? {}) as Record<string, unknown>;
  if (Object.entries(s).every(([k, v]) => (cur[k] ?? 0) === v)) return;
  const next = clone(ds);
  next.status = { ...next.status, ...s };
  await deps.actions.update('daemonsets', next, 'status');
}
