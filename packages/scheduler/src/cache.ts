import type { Node } from '@tinykube/api';
import { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

interface PodState {
  pod: PodInfo;
  nodeName: string;
  /** True between assume() and the informer showing the pod bound. */
  assumed: boolean;
}

/**
 * The scheduler's view of the cluster: node state plus every pod bound or *assumed* bound.
 * Like kube-scheduler's cache, a pod is assumed on its chosen node the moment the decision
 * is made, before the binding request completes, so the next pod already sees the node's
 * reduced free resources. The informer's add of the bound pod confirms the assumption; a
 * failed binding forgets it. Assumed pods never expire on a timer (kube-scheduler's
 * default since 1.24): only the informer or a failed bind resolves them.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Nodes that exist, in a stable order: the candidates walked round-robin. */
  private nodeList: NodeInfo[] = [];
  private readonly podStates = new Map<string, PodState>();
  /** controller uid → node name → pods of that owner on the node (for spreading). */
  private readonly ownerCountsByOwner = new Map<string, Map<string, number>>();

  /** Nodes to consider, in round-robin order. The array is replaced, never mutated, on change. */
  candidates(): readonly NodeInfo[] {
    return this.nodeList;
  }

  nodeCount(): number {
    return this.nodeList.length;
  }

  getNode(name: string): NodeInfo | undefined {
    const n = this.nodes.get(name);
    return n?.hasNode ? n : undefined;
  }

  /** Adds or updates a node from its object. */
  setNode(node: Node): NodeInfo {
    const name = node.metadata.name ?? '';
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo(name)));
    const isNew = !info.hasNode;
    info.setNode(node);
    if (isNew) this.nodeList = [...this.nodeList, info];
    return info;
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    info.clearNode();
    this.nodeList = this.nodeList.filter((n) => n !== info);
    // Keep a ghost entry while pods still point at the node, as kube-scheduler does.
    if (info.podCount === 0) this.nodes.delete(name);
  }

  ownerCountOn(ownerUid: string, nodeName: string): number {
    return this.ownerCountsByOwner.get(ownerUid)?.get(nodeName) ?? 0;
  }

  ownerCounts(ownerUid: string): ReadonlyMap<string, number> | undefined {
    return this.ownerCountsByOwner.get(ownerUid);
  }

  isAssumed(uid: string): boolean {
    return this.podStates.get(uid)?.assumed ?? false;
  }

  /** Node the cache currently accounts the pod to (bound or assumed). */
  nodeOf(uid: string): string | undefined {
    return this.podStates.get(uid)?.nodeName;
  }

  podCount(): number {
    return this.podStates.size;
  }

  assumePod(pod: PodInfo, nodeName: string): void {
    if (this.podStates.has(pod.uid)) this.removeState(pod.uid);
    this.addState({ pod, nodeName, assumed: true });
  }

  /** Undoes assumePod after a failed binding. A pod the informer already confirmed stays. */
  forgetPod(uid: string): void {
    const st = this.podStates.get(uid);
    if (st?.assumed) this.removeState(uid);
  }

  /**
   * A bound pod seen by the informer (add or update). Confirms an assumed pod; if the pod
   * landed elsewhere than assumed (another scheduler won), moves it.
   */
  addOrUpdateBoundPod(pod: PodInfo): void {
    const nodeName = pod.nodeName;
    if (!nodeName) return;
    if (this.podStates.has(pod.uid)) this.removeState(pod.uid);
    this.addState({ pod, nodeName, assumed: false });
  }

  /** The pod is gone or terminal: release what it held. */
  removePod(uid: string): void {
    this.removeState(uid);
  }

  private addState(st: PodState): void {
    this.podStates.set(st.pod.uid, st);
    let info = this.nodes.get(st.nodeName);
    if (!info) this.nodes.set(st.nodeName, (info = new NodeInfo(st.nodeName)));
    info.addPod(st.pod);
    const owner = st.pod.ownerUid;
    if (owner) {
      let m = this.ownerCountsByOwner.get(owner);
      if (!m) this.ownerCountsByOwner.set(owner, (m = new Map()));
      m.set(st.nodeName, (m.get(st.nodeName) ?? 0) + 1);
    }
  }

  private removeState(uid: string): void {
    const st = this.podStates.get(uid);
    if (!st) return;
    this.podStates.delete(uid);
    const info = this.nodes.get(st.nodeName);
    if (info) {
      info.removePod(uid);
      if (!info.hasNode && info.podCount === 0) this.nodes.delete(st.nodeName);
    }
    const owner = st.pod.ownerUid;
    const m = owner ? this.ownerCountsByOwner.get(owner) : undefined;
    if (owner && m) {
      const n = (m.get(st.nodeName) ?? 0) - 1;
      if (n > 0) m.set(st.nodeName, n);
      else m.delete(st.nodeName);
      if (m.size === 0) this.ownerCountsByOwner.delete(owner);
    }
  }
}
