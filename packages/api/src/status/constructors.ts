/**
 * The named constructors of every ApiError (k8s.io/apimachinery/pkg/api/errors: NewNotFound,
 * NewConflict, NewInvalid...). `reason` strings and message shapes are Kubernetes' own because
 * clients branch on them (kubectl retries on Conflict, prints causes on Invalid...); the apiserver's
 * tests assert the exact wire JSON.
 */
import { ApiError } from './api-error.js';
import { statusInGoOrder } from './go-order.js';
import type { Status, StatusCause, StatusDetails } from '../schemas/meta.js';
import type { StatusReason } from './schema.js';

/** A Failure Status with this code and reason (the generic constructor behind the named ones). */
export function statusError(code: number, reason: StatusReason, message: string, details?: StatusDetails): ApiError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new ApiError(status);
}

/** Group-qualified resource as Kubernetes prints it: `pods`, `deployments.apps`. */
export interface GroupResource { group: string; resource: string }

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function details(gr: GroupResource, name?: string): StatusDetails {
  const d: StatusDetails = { kind: gr.resource };
  if (name !== undefined) d.name = name;
  if (gr.group) d.group = gr.group;
  return d;
}

export function successStatus(code = 200, d?: StatusDetails): Status {
  return statusInGoOrder({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d, code });
}

export function badRequest(message: string): ApiError {
  return statusError(400, 'BadRequest', message);
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return statusError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, details(gr, name));
}

/** 404 for a URL that names no resource we serve (Kubernetes answers a bare Status). */
export function pathNotFound(): ApiError {
  return statusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return statusError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, details(gr, name));
}

export const CONFLICT_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, why: string = CONFLICT_MESSAGE): ApiError {
  return statusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, details(gr, name));
}

/**
 * 422 (kube's NewInvalid): `Pod "x" is invalid: spec.containers[0].image: Required value`, several causes bracketed,
 * the kind qualified by its group as GroupKind.String() writes it (`Deployment.apps "web" is invalid: ...`).
 */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const parts = causes.map((c) => (c.field && !(c.message ?? '').startsWith(`${c.field}:`) ? `${c.field}: ${c.message}` : c.message));
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const d: StatusDetails = { name, kind, causes };
  if (group) d.group = group;
  return statusError(422, 'Invalid', `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${summary}`, d);
}

/** 422 without field causes (e.g. a JSON patch whose `test` failed). */
export function unprocessable(message: string): ApiError {
  return statusError(422, 'Invalid', message);
}

export function gone(message: string): ApiError {
  return statusError(410, 'Gone', message);
}

/** 410 Expired: what watch and list answer for a resourceVersion or continue token that is too old. */
export function expired(message: string): ApiError {
  return statusError(410, 'Expired', message);
}

export function tooOldResourceVersion(requested: number, oldest: number): ApiError {
  return expired(`too old resource version: ${requested} (${oldest})`);
}

export function tooLarge(limit: number): ApiError {
  return statusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

export function unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
  return statusError(415, 'UnsupportedMediaType',
    `the body of the request was in an unknown format (${contentType || 'none'}) - accepted media types include: ${accepted.join(', ')}`);
}

export function methodNotAllowed(): ApiError {
  return statusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** 405 for a verb a resource does not support now (kube's NewMethodNotSupported), e.g. create on a terminating custom resource. */
export function methodNotSupported(gr: GroupResource, action: string): ApiError {
  const resource = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
  return statusError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind ${JSON.stringify(resource)}`, { group: gr.group, kind: gr.resource });
}

export function forbidden(gr: GroupResource, name: string, why: string): ApiError {
  return statusError(403, 'Forbidden', `${qualified(gr)} "${name}" is forbidden: ${why}`, details(gr, name));
}

export function tooManyRequests(message: string, retryAfterSeconds: number): ApiError {
  return statusError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function serviceUnavailable(message: string): ApiError {
  return statusError(503, 'ServiceUnavailable', message);
}

export function internal(message: string): ApiError {
  return statusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: 'UnexpectedServerResponse', message }] });
}

/** NewTimeoutError: the request did not complete in time; clients may retry after `retryAfterSeconds`. */
export function timeout(message: string, retryAfterSeconds = 1): ApiError {
  return statusError(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds });
}

/**
 * A read at a resourceVersion the cache (or etcd) has not reached after the wait (kube's
 * storage.NewTooLargeResourceVersionError): a Timeout with the ResourceVersionTooLarge cause, so reflectors retry.
 */
export function tooLargeResourceVersion(wanted: number, current: number): ApiError {
  return statusError(504, 'Timeout', `Timeout: Too large resource version: ${wanted}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

export function unauthorized(message = 'Unauthorized'): ApiError {
  return statusError(401, 'Unauthorized', message);
}
