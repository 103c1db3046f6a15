/**
 * The contracts of the request pipeline's security stages (authenticate → audit → authorize → admit → handle),
 * as kube-apiserver has them: `user.Info`, `authenticator.Request`, `authorizer.Attributes`, `authorizer.Decision`.
 */
import type { PeerCertificate } from 'node:tls';
import type { Authenticator as ApiAuthenticator, Authorizer as ApiAuthorizer, UserInfo } from '@tinykube/api';

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

export type { AuthnResult, Decision, DecisionKind } from '@tinykube/api';
export type Authenticator = ApiAuthenticator<AuthnRequest>;

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

export type Authorizer = ApiAuthorizer<Attributes>;
