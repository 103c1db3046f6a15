import {
  TAINT_DISK_PRESSURE, TAINT_MEMORY_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_NOT_READY, TAINT_PID_PRESSURE,
  TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, type Node, type Taint,
} from '@tinykube/api';
import { getCondition } from '../../core/pods.js';

/** Taints this controller owns; any other taint on a node is left exactly as it is. */
const MANAGED = new Set([
  TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, TAINT_MEMORY_PRESSURE, TAINT_DISK_PRESSURE, TAINT_PID_PRESSURE,
  TAINT_NETWORK_UNAVAILABLE,
]);

const id = (t: Taint): string => `${t.key}:${t.effect}`;

/**
 * The managed taints a node should carry given its conditions: NoExecute not-ready/unreachable for
 * eviction (kube's doNoExecuteTaintingPass) and the NoSchedule taints of TaintNodesByCondition.
 */
export function wantedTaints(node: Node): Taint[] {
  const conds = node.status?.conditions;
  const ready = getCondition(conds, 'Ready')?.status;
  const out: Taint[] = [];
  if (ready === 'False') out.push({ key: TAINT_NOT_READY, effect: 'NoExecute' }, { key: TAINT_NOT_READY, effect: 'NoSchedule' });
  if (ready === 'Unknown') out.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute' }, { key: TAINT_UNREACHABLE, effect: 'NoSchedule' });
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const pressure: [string, string][] = [['MemoryPressure', TAINT_MEMORY_PRESSURE], ['DiskPressure', TAINT_DISK_PRESSURE], ['PIDPressure', TAINT_PID_PRESSURE], ['NetworkUnavailable', TAINT_NETWORK_UNAVAILABLE]];
  for (const [type, key] of pressure) if (getCondition(conds, type)?.status === 'True') out.push({ key, effect: 'NoSchedule' });
  return out;
}

/**
 * The node's next taint list, or undefined when unchanged. New NoExecute taints get timeAdded (the
 * taint manager measures tolerationSeconds from it); `allowNewNoExecute` = false holds back a first
 * NoExecute taint (eviction rate limiting) while still allowing not-ready <-> unreachable swaps.
 */
export function reconcileTaints(node: Node, wanted: Taint[], nowIso: string, allowNewNoExecute: boolean): { taints?: Taint[]; heldBack: boolean } {
  const current = node.spec?.taints ?? [];
  const hadNoExecute = current.some((t) => MANAGED.has(t.key) && t.effect === 'NoExecute');
  const wantIds = new Set(wanted.map(id));
  let heldBack = false;
  const next = current.filter((t) => !MANAGED.has(t.key) || wantIds.has(id(t)));
  const have = new Set(next.map(id));
  for (const t of wanted) {
    if (have.has(id(t))) continue;
    if (t.effect === 'NoExecute') {
      if (!hadNoExecute && !allowNewNoExecute) {
        heldBack = true;
        continue;
      }
      next.push({ ...t, timeAdded: nowIso });
    } else {
      next.push(t);
    }
  }
  const changed = next.length !== current.length || next.some((t, i) => id(t) !== id(current[i]));
  return { taints: changed ? next : undefined, heldBack };
}

export function needsNewNoExecute(node: Node, wanted: Taint[]): boolean {
  const current = node.spec?.taints ?? [];
  const hadNoExecute = current.some((t) => MANAGED.has(t.key) && t.effect === 'NoExecute');
  return !hadNoExecute && wanted.some((t) => t.effect === 'NoExecute');
}
