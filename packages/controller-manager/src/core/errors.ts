/**
 * Structural checks on errors from the Actions port. @tinykube/client's ApiError carries `reason`
 * and `code` from the Kubernetes Status; fakes throw plain objects/errors with the same fields.
 */
function reasonOf(err: unknown): { reason?: string; code?: number } {
  return err && typeof err === 'object' ? (err as { reason?: string; code?: number }) : {};
}

export const isNotFound = (err: unknown): boolean => reasonOf(err).reason === 'NotFound' || reasonOf(err).code === 404;
export const isAlreadyExists = (err: unknown): boolean => reasonOf(err).reason === 'AlreadyExists';
export const isConflict = (err: unknown): boolean => reasonOf(err).reason === 'Conflict';

/** apimachinery's HasStatusCause: the Status' details name this cause (e.g. `NamespaceTerminating`). */
export function hasStatusCause(err: unknown, cause: string): boolean {
  const causes = (err as { details?: { causes?: { reason?: string }[] } } | undefined)?.details?.causes;
  return Array.isArray(causes) && causes.some((c) => c?.reason === cause);
}

/** A test/fake error shaped like an ApiError. */
export class StatusError extends Error {
  constructor(readonly code: number, readonly reason: string, message = reason, readonly details?: { causes?: { reason: string; message?: string }[] }) {
    super(message);
  }
}
