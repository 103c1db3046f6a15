// @tinykube/scheduler: the only public door. main.ts is the process; this exports the pieces
// for embedding (e.g. a benchmark that drives the scheduler in-process) and for tests.
export { Scheduler, type SchedulerOptions, type AttemptResult } from './scheduler.js';
export { SchedulingQueue, type ClusterEvent, type QueueOptions, type QueuedPod } from './queue.js';
export { SchedulerCache } from './cache.js';
export { Framework, numFeasibleNodesToFind, type Diagnosis, type FrameworkOptions, type ScheduleResult } from './framework.js';
export { defaultFilters } from './filters/index.js';
export { defaultScores } from './scores/index.js';
export { PluginName, MAX_NODE_SCORE, type FilterPlugin, type ScorePlugin, type Rejection } from './plugin.js';
export { fitErrorMessage, scheduledMessage, podEvent, unschedulableConditionPatch, SCHEDULER_COMPONENT, type PodEvent } from './events.js';
export type { SchedulerApi } from './api.js';
export { RestSchedulerApi, podsResource, nodesResource, eventsResource } from './rest-api.js';
export { SchedulerMetrics } from './metrics.js';
export { newPodInfo, DEFAULT_SCHEDULER_NAME, type PodInfo } from './pod-info.js';
export { NodeInfo } from './node-info.js';
export { parsePod, parseNode } from './informer-objects.js';
