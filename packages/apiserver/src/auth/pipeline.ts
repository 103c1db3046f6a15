/**
 * The security stages of the request pipeline, in kube-apiserver's order: authenticate → impersonate → in-flight
 * limit (overload protection, ../flowcontrol) → authorize.
 * (Audit wraps them in server.ts; admission runs inside the storage layer on writes.) Each stage is its own module;
 * this file only chains them and reads what the TLS layer knows of the client.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { AuthenticationChain, unauthorized } from './authenticate.js';
import { requestAttributes } from './attributes.js';
import { forbiddenError } from './authorize.js';
import { annotateDecision, type Auditor, type AuditRecord } from '../audit/auditor.js';
import { impersonate, wantsImpersonation } from './impersonation.js';
import type { Attributes, Authorizer, AuthnRequest, Decision, UserInfo } from './types.js';
import { overloaded } from '../flowcontrol/overloaded.js';
import type { InflightLimiter } from '../flowcontrol/inflight.js';
import type { ReviewDeps } from '../handlers/reviews.js';
import type { Target } from '../handlers/common.js';
import type { RequestContext } from '../http.js';

export interface Security {
  authentication: AuthenticationChain;
  authorizer: Authorizer;
  /** What a user may do in a namespace (SelfSubjectRulesReview, `kubectl auth can-i --list`). */
  rulesFor?: ReviewDeps['rulesFor'];
  /** TokenReview (the kubelet's webhook authenticator). */
  reviewToken?: ReviewDeps['reviewToken'];
  /** serviceaccounts/NAME/token (TokenRequest), when a signing key is configured. */
  tokenRequest?: (ctx: RequestContext, t: Target) => Promise<void>;
  /** Non-resource GET documents (service-account issuer discovery), by path. */
  documents?: Map<string, { body: string; contentType: string; cacheControl: string }>;
  /** --max-requests-inflight / --max-mutating-requests-inflight, per priority level; none = no limit. */
  limiter?: InflightLimiter;
}

export interface Admitted {
  user: UserInfo;
  /** The authenticated user when `user` is impersonated. */
  realUser?: UserInfo;
  attrs: Attributes;
  decision: Decision;
  audit?: AuditRecord;
  /** Frees the request's in-flight seat: call once the response is over. */
  release: () => void;
}

interface PeerInfo { cert?: PeerCertificate; verified: boolean; error?: string }
const peers = new WeakMap<object, PeerInfo>();

/** The client certificate of a TLS connection, read once per connection. */
function peerOf(req: IncomingMessage): PeerInfo {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return { verified: false };
  let p = peers.get(socket);
  if (!p) {
    const cert = socket.getPeerCertificate();
    const err = socket.authorizationError;
    p = { cert: cert && cert.raw ? cert : undefined, verified: socket.authorized === true, error: err === null || err === undefined ? undefined : String(err) };
    peers.set(socket, p);
  }
  return p;
}

export function authnRequestOf(req: IncomingMessage): AuthnRequest {
  const p = peerOf(req);
  return { headers: req.headers, peerCertificate: p.cert, peerVerified: p.verified, peerAuthorizationError: p.error };
}

/**
 * Who the request acts as and that it may do what it asks; throws the 401/403 Status otherwise. The audit record
 * (when the policy logs this request) begins right after authentication, as in kube-apiserver, and is handed to
 * `onAudit` before impersonation and authorization can refuse, so refusals are audited too.
 */
export async function admitRequest(sec: Security, req: IncomingMessage, url: URL, auditor?: Auditor, onAudit?: (r: AuditRecord) => void): Promise<Admitted> {
  const authn = await sec.authentication.authenticate(authnRequestOf(req));
  if ('errors' in authn) throw Object.assign(unauthorized(), { authnErrors: authn.errors });
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  let user = authn.user;
  let attrs = requestAttributes(user, req.method ?? 'GET', path, url.searchParams);
  const record = auditor?.begin({ attrs, requestURI: req.url ?? '/', headers: req.headers, remoteAddress: req.socket.remoteAddress });
  if (record) onAudit?.(record);
  let realUser: UserInfo | undefined;
  if (wantsImpersonation(req.headers)) {
    realUser = user;
    user = await impersonate(user, req.headers, sec.authorizer);
    record?.setImpersonatedUser(user);
    attrs = { ...attrs, user };
  }
  let release = (): void => undefined;
  if (sec.limiter) {
    const seat = sec.limiter.admit(attrs, req.method ?? 'GET');
    if ('rejected' in seat) throw overloaded(seat.rejected.level);
    release = seat.release;
  }
  let decision: Decision;
  try {
    decision = await sec.authorizer.authorize(attrs);
  } catch (err) {
    release();
    throw err;
  }
  annotateDecision(record, decision);
  if (decision.decision !== 'allow') {
    release();
    throw forbiddenError(attrs, decision.reason);
  }
  return { user, realUser, attrs, decision, audit: record, release };
}

/** The request being served, for stages that run deeper down (admission on writes). */
export const requestScope = new AsyncLocalStorage<Admitted>();
