import type { NodeInfo } from '../node-info.js';
import type { HostPort, PodInfo } from '../pod-info.js';
import { PluginName, type FilterPlugin, type Rejection } from '../plugin.js';

export const REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

const REJECTION: Rejection = Object.freeze({
  plugin: PluginName.NodePorts,
  reasons: Object.freeze([REASON_NODE_PORTS]),
  unresolvable: false,
});

const ANY_IP = '0.0.0.0';

/**
 * Kubernetes' HostPortInfo.CheckConflict: the same protocol/port conflicts when either side
 * binds 0.0.0.0 or both bind the same IP.
 */
export function portConflicts(node: NodeInfo, hp: HostPort): boolean {
  const ips = node.usedPorts.get(`${hp.protocol}/${hp.port}`);
  if (!ips || ips.size === 0) return false;
  if (hp.ip === ANY_IP) return true;
  return ips.has(hp.ip) || ips.has(ANY_IP);
}

export const nodePortsFilter: FilterPlugin = {
  name: PluginName.NodePorts,
  filter(pod: PodInfo, node: NodeInfo): Rejection | null {
    if (pod.hostPorts.length === 0 || node.usedPorts.size === 0) return null;
    for (const hp of pod.hostPorts) if (portConflicts(node, hp)) return REJECTION;
    return null;
  },
};
