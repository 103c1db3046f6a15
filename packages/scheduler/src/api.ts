import type { PodEvent } from './events.js';

/**
 * Everything the scheduler writes to the apiserver. main.ts implements it over
 * @tinykube/client's RestClient; unit tests use a fake that records the calls.
 */
export interface SchedulerApi {
  /** POST pods/<name>/binding with a v1 Binding targeting the node. */
  bind(pod: { namespace: string; name: string; uid: string }, nodeName: string): Promise<void>;
  /** POST an Event. */
  createEvent(event: PodEvent): Promise<void>;
  /** PATCH an Event (merge patch) to bump count/lastTimestamp of a repeated event. */
  patchEvent(namespace: string, name: string, patch: Record<string, unknown>): Promise<void>;
  /** PATCH pods/<name>/status with a strategic merge patch. */
  patchPodStatus(namespace: string, name: string, patch: Record<string, unknown>): Promise<void>;
}
