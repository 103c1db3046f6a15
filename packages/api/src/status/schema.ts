import { StatusSchema, type Status } from '../schemas/meta.js';

// The Status schema itself (meta/v1) lives with the other meta schemas in ../schemas/meta.ts.
/** The reasons apimachinery defines (metav1.StatusReason) that tinykube sends. */
export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Expired'
  | 'Invalid' | 'RequestEntityTooLarge' | 'UnsupportedMediaType' | 'MethodNotAllowed' | 'NotAcceptable'
  | 'TooManyRequests' | 'InternalError' | 'ServiceUnavailable' | 'Timeout';

/** True when a watch ERROR object / response body is a Status. */
export function isStatus(x: unknown): x is Status {
  return StatusSchema.safeParse(x).success && (x as Status).kind === 'Status';
}
