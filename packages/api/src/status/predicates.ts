import { isApiError } from './api-error.js';

// apimachinery's errors.IsNotFound & co: the reason decides; a bare code counts when the body gave no reason.

function reasonIs(err: unknown, reason: string, code: number): boolean {
  return isApiError(err) && (err.reason === reason || (err.reason === 'Unknown' && err.code === code));
}

export const isNotFound = (err: unknown): boolean => reasonIs(err, 'NotFound', 404);
export const isConflict = (err: unknown): boolean => reasonIs(err, 'Conflict', 409);
export const isAlreadyExists = (err: unknown): boolean => reasonIs(err, 'AlreadyExists', 409);
export const isInvalid = (err: unknown): boolean => reasonIs(err, 'Invalid', 422);
export const isBadRequest = (err: unknown): boolean => reasonIs(err, 'BadRequest', 400);
export const isForbidden = (err: unknown): boolean => reasonIs(err, 'Forbidden', 403);
export const isUnauthorized = (err: unknown): boolean => reasonIs(err, 'Unauthorized', 401);
export const isMethodNotAllowed = (err: unknown): boolean => reasonIs(err, 'MethodNotAllowed', 405);
export const isTooManyRequests = (err: unknown): boolean => reasonIs(err, 'TooManyRequests', 429);
export const isServiceUnavailable = (err: unknown): boolean => reasonIs(err, 'ServiceUnavailable', 503);
export const isInternalError = (err: unknown): boolean => reasonIs(err, 'InternalError', 500);
export const isTimeout = (err: unknown): boolean => reasonIs(err, 'Timeout', 504);
/** 410: the requested resourceVersion is too old (reason Expired or Gone). Relist. */
export const isGone = (err: unknown): boolean =>
  isApiError(err) && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
export const isExpired = isGone;

/** apimachinery's HasStatusCause: the Status' details name this cause (e.g. `NamespaceTerminating`). */
export function hasStatusCause(err: unknown, cause: string): boolean {
  return isApiError(err) && (err.details?.causes ?? []).some((c) => c.reason === cause);
}
