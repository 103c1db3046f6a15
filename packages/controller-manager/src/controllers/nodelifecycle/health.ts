import type { Lease, Node } from '@tinykube/api';
import { getCondition } from '../../core/pods.js';

/**
 * When did we last see each node's kubelet alive? Like kube's nodeHealthMap this records *our* clock
 * at the moment the Lease renewTime (or the Ready heartbeat) changed, never the kubelet's timestamps
 * themselves, so clock skew between machines cannot make a node look dead or alive. A node seen for
 * the first time gets a full grace period from now.
 */
export class NodeHealth {
  private readonly byNode = new Map<string, { probe: number; renew?: string; heartbeat?: string }>();

  observe(node: Node, lease: Lease | undefined, now: number): number {
    const name = node.metadata.name ?? '';
    const renew = lease?.spec?.renewTime;
    const heartbeat = getCondition(node.status?.conditions, 'Ready')?.lastHeartbeatTime;
    const rec = this.byNode.get(name);
    if (!rec || rec.renew !== renew || rec.heartbeat !== heartbeat) {
      this.byNode.set(name, { probe: now, renew, heartbeat });
      return now;
    }
    return rec.probe;
  }

  forget(name: string): void {
    this.byNode.delete(name);
  }
}
