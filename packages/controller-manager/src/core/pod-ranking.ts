import type { Pod } from '@tinykube/api';
import { getCondition, isPodReady, restartCount, time } from './pods.js';

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * kube's ActivePodsWithRanks ordering: negative when pod `a` should be deleted before `b`.
 * Unscheduled before scheduled, Pending < Unknown < Running, not-ready before ready, pods doubled
 * up on a node before lone ones, ready for less time first, more restarts first, newer first.
 */
export function comparePodsForDeletion(a: Pod, b: Pod, rank: (p: Pod) => number = () => 0): number {
  const aAssigned = a.spec.nodeName ? 1 : 0;
  const bAssigned = b.spec.nodeName ? 1 : 0;
  if (aAssigned !== bAssigned) return aAssigned - bAssigned;
  const ap = phaseRank[a.status?.phase ?? 'Pending'] ?? 0;
  const bp = phaseRank[b.status?.phase ?? 'Pending'] ?? 0;
  if (ap !== bp) return ap - bp;
  const ar = isPodReady(a) ? 1 : 0;
  const br = isPodReady(b) ? 1 : 0;
  if (ar !== br) return ar - br;
  if (rank(a) !== rank(b)) return rank(b) - rank(a);
  if (ar && br) {
    const at = time(getCondition(a.status?.conditions, 'Ready')?.lastTransitionTime);
    const bt = time(getCondition(b.status?.conditions, 'Ready')?.lastTransitionTime);
    if (at !== bt) return bt - at; // ready more recently goes first
  }
  const ac = restartCount(a);
  const bc = restartCount(b);
  if (ac !== bc) return bc - ac;
  const act = time(a.metadata.creationTimestamp);
  const bct = time(b.metadata.creationTimestamp);
  if (act !== bct) return bct - act; // newer first
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** Chooses `n` pods to delete, ranking co-located pods (same node) as kube's getPodsToDelete does. */
export function podsToDelete(filtered: readonly Pod[], related: readonly Pod[], n: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of related) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  const rank = (p: Pod): number => (p.spec.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0);
  return [...filtered].sort((a, b) => comparePodsForDeletion(a, b, rank)).slice(0, n);
}
