/**
 * The contracts of the request pipeline's security stages (authenticate → audit → authorize → admit → handle),
 * as kube-apiserver has them: `user.Info`, `authenticator.Request`, `authorizer.Attributes`, `authorizer.Decision`.
 */
import type { PeerCertificate } from 'node:tls';
import type { UserInfo } from '@tinykube/api';

/** Who is asking (kube's user.Info): @tinykube/api's, shared with the kubelet. */
export type { UserInfo } from '@tinykube/api';

/** What an authenticator sees of a request. */
export interface AuthnRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The client certificate chain the TLS layer received (verified or not: x509 verifies it). */
  peerCertificate?: PeerCertificate;
  /** Whether node's TLS layer already verified the chain against the client CA. */
  peerVerified?: boolean;
  /** Node's code when it did not (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE...). */
  peerAuthorizationError?: string;
}

/**
 * `undefined`: this authenticator has nothing to say (no credential of its kind); `{ user }`: authenticated;
 * `{ error }`: a credential of its kind was presented and is invalid — the chain answers 401.
 */
export type AuthnResult = { user: UserInfo; audiences?: string[] } | { error: string } | undefined;

export interface Authenticator {
  readonly name: string;
  authenticate(req: AuthnRequest): Promise<AuthnResult>;
}

/** kube's authorizer.Attributes. */
export interface Attributes {
  user: UserInfo;
  /** get list watch create update patch delete deletecollection, or impersonate, bind, escalate, approve...; for non-resource requests the lower-cased HTTP method */
  verb: string;
  resourceRequest: boolean;
  /** non-resource requests: the URL path */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export type DecisionKind = 'allow' | 'deny' | 'noOpinion';
export interface Decision { decision: DecisionKind; reason: string }

export interface Authorizer {
  readonly name: string;
  authorize(a: Attributes): Promise<Decision> | Decision;
}
