import type { Diagnosis } from './framework.js';
import type { PodInfo } from './pod-info.js';

export const SCHEDULER_COMPONENT = 'default-scheduler';
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';

/** "3 Insufficient cpu" entries sorted as strings, as kube's sortReasonsHistogram does. */
function histogram(counts: Map<string, number>): string {
  const parts: string[] = [];
  for (const [reason, n] of counts) parts.push(`${n} ${reason}`);
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.join(', ');
}

/**
 * The FailedScheduling message in kube-scheduler's words (FitError.Error() followed by the
 * DefaultPreemption post-filter message), e.g.
 * "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
 * 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for
 * scheduling, 3 No preemption victims found for incoming pod."
 * We do not preempt, so nodes a preemption could have helped get kube's "no victims" answer.
 */
export function fitErrorMessage(d: Diagnosis, pod: Pick<PodInfo, 'preemptionPolicy'>): string {
  if (d.numAllNodes === 0) return NO_NODES_AVAILABLE;
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const r of d.rejections.values()) {
    for (const reason of r.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    const p = r.unresolvable ? PREEMPTION_NOT_HELPFUL : NO_PREEMPTION_VICTIMS;
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  const absent = d.numAllNodes - d.rejections.size;
  if (absent > 0) preemption.set(PREEMPTION_NOT_HELPFUL, (preemption.get(PREEMPTION_NOT_HELPFUL) ?? 0) + absent);
  let msg = `0/${d.numAllNodes} nodes are available:`;
  if (reasons.size > 0) msg += ` ${histogram(reasons)}.`;
  if (pod.preemptionPolicy === 'Never') return `${msg} preemption: not eligible due to preemptionPolicy=Never.`;
  return `${msg} preemption: 0/${d.numAllNodes} nodes are available: ${histogram(preemption)}.`;
}

export function scheduledMessage(pod: Pick<PodInfo, 'namespace' | 'name'>, nodeName: string): string {
  return `Successfully assigned ${pod.namespace}/${pod.name} to ${nodeName}`;
}

/** Kubernetes serialises metav1.Time with second precision. */
export function kubeTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The core/v1 Event the scheduler posts, in the legacy recorder's shape (source, first/last
 * timestamps, count; no eventTime), which every kubectl version describes.
 */
export type PodEvent = {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: { name: string; namespace: string };
  involvedObject: { apiVersion: 'v1'; kind: 'Pod'; namespace: string; name: string; uid: string; resourceVersion: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  action: string;
  source: { component: string };
  reportingComponent: string;
  reportingInstance: string;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
};

let eventSeq = 0n;

/** Event names are "<pod>.<hex nanoseconds>" like client-go's recorder; a counter keeps them unique. */
export function eventName(podName: string, now: Date): string {
  eventSeq = (eventSeq + 1n) % 1_000_000n;
  const nanos = BigInt(now.getTime()) * 1_000_000n + eventSeq;
  return `${podName}.${nanos.toString(16)}`;
}

export function podEvent(
  pod: Pick<PodInfo, 'namespace' | 'name' | 'uid' | 'resourceVersion'>,
  type: PodEvent['type'],
  reason: string,
  message: string,
  now: Date,
  reportingInstance: string,
): PodEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName(pod.name, now), namespace: pod.namespace },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: pod.namespace,
      name: pod.name,
      uid: pod.uid,
      resourceVersion: pod.resourceVersion,
    },
    type,
    reason,
    message,
    action: reason === 'Scheduled' ? 'Binding' : 'Scheduling',
    source: { component: SCHEDULER_COMPONENT },
    reportingComponent: SCHEDULER_COMPONENT,
    reportingInstance,
    firstTimestamp: kubeTime(now),
    lastTimestamp: kubeTime(now),
    count: 1,
  };
}

/** The pods/status strategic-merge patch that records PodScheduled=False/Unschedulable. */
export function unschedulableConditionPatch(message: string, now: Date): Record<string, unknown> {
  return {
    status: {
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message,
          lastProbeTime: null,
          lastTransitionTime: kubeTime(now),
        },
      ],
    },
  };
}
