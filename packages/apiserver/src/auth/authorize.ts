/**
 * The authorization stage: a union of authorizers in `--authorization-mode` order (Node, RBAC): the first allow or
 * deny decides; if all have no opinion the request is forbidden, with kube's message.
 */
import { ApiError, statusError } from '@tinykube/api';
import type { Attributes, Authorizer, Decision } from './types.js';

export class AuthorizationChain implements Authorizer {
  readonly name = 'union';
  constructor(private readonly authorizers: Authorizer[]) {}

  async authorize(a: Attributes): Promise<Decision> {
    const reasons: string[] = [];
    for (const z of this.authorizers) {
      const d = await z.authorize(a);
      if (d.decision !== 'noOpinion') return d;
      if (d.reason) reasons.push(d.reason);
    }
    return { decision: 'noOpinion', reason: reasons.join(', ') };
  }
}

/**
 * Members of system:masters may do everything, whatever RBAC holds (kube-apiserver puts this authorizer first, so
 * the cluster's admin is never locked out, e.g. before the default roles exist or after a bad edit of them).
 */
export const privilegedGroups: Authorizer = {
  name: 'PrivilegedGroups',
  authorize: (a) => (a.user.groups.includes('system:masters') ? { decision: 'allow', reason: '' } : { decision: 'noOpinion', reason: '' }),
};

/** Everyone may do everything (`--authorization-mode AlwaysAllow`, for tests of other stages only). */
export const alwaysAllow: Authorizer = { name: 'AlwaysAllow', authorize: () => ({ decision: 'allow', reason: '' }) };

function scope(a: Attributes): string {
  return a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
}

/** kube's `forbiddenMessage`: `User "u" cannot list resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenMessage(a: Attributes): string {
  const who = a.user.username;
  if (!a.resourceRequest) return `User "${who}" cannot ${a.verb} path "${a.path}"`;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return `User "${who}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup}" ${scope(a)}`;
}

/** The 403 Status kube-apiserver answers (`pods "x" is forbidden: User ... : <reason>`). */
export function forbiddenError(a: Attributes, reason: string): ApiError {
  const msg = forbiddenMessage(a) + (reason ? `: ${reason}` : '');
  if (!a.resourceRequest) return statusError(403, 'Forbidden', `forbidden: ${msg}`, {});
  const gr = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const what = a.name ? `${gr} "${a.name}"` : gr;
  const details: { name?: string; group: string; kind: string } = { group: a.apiGroup, kind: a.resource };
  if (a.name) details.name = a.name;
  return statusError(403, 'Forbidden', `${what} is forbidden: ${msg}`, details);
}
