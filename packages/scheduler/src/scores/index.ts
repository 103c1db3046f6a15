import type { ScorePlugin } from '../plugin.js';
import { leastAllocatedScore } from './least-allocated.js';
import { nodeAffinityScore } from './node-affinity.js';
import { selectorSpreadScore, type OwnerCounts } from './selector-spread.js';
import { taintTolerationScore } from './taint-toleration.js';

/** The default score plugins with kube-scheduler's weights (spreading at PodTopologySpread's 2). */
export function defaultScores(counts: OwnerCounts): ScorePlugin[] {
  return [leastAllocatedScore, selectorSpreadScore(counts), taintTolerationScore, nodeAffinityScore];
}
