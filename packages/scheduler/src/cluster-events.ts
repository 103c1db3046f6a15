import type { NodeInfo } from './node-info.js';
import { PluginName } from './plugin.js';
import type { ClusterEvent } from './queue.js';

/** A new node can help any pod. */
export const NodeAdd: ClusterEvent = { label: 'NodeAdd', plugins: 'all' };

/** A bound pod went away (deleted, finished, or its binding failed): its resources and ports are free. */
export const AssignedPodDelete: ClusterEvent = {
  label: 'AssignedPodDelete',
  plugins: new Set([PluginName.NodeResourcesFit, PluginName.NodePorts]),
};

/** The node facts whose change can turn a rejection into a fit. */
export interface NodeSnapshot {
  unschedulable: boolean;
  allocatable: string;
  labels: string;
  taints: string;
}

export function nodeSnapshot(n: NodeInfo): NodeSnapshot {
  const a = n.allocatable;
  return {
    unschedulable: n.unschedulable,
    allocatable: `${a.milliCpu}/${a.memory}/${n.allowedPods}/${JSON.stringify([...(a.other ?? [])])}`,
    labels: JSON.stringify(n.labels),
    taints: n.hardTaints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(','),
  };
}

/**
 * The event a node update amounts to, or undefined when nothing relevant changed (status
 * heartbeats, for instance). Like kube's queueing hints, only the plugins whose rejection
 * the change can undo are named: a node being uncordoned does not wake pods that failed on
 * resources.
 */
export function nodeChangeEvent(before: NodeSnapshot, after: NodeSnapshot): ClusterEvent | undefined {
  const plugins = new Set<string>();
  if (before.unschedulable && !after.unschedulable) plugins.add(PluginName.NodeUnschedulable);
  if (before.allocatable !== after.allocatable) plugins.add(PluginName.NodeResourcesFit);
  if (before.labels !== after.labels) plugins.add(PluginName.NodeAffinity);
  if (before.taints !== after.taints) plugins.add(PluginName.TaintToleration);
  if (plugins.size === 0) return undefined;
  return { label: 'NodeUpdate', plugins };
}
