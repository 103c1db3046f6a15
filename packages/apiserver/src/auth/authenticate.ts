/**
 * The authentication stage: a union of authenticators, the first one that recognises a credential wins (kube's
 * union authenticator). A credential that no one accepts but someone rejected is a 401; no credential at all is
 * `system:anonymous` when anonymous requests are enabled (kube's default), else 401.
 */
import { ApiError, statusError } from '@tinykube/api';
import type { Authenticator, AuthnRequest, UserInfo } from './types.js';

export const ANONYMOUS_USER: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

export function unauthorized(): ApiError {
  return statusError(401, 'Unauthorized', 'Unauthorized');
}

export interface AuthnOutcome { user: UserInfo; audiences?: string[]; authenticator: string }

export class AuthenticationChain {
  constructor(private readonly authenticators: Authenticator[], private readonly anonymous: boolean) {}

  /** Resolves with who is asking, or { errors } when a credential was presented and refused. */
  async authenticate(req: AuthnRequest): Promise<AuthnOutcome | { errors: string[] }> {
    const errors: string[] = [];
    for (const a of this.authenticators) {
      let r;
      try {
        r = await a.authenticate(req);
      } catch (err) {
        errors.push(`${a.name}: ${(err as Error).message}`);
        continue;
      }
      if (r === undefined) continue;
      if ('error' in r) { errors.push(r.error); continue; }
      return { user: r.user, audiences: r.audiences, authenticator: a.name };
    }
    if (errors.length > 0) return { errors };
    if (hasCredential(req) || !this.anonymous) return { errors: ['no authenticator accepted the credential'] };
    return { user: ANONYMOUS_USER, authenticator: 'anonymous' };
  }
}

function hasCredential(req: AuthnRequest): boolean {
  const h = req.headers.authorization;
  return (Array.isArray(h) ? h[0] : h) !== undefined && String(h).trim() !== '';
}
