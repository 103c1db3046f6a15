import type { UserInfo } from './schemas/authentication.js';

/**
 * The contracts of a security stage, shared by the apiserver's and the kubelet's pipelines (kube's
 * authenticator.Request → Response and authorizer.Authorizer). Each side declares what its requests carry.
 */

/**
 * `undefined`: this authenticator has nothing to say (no credential of its kind); `{ user }`: authenticated;
 * `{ error }`: a credential of its kind was presented and is invalid (or could not be checked) — the chain answers 401.
 */
export type AuthnResult = { user: UserInfo; audiences?: string[] } | { error: string } | undefined;

export interface Authenticator<Request> {
  readonly name: string;
  /** Never throws: a failure is an `{ error }`. */
  authenticate(req: Request): Promise<AuthnResult>;
}

export type DecisionKind = 'allow' | 'deny' | 'noOpinion';
export interface Decision {
  decision: DecisionKind;
  reason: string;
}

export interface Authorizer<Attributes> {
  readonly name: string;
  authorize(a: Attributes): Promise<Decision> | Decision;
}
