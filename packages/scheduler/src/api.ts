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

/** A failed write, reduced to what the scheduler branches on. */
export class SchedulerApiError extends Error {
  constructor(
    message: string,
    /** Kubernetes Status reason: 'NotFound', 'Conflict', ... or 'Unknown' for transport errors. */
    readonly reason: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'SchedulerApiError';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof SchedulerApiError ? err.reason === 'NotFound' || err.code === 404 : hasCode(err, 404);
}

function hasCode(err: unknown, code: number): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
