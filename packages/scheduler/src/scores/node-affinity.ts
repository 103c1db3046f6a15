import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { defaultNormalize, type ScorePlugin } from '../plugin.js';

/** Sum of the weights of the preferred node affinity terms the node matches, scaled to 0..100. */
export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  skip(pod: PodInfo): boolean {
    return pod.preferredAffinity.length === 0;
  },
  score(pod: PodInfo, node: NodeInfo): number {
    let sum = 0;
    for (const term of pod.preferredAffinity) if (term.matches(node.labels, node.name)) sum += term.weight;
    return sum;
  },
  normalize(scores: Float64Array, n: number): void {
    defaultNormalize(scores, n, false);
  },
};
