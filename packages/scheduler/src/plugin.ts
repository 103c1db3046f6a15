import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

/** Plugin names, as kube-scheduler's; the queue uses them to decide which events can help a pod. */
export const PluginName = {
  NodeUnschedulable: 'NodeUnschedulable',
  TaintToleration: 'TaintToleration',
  NodeAffinity: 'NodeAffinity',
  NodePorts: 'NodePorts',
  NodeResourcesFit: 'NodeResourcesFit',
  SelectorSpread: 'SelectorSpread',
} as const;
export type PluginName = (typeof PluginName)[keyof typeof PluginName];

/**
 * Why a node cannot take a pod. `unresolvable` mirrors kube's UnschedulableAndUnresolvable:
 * evicting pods from that node (preemption) would not help.
 */
export interface Rejection {
  plugin: PluginName;
  reasons: readonly string[];
  unresolvable: boolean;
}

export interface FilterPlugin {
  readonly name: PluginName;
  /** null when the node fits. Must not allocate on success: it runs for thousands of nodes per pod. */
  filter(pod: PodInfo, node: NodeInfo): Rejection | null;
}

export const MAX_NODE_SCORE = 100;

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** True when the plugin would give every node the same score for this pod (skipped). */
  skip?(pod: PodInfo): boolean;
  /** Called once per pod before score(), to look up per-pod state once instead of per node. */
  prepare?(pod: PodInfo): void;
  /** Raw score for one feasible node. */
  score(pod: PodInfo, node: NodeInfo): number;
  /** Rescales the first n raw scores in place to 0..MAX_NODE_SCORE. */
  normalize?(scores: Float64Array, n: number): void;
}

/**
 * kube's DefaultNormalizeScore: scale so the highest raw score becomes MAX_NODE_SCORE; with
 * `reverse`, the highest becomes 0 (and all-zero raw scores all become MAX_NODE_SCORE).
 */
export function defaultNormalize(scores: Float64Array, n: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < n; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) {
    if (reverse) for (let i = 0; i < n; i++) scores[i] = MAX_NODE_SCORE;
    return;
  }
  for (let i = 0; i < n; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
