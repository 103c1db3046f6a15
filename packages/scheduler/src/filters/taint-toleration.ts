import type { NodeInfo, ParsedTaint } from '../node-info.js';
import type { CompiledToleration, PodInfo } from '../pod-info.js';
import { PluginName, type FilterPlugin, type Rejection } from '../plugin.js';

/**
 * Kubernetes' Toleration.ToleratesTaint: an empty effect matches every effect, an empty key
 * (only valid with Exists) matches every key, Exists ignores the value, Equal (or no
 * operator) needs the same value.
 */
export function toleratesTaint(t: CompiledToleration, taint: { key: string; value: string; effect: string }): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== '' && t.key !== taint.key) return false;
  return t.exists || t.value === taint.value;
}

export function tolerated(tolerations: readonly CompiledToleration[], taint: { key: string; value: string; effect: string }): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate, if any. */
export function firstUntoleratedTaint(pod: PodInfo, node: NodeInfo): ParsedTaint | undefined {
  for (const taint of node.hardTaints) if (!tolerated(pod.tolerations, taint)) return taint;
  return undefined;
}

/** Rejects nodes with a NoSchedule/NoExecute taint the pod does not tolerate. */
export const taintTolerationFilter: FilterPlugin = {
  name: PluginName.TaintToleration,
  filter(pod: PodInfo, node: NodeInfo): Rejection | null {
    if (node.hardTaints.length === 0) return null;
    const taint = firstUntoleratedTaint(pod, node);
    if (!taint) return null;
    return { plugin: PluginName.TaintToleration, reasons: [taint.reason], unresolvable: true };
  },
};
