import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { FilterPlugin, Rejection, ScorePlugin } from './plugin.js';

/** kube-scheduler's minimum feasible nodes to find and minimum adaptive percentage. */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/**
 * How many feasible nodes to look for before stopping (kube's numFeasibleNodesToFind):
 * every node below 100 nodes; otherwise `percentage`% of them (0 = adaptive: 50% minus
 * one point per 125 nodes, at least 5%), and never fewer than 100.
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES || percentage >= 100) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  const n = Math.trunc((numAllNodes * pct) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES);
}

/** Why a pod fits nowhere: the rejection of every node that was evaluated (all of them). */
export interface Diagnosis {
  numAllNodes: number;
  rejections: Map<string, Rejection>;
}

export type ScheduleResult =
  | { ok: true; node: NodeInfo; evaluated: number; feasible: number }
  | { ok: false; diagnosis: Diagnosis };

export interface FrameworkOptions {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
  /** 0 = kube's adaptive default. */
  percentageOfNodesToScore: number;
  /** Uniform in [0, 1); injected so tie-breaking is deterministic in tests. */
  rng: () => number;
}

/**
 * Runs filters then scores for one pod over the candidate nodes. Filtering starts where the
 * previous pod stopped (round-robin), and stops once enough feasible nodes are found, so at
 * 5,000 nodes each pod looks at ~10% of them instead of all.
 */
export class Framework {
  private nextStartIndex = 0;
  private raw = new Float64Array(256);
  private total = new Float64Array(256);

  constructor(private readonly opts: FrameworkOptions) {}

  runFilters(pod: PodInfo, node: NodeInfo): Rejection | null {
    for (const f of this.opts.filters) {
      const r = f.filter(pod, node);
      if (r) return r;
    }
    return null;
  }

  schedule(pod: PodInfo, nodes: readonly NodeInfo[]): ScheduleResult {
    const n = nodes.length;
    const rejections = new Map<string, Rejection>();
    if (n === 0) return { ok: false, diagnosis: { numAllNodes: 0, rejections } };
    const want = numFeasibleNodesToFind(this.opts.percentageOfNodesToScore, n);
    const feasible: NodeInfo[] = [];
    const start = this.nextStartIndex % n;
    let processed = 0;
    while (processed < n && feasible.length < want) {
      const node = nodes[(start + processed) % n];
      processed++;
      const r = this.runFilters(pod, node);
      if (r) rejections.set(node.name, r);
      else feasible.push(node);
    }
    this.nextStartIndex = (start + processed) % n;
    if (feasible.length === 0) return { ok: false, diagnosis: { numAllNodes: n, rejections } };
    if (feasible.length === 1) return { ok: true, node: feasible[0], evaluated: processed, feasible: 1 };
    const best = this.selectHost(pod, feasible);
    return { ok: true, node: feasible[best], evaluated: processed, feasible: feasible.length };
  }

  /** Weighted sum of normalised scores; the highest wins, ties broken uniformly at random. */
  private selectHost(pod: PodInfo, feasible: NodeInfo[]): number {
    const count = feasible.length;
    if (this.total.length < count) {
      this.raw = new Float64Array(count * 2);
      this.total = new Float64Array(count * 2);
    }
    const raw = this.raw;
    const total = this.total;
    total.fill(0, 0, count);
    for (const plugin of this.opts.scores) {
      if (plugin.skip?.(pod)) continue;
      plugin.prepare?.(pod);
      for (let i = 0; i < count; i++) raw[i] = plugin.score(pod, feasible[i]);
      plugin.normalize?.(raw, count);
      const w = plugin.weight;
      for (let i = 0; i < count; i++) total[i] += w * raw[i];
    }
    let best = 0;
    let bestScore = -Infinity;
    let ties = 0;
    for (let i = 0; i < count; i++) {
      const s = total[i];
      if (s > bestScore) {
        bestScore = s;
        best = i;
        ties = 1;
      } else if (s === bestScore) {
        ties++;
        // Reservoir sampling: each of the tied nodes ends up chosen with probability 1/ties.
        if (Math.floor(this.opts.rng() * ties) === 0) best = i;
      }
    }
    return best;
  }

  /** For tests and metrics: the scores each feasible node got (name → total). */
  scoreAll(pod: PodInfo, feasible: NodeInfo[]): Map<string, number> {
    this.selectHost(pod, feasible);
    const out = new Map<string, number>();
    feasible.forEach((node, i) => out.set(node.name, this.total[i]));
    return out;
  }
}
