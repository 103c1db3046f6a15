import { TAINT_NOT_READY, TAINT_UNREACHABLE, type Node } from '@tinykube/api';
import type { PodInfo } from './pod-info.js';
import { addInto, emptyResources, resourceAmount, toResources, type Resources } from './resources.js';

export interface ParsedTaint {
  key: string;
  value: string;
  effect: string;
  /** The FailedScheduling reason for this taint, built once. */
  reason: string;
}

function parsedTaint(key: string, value: string, effect: string): ParsedTaint {
  return { key, value, effect, reason: `node(s) had untolerated taint {${key}: ${value}}` };
}

/**
 * One node's scheduling state: the node's parsed spec/status plus the running totals of the
 * pods bound (or assumed) to it. Totals change incrementally with addPod/removePod, so a
 * filter pass is a handful of number comparisons per node.
 */
export class NodeInfo {
  readonly name: string;
  /** False for a "ghost" entry that holds pods of a node we have not seen (yet). */
  hasNode = false;
  labels: Readonly<Record<string, string>> = {};
  unschedulable = false;
  ready = false;
  /** NoSchedule and NoExecute taints (plus the synthetic not-ready one), checked by the filter. */
  hardTaints: ParsedTaint[] = [];
  /** PreferNoSchedule taints, counted by the score. */
  softTaints: ParsedTaint[] = [];
  allocatable: Resources = emptyResources();
  allowedPods = 0;
  requested: Resources = emptyResources();
  nonZeroRequested: Resources = emptyResources();
  readonly pods = new Map<string, PodInfo>();
  /** "TCP/8080" → hostIP → number of pods using it. */
  readonly usedPorts = new Map<string, Map<string, number>>();

  constructor(name: string) {
    this.name = name;
  }

  get podCount(): number {
    return this.pods.size;
  }

  /**
   * Reads the node object. A node whose Ready condition is not True gets a synthetic
   * NoSchedule taint (not-ready, or unreachable when Unknown) unless it already carries one:
   * the same thing Kubernetes' node lifecycle controller does, so the FailedScheduling
   * message and tolerations behave as in a real cluster even before that controller acts.
   */
  setNode(node: Node): void {
    this.hasNode = true;
    this.labels = node.metadata.labels ?? {};
    this.unschedulable = !!node.spec?.unschedulable;
    const status = node.status;
    const list = status?.allocatable && Object.keys(status.allocatable).length > 0 ? status.allocatable : status?.capacity;
    this.allocatable = toResources(list);
    this.allowedPods = list?.pods !== undefined ? resourceAmount('pods', list.pods) : 0;
    const hard: ParsedTaint[] = [];
    const soft: ParsedTaint[] = [];
    for (const t of node.spec?.taints ?? []) {
      const p = parsedTaint(t.key, t.value ?? '', t.effect);
      if (t.effect === 'PreferNoSchedule') soft.push(p);
      else if (t.effect === 'NoSchedule' || t.effect === 'NoExecute') hard.push(p);
    }
    const readyStatus = status?.conditions?.find((c) => c.type === 'Ready')?.status;
    this.ready = readyStatus === 'True';
    if (!this.ready) {
      const key = readyStatus === 'Unknown' ? TAINT_UNREACHABLE : TAINT_NOT_READY;
      if (!hard.some((t) => t.key === key && t.effect === 'NoSchedule')) hard.push(parsedTaint(key, '', 'NoSchedule'));
    }
    this.hardTaints = hard;
    this.softTaints = soft;
  }

  clearNode(): void {
    this.hasNode = false;
  }

  addPod(pod: PodInfo): void {
    if (this.pods.has(pod.uid)) return;
    this.pods.set(pod.uid, pod);
    addInto(this.requested, pod.requests);
    addInto(this.nonZeroRequested, pod.nonZeroRequests);
    for (const hp of pod.hostPorts) {
      const k = `${hp.protocol}/${hp.port}`;
      let ips = this.usedPorts.get(k);
      if (!ips) this.usedPorts.set(k, (ips = new Map()));
      ips.set(hp.ip, (ips.get(hp.ip) ?? 0) + 1);
    }
  }

  /** Removes the pod previously added under the same uid (its stored copy is what is subtracted). */
  removePod(uid: string): PodInfo | undefined {
    const pod = this.pods.get(uid);
    if (!pod) return undefined;
    this.pods.delete(uid);
    addInto(this.requested, pod.requests, -1);
    addInto(this.nonZeroRequested, pod.nonZeroRequests, -1);
    for (const hp of pod.hostPorts) {
      const k = `${hp.protocol}/${hp.port}`;
      const ips = this.usedPorts.get(k);
      if (!ips) continue;
      const n = (ips.get(hp.ip) ?? 0) - 1;
      if (n > 0) ips.set(hp.ip, n);
      else ips.delete(hp.ip);
      if (ips.size === 0) this.usedPorts.delete(k);
    }
    return pod;
  }
}
