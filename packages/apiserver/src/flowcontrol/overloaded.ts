import { tooManyRequests, type ApiError } from '@tinykube/api';
import type { PriorityLevel } from './inflight.js';

/** What kube-apiserver's max-in-flight filter answers: 429, `Retry-After: 1`, and this text body (not a Status). */
export const OVERLOADED_TEXT = 'Too many requests, please try again later.\n';

export type OverloadedError = ApiError & { overloaded: { level: PriorityLevel } };

export function overloaded(level: PriorityLevel): OverloadedError {
  return Object.assign(tooManyRequests(OVERLOADED_TEXT.trim(), 1), { overloaded: { level } });
}

export function isOverloaded(err: unknown): err is OverloadedError {
  return typeof err === 'object' && err !== null && 'overloaded' in err;
}
