import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { PluginName, type FilterPlugin, type Rejection } from '../plugin.js';

export const REASON_TOO_MANY_PODS = 'Too many pods';

/**
 * Requests against allocatable minus what is already bound or assumed on the node. Like
 * kube's NodeResourcesFit it reports every insufficient resource, so one node can add
 * several reasons ("Insufficient cpu" and "Insufficient memory") to the message.
 */
export const nodeResourcesFitFilter: FilterPlugin = {
  name: PluginName.NodeResourcesFit,
  filter(pod: PodInfo, node: NodeInfo): Rejection | null {
    const req = pod.requests;
    const alloc = node.allocatable;
    const used = node.requested;
    // Fast path: the common fit, with no allocation and no per-resource branching.
    if (
      req.other === undefined &&
      node.pods.size < node.allowedPods &&
      (req.milliCpu <= 0 || req.milliCpu <= alloc.milliCpu - used.milliCpu) &&
      (req.memory <= 0 || req.memory <= alloc.memory - used.memory)
    ) {
      return null;
    }
    let reasons: string[] | undefined;
    if (node.podCount + 1 > node.allowedPods) (reasons ??= []).push(REASON_TOO_MANY_PODS);
    if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) (reasons ??= []).push('Insufficient cpu');
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) (reasons ??= []).push('Insufficient memory');
    if (req.other) {
      for (const [name, amount] of req.other) {
        if (amount <= 0) continue;
        const free = (alloc.other?.get(name) ?? 0) - (used.other?.get(name) ?? 0);
        if (amount > free) (reasons ??= []).push(`Insufficient ${name}`);
      }
    }
    return reasons ? { plugin: PluginName.NodeResourcesFit, reasons, unresolvable: false } : null;
  },
};
