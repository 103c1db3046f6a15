import type { FilterPlugin } from '../plugin.js';
import { nodeAffinityFilter } from './node-affinity.js';
import { nodePortsFilter } from './node-ports.js';
import { nodeResourcesFitFilter } from './node-resources-fit.js';
import { nodeUnschedulableFilter } from './node-unschedulable.js';
import { taintTolerationFilter } from './taint-toleration.js';

/**
 * kube-scheduler's default filter order; a node is rejected by the first failing filter, so
 * the order decides which reason a node contributes to the FailedScheduling message.
 */
export const defaultFilters: readonly FilterPlugin[] = [
  nodeUnschedulableFilter,
  taintTolerationFilter,
  nodeAffinityFilter,
  nodePortsFilter,
  nodeResourcesFitFilter,
];
