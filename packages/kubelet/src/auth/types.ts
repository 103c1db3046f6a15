/**
 * The contracts of the kubelet API's two security stages, as the kubelet has them
 * (pkg/kubelet/server/auth.go, k8s.io/apiserver's delegating authenticator and authorizer):
 * authenticate (client certificate, bearer token through a TokenReview, anonymous) → authorize
 * (`<verb> nodes/<subresource>` through a SubjectAccessReview, or AlwaysAllow).
 */
import type { X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Authenticator as ApiAuthenticator, Authorizer as ApiAuthorizer, UserInfo } from '@tinykube/api';

/** Who is asking (kube's user.Info): @tinykube/api's, shared with the apiserver. */
export type { UserInfo } from '@tinykube/api';

/** The client certificate the TLS layer received, and whether it verified it against --client-ca-file. */
export interface PeerCertificate {
  certificate: X509Certificate;
  verified: boolean;
  /** Node's code when it did not verify it (UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED, ...). */
  error?: string;
}

/** What an authenticator sees of a request. */
export interface AuthnRequest {
  headers: IncomingHttpHeaders;
  peer?: PeerCertificate;
}

export type { AuthnResult, Decision } from '@tinykube/api';
export type Authenticator = ApiAuthenticator<AuthnRequest>;

/** kube's authorizer.Attributes for a kubelet API request: always a resource request on `nodes/<name>`. */
export interface Attributes {
  user: UserInfo;
  /** get, create, update, patch, delete (from the HTTP method; '' for others, as kube) */
  verb: string;
  namespace: '';
  apiGroup: '';
  apiVersion: 'v1';
  resource: 'nodes';
  /** stats, metrics, log, checkpoint, or proxy */
  subresource: string;
  /** this kubelet's node name */
  name: string;
  path: string;
}

/** Throws when no decision could be had (the webhook is unreachable): the request then gets a 500. */
export type Authorizer = ApiAuthorizer<Attributes>;
