import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../plugin.js';

function leastRequested(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * NodeResourcesFit with the LeastAllocated strategy: prefers nodes with more free cpu and
 * memory after placing the pod (cpu and memory weighted equally). Uses the non-zero requests
 * (100m / 200Mi for containers without requests) so empty pods still spread.
 */
export const leastAllocatedScore: ScorePlugin = {
  name: 'NodeResourcesLeastAllocated',
  weight: 1,
  score(pod: PodInfo, node: NodeInfo): number {
    const cpu = leastRequested(node.nonZeroRequested.milliCpu + pod.nonZeroRequests.milliCpu, node.allocatable.milliCpu);
    const mem = leastRequested(node.nonZeroRequested.memory + pod.nonZeroRequests.memory, node.allocatable.memory);
    return Math.trunc((cpu + mem) / 2);
  },
};
