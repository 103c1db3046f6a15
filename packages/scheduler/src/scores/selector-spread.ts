import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../plugin.js';

/** What the spread score needs from the cache. */
export interface OwnerCounts {
  /** node name → pods of the owner on it; undefined when the owner has no pods. */
  ownerCounts(ownerUid: string): ReadonlyMap<string, number> | undefined;
}

/**
 * SelectorSpread, keyed by the controller ownerReference instead of service/RS selectors:
 * nodes holding fewer pods of the same owner score higher (MAX * (max - count) / max).
 */
export function selectorSpreadScore(counts: OwnerCounts): ScorePlugin {
  let current: ReadonlyMap<string, number> | undefined;
  return {
    name: 'SelectorSpread',
    weight: 2,
    skip(pod: PodInfo): boolean {
      return pod.ownerUid === undefined;
    },
    prepare(pod: PodInfo): void {
      current = pod.ownerUid === undefined ? undefined : counts.ownerCounts(pod.ownerUid);
    },
    score(_pod: PodInfo, node: NodeInfo): number {
      return current?.get(node.name) ?? 0;
    },
    normalize(scores: Float64Array, n: number): void {
      let max = 0;
      for (let i = 0; i < n; i++) if (scores[i] > max) max = scores[i];
      for (let i = 0; i < n; i++) {
        scores[i] = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max - scores[i])) / max);
      }
    },
  };
}
