import { TAINT_UNSCHEDULABLE, tolerationsTolerateTaint, type TaintLike } from '@tinykube/api';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { PluginName, type FilterPlugin, type Rejection } from '../plugin.js';

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const REJECTION: Rejection = Object.freeze({
  plugin: PluginName.NodeUnschedulable,
  reasons: Object.freeze([REASON_UNSCHEDULABLE]),
  unresolvable: true,
});

const UNSCHEDULABLE_TAINT: TaintLike = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };

/** Rejects cordoned nodes (spec.unschedulable), unless the pod tolerates the unschedulable taint. */
export const nodeUnschedulableFilter: FilterPlugin = {
  name: PluginName.NodeUnschedulable,
  filter(pod: PodInfo, node: NodeInfo): Rejection | null {
    if (!node.unschedulable) return null;
    return tolerationsTolerateTaint(pod.tolerations, UNSCHEDULABLE_TAINT) ? null : REJECTION;
  },
};
