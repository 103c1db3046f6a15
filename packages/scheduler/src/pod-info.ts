import { compileNodeSelectorTerm, compileRequiredNodeAffinity, type NodeMatcher, type Pod, type Toleration } from '@tinykube/api';
import { podRequests, type Resources } from './resources.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface HostPort {
  protocol: string;
  port: number;
  /** '0.0.0.0' when the container did not name a hostIP. */
  ip: string;
}

export interface PreferredTerm {
  weight: number;
  matches: NodeMatcher;
}

/**
 * Everything the filters and scores need about a pod, computed once per informer event.
 * Read-only after construction: cached and queued copies are shared.
 */
export interface PodInfo {
  /** namespace/name: the queue key. */
  key: string;
  /** metadata.uid (or the key when absent): the cache key, unique across re-creations. */
  uid: string;
  namespace: string;
  name: string;
  resourceVersion: string;
  nodeName: string | undefined;
  schedulerName: string;
  deleting: boolean;
  /** Succeeded or Failed: no longer holds node resources. */
  terminal: boolean;
  priority: number;
  preemptionPolicy: string;
  creationTimestamp: string;
  labels: Readonly<Record<string, string>>;
  requests: Resources;
  /** Requests with kube-scheduler's non-zero defaults, used by scoring only. */
  nonZeroRequests: Resources;
  hostPorts: HostPort[];
  /** spec.tolerations as stored (matched with @tinykube/api's toleratesTaint). */
  tolerations: readonly Toleration[];
  /** spec.nodeSelector AND the required node affinity, compiled once; undefined: every node. */
  requiredAffinity: NodeMatcher | undefined;
  preferredAffinity: PreferredTerm[];
  /** uid of the controller ownerReference, for spreading replicas. */
  ownerUid: string | undefined;
  /** The PodScheduled condition as last seen, so unchanged status writes can be skipped. */
  scheduledCondition: { status: string; reason: string; message: string } | undefined;
  /** Fingerprint of the fields that can change a scheduling decision. */
  schedulingSignature: string;
}

function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const list of [pod.spec.initContainers, pod.spec.containers]) {
    for (const c of list ?? []) {
      for (const p of c.ports ?? []) {
        if (!p.hostPort || p.hostPort <= 0) continue;
        out.push({ protocol: p.protocol || 'TCP', port: p.hostPort, ip: p.hostIP || '0.0.0.0' });
      }
    }
  }
  return out;
}

export function newPodInfo(pod: Pod): PodInfo {
  const meta = pod.metadata;
  const spec = pod.spec;
  const namespace = meta.namespace ?? 'default';
  const key = `${namespace}/${meta.name}`;
  const affinity = spec.affinity?.nodeAffinity;
  const phase = pod.status?.phase;
  const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return {
    key,
    uid: meta.uid || key,
    namespace,
    name: meta.name ?? '',
    resourceVersion: meta.resourceVersion ?? '',
    nodeName: spec.nodeName || undefined,
    schedulerName: spec.schedulerName || DEFAULT_SCHEDULER_NAME,
    deleting: !!meta.deletionTimestamp,
    terminal: phase === 'Succeeded' || phase === 'Failed',
    priority: spec.priority ?? 0,
    preemptionPolicy: spec.preemptionPolicy ?? 'PreemptLowerPriority',
    creationTimestamp: meta.creationTimestamp ?? '',
    labels: meta.labels ?? {},
    requests: podRequests(spec),
    nonZeroRequests: podRequests(spec, true),
    hostPorts: hostPortsOf(pod),
    tolerations: spec.tolerations ?? [],
    requiredAffinity: compileRequiredNodeAffinity(spec),
    preferredAffinity: (affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .filter((p) => p.weight > 0)
      .map((p) => ({ weight: p.weight, matches: compileNodeSelectorTerm(p.preference) })),
    ownerUid: meta.ownerReferences?.find((o) => o.controller)?.uid,
    scheduledCondition: cond
      ? { status: cond.status, reason: cond.reason ?? '', message: cond.message ?? '' }
      : undefined,
    schedulingSignature: JSON.stringify([meta.labels, spec]),
  };
}
