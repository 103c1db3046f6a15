import { tolerationsTolerateTaint } from '@tinykube/api';
import type { NodeInfo, ParsedTaint } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { PluginName, type FilterPlugin, type Rejection } from '../plugin.js';

/** The first NoSchedule/NoExecute taint the pod does not tolerate, if any. */
export function firstUntoleratedTaint(pod: PodInfo, node: NodeInfo): ParsedTaint | undefined {
  for (const taint of node.hardTaints) if (!tolerationsTolerateTaint(pod.tolerations, taint)) return taint;
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
