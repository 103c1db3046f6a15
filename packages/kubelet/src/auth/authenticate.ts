import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { certInfo } from '@tinykube/pki';
import type { Authenticator, AuthnRequest, AuthnResult, PeerCertificate, UserInfo } from './types.js';

// The kubelet's authenticator, as k8s.io/apiserver's DelegatingAuthenticatorConfig builds it:
// union(x509, webhook token) + "system:authenticated", then anonymous only when no authenticator
// found a credential at all. A presented credential that is invalid is never downgraded to
// anonymous: the request gets a 401.

export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

export type AuthnOutcome = { ok: true; user: UserInfo } | { ok: false; error?: string };

/** The client certificate of a request on a TLS socket (none on plain HTTP, or when the client sent none). */
export function peerOf(req: IncomingMessage): PeerCertificate | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  const certificate = typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
  if (!certificate) return undefined;
  const error = socket.authorizationError;
  return { certificate, verified: socket.authorized === true, error: error === undefined || error === null ? undefined : String(error) };
}

/** The token of `Authorization: Bearer <token>`; a missing, other-scheme or empty one is none (as kube). */
export function bearerToken(headers: AuthnRequest['headers']): string | undefined {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return m?.[1];
}

/**
 * Client certificates (kube's x509 request authenticator): the chain is verified by the TLS layer
 * against --client-ca-file (signature, validity, clientAuth usage); CN is the user, each O a group.
 * A certificate without a CN is no credential (kube's CommonNameUserConversion).
 */
export class X509Authenticator implements Authenticator {
  readonly name = 'x509';

  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const peer = req.peer;
    if (!peer) return undefined;
    if (!peer.verified) return { error: `client certificate "${peer.certificate.subject.replace(/\n/g, ', ')}" not verified: ${peer.error ?? 'unknown reason'}` };
    const { subject } = certInfo(peer.certificate.toString());
    if (!subject.commonName) return undefined;
    return { user: { username: subject.commonName, groups: [...(subject.organizations ?? [])] } };
  }
}

function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes('system:authenticated') || user.groups.includes('system:unauthenticated')) return user;
  return { ...user, groups: [...user.groups, 'system:authenticated'] };
}

export class RequestAuthenticator {
  constructor(readonly authenticators: readonly Authenticator[], readonly anonymous: boolean) {}

  async authenticate(req: AuthnRequest): Promise<AuthnOutcome> {
    const errors: string[] = [];
    for (const a of this.authenticators) {
      let r: AuthnResult;
      try {
        r = await a.authenticate(req);
      } catch (err) {
        r = { error: `${a.name}: ${(err as Error).message}` };
      }
      if (r === undefined) continue;
      if ('user' in r) return { ok: true, user: withAuthenticatedGroup(r.user) };
      errors.push(r.error);
    }
    if (errors.length > 0) return { ok: false, error: errors.join('; ') };
    return this.anonymous ? { ok: true, user: ANONYMOUS } : { ok: false };
  }
}
