import {
  podMatchesNodeAffinity, tolerationsTolerateTaint, TAINT_DISK_PRESSURE, TAINT_MEMORY_PRESSURE, TAINT_NETWORK_UNAVAILABLE,
  TAINT_NOT_READY, TAINT_PID_PRESSURE, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE,
  type DaemonSet, type Node, type Pod, type Toleration,
} from '@tinykube/api';

/**
 * kube's AddOrUpdateDaemonPodTolerations: daemon pods survive not-ready/unreachable nodes and
 * schedule onto pressured or cordoned ones (network-unavailable only with hostNetwork).
 */
export function daemonTolerations(existing: readonly Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(existing ?? [])];
  const add = (key: string, effect: NonNullable<Toleration['effect']>): void => {
    if (!out.some((t) => t.key === key && t.effect === effect && (t.operator ?? 'Equal') === 'Exists')) out.push({ key, operator: 'Exists', effect });
  };
  add(TAINT_NOT_READY, 'NoExecute');
  add(TAINT_UNREACHABLE, 'NoExecute');
  add(TAINT_DISK_PRESSURE, 'NoSchedule');
  add(TAINT_MEMORY_PRESSURE, 'NoSchedule');
  add(TAINT_PID_PRESSURE, 'NoSchedule');
  add(TAINT_UNSCHEDULABLE, 'NoSchedule');
  if (hostNetwork) add(TAINT_NETWORK_UNAVAILABLE, 'NoSchedule');
  return out;
}

/**
 * Should a daemon pod run on this node (nodeSelector, required node affinity, NoSchedule/NoExecute
 * taints), and may an existing one keep running (only an untolerated NoExecute taint evicts)?
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec.template.spec;
  if (!podMatchesNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tols = daemonTolerations(spec.tolerations, !!spec.hostNetwork);
  let shouldRun = true;
  let shouldContinueRunning = true;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tolerationsTolerateTaint(tols, taint)) continue;
    shouldRun = false;
    if (taint.effect === 'NoExecute') shouldContinueRunning = false;
  }
  return { shouldRun, shouldContinueRunning };
}

/** The node a daemon pod is for: bound nodeName, else our matchFields metadata.name affinity. */
export function nodeOfDaemonPod(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
