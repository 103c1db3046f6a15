import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { PluginName, type FilterPlugin, type Rejection } from '../plugin.js';

export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

const REJECTION: Rejection = Object.freeze({
  plugin: PluginName.NodeAffinity,
  reasons: Object.freeze([REASON_NODE_AFFINITY]),
  unresolvable: true,
});

/** spec.nodeSelector AND the required node affinity terms (ORed). */
export const nodeAffinityFilter: FilterPlugin = {
  name: PluginName.NodeAffinity,
  filter(pod: PodInfo, node: NodeInfo): Rejection | null {
    if (pod.requiredAffinity && !pod.requiredAffinity(node.labels, node.name)) return REJECTION;
    return null;
  },
};
