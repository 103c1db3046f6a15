import type { Node, NodeCondition, Pod } from '@tinykube/api';
import type { Actions, EventRecorder, Lister, Now, SyncResult } from '../../core/ports.js';
import { clone, getCondition } from '../../core/pods.js';
import type { TokenBucket } from '../../core/rate-limiter.js';
import type { NodeHealth } from './health.js';
import { needsNewNoExecute, reconcileTaints, wantedTaints } from './taints.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleSyncDeps {
  lister: Lister;
  actions: Actions;
  recorder: EventRecorder;
  now: Now;
  health: NodeHealth;
  /** --node-eviction-rate: how fast nodes may get their first NoExecute taint. */
  evictionLimiter: TokenBucket;
  /** --node-monitor-grace-period in ms. */
  gracePeriodMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * One node: if its kubelet has not renewed the Lease (nor posted a Ready heartbeat) within the grace
 * period, mark its conditions Unknown and its pods not ready; then make its taints match its
 * conditions (unreachable/not-ready NoExecute drives eviction by the taint manager).
 */
export async function syncNode(deps: NodeLifecycleSyncDeps, name: string): Promise<SyncResult> {
  let node = deps.lister.get('nodes', '', name);
  if (!node) {
    deps.health.forget(name);
    return {};
  }
  const now = deps.now();
  const lease = deps.lister.get('leases', NODE_LEASE_NAMESPACE, name);
  const probe = deps.health.observe(node, lease, now);
  const result: SyncResult = {};
  const expiresIn = probe + deps.gracePeriodMs - now;

  if (expiresIn < 0) {
    const next = markUnknown(node, now);
    if (next) {
      node = await deps.actions.update('nodes', next, 'status');
      deps.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      await markPodsNotReady(deps, name, now);
    }
  } else {
    result.requeueAfterMs = expiresIn + 1;
  }

  const wanted = wantedTaints(node);
  const allow = needsNewNoExecute(node, wanted) ? deps.evictionLimiter.tryAccept() : true;
  const { taints, heldBack } = reconcileTaints(node, wanted, iso(now), allow);
  if (taints) {
    const next = clone(node);
    next.spec = { ...next.spec, taints };
    await deps.actions.update('nodes', next);
  }
  if (heldBack) {
    const wait = Math.max(1, deps.evictionLimiter.nextInMs());
    result.requeueAfterMs = Math.min(result.requeueAfterMs ?? wait, wait);
  }
  return result;
}

/** Ready (and the pressure conditions) become Unknown, as when kube's monitor loses a node. */
function markUnknown(node: Node, now: number): Node | undefined {
  const conds = node.status?.conditions ?? [];
  const ready = getCondition(conds, 'Ready');
  if (ready?.status === 'Unknown') return undefined;
  const t = iso(now);
  const next = clone(node);
  const out: NodeCondition[] = [];
  if (!ready) {
    out.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: t, lastTransitionTime: t });
  }
  for (const c of conds) {
    if (c.type === 'Ready' || ['MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(c.type)) {
      out.push({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: c.status === 'Unknown' ? c.lastTransitionTime : t });
    } else {
      out.push(c);
    }
  }
  next.status = { ...next.status, conditions: out };
  return next;
}

/** kube's MarkPodsNotReady: pods on a lost node stop receiving traffic before they are evicted. */
async function markPodsNotReady(deps: NodeLifecycleSyncDeps, nodeName: string, now: number): Promise<void> {
  const pods = deps.lister.list('pods').filter((p: Pod) => p.spec.nodeName === nodeName);
  for (const pod of pods) {
    const ready = getCondition(pod.status?.conditions, 'Ready');
    if (ready?.status !== 'True') continue;
    const next = clone(pod);
    next.status!.conditions = next.status!.conditions!.map((c) => c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: iso(now) } : c);
    try {
      await deps.actions.update('pods', next, 'status');
    } catch {
      // Best effort: the pod may be gone or changed; eviction still follows from the taint.
    }
  }
}
