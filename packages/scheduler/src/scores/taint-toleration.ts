import { toleratesTaint } from '@tinykube/api';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { defaultNormalize, type ScorePlugin } from '../plugin.js';

/**
 * Counts the node's PreferNoSchedule taints the pod does not tolerate (only tolerations with
 * an empty or PreferNoSchedule effect count, as in Kubernetes); fewer is better.
 */
export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(pod: PodInfo, node: NodeInfo): number {
    let count = 0;
    for (const taint of node.softTaints) {
      let ok = false;
      for (const t of pod.tolerations) {
        if ((!t.effect || t.effect === 'PreferNoSchedule') && toleratesTaint(t, taint)) {
          ok = true;
          break;
        }
      }
      if (!ok) count++;
    }
    return count;
  },
  normalize(scores: Float64Array, n: number): void {
    defaultNormalize(scores, n, true);
  },
};
