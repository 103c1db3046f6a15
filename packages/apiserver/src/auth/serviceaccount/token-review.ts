/**
 * `POST /apis/authentication.k8s.io/v1/tokenreviews`, as kube's TokenReview REST answers it
 * (pkg/registry/authentication/tokenreview/storage.go): the token is authenticated as if it came in
 * `Authorization: Bearer <token>`, against spec.audiences (default: --api-audiences).
 *
 * - no token: 400 `token is required for TokenReview in authentication`;
 * - not recognised by any authenticator: authenticated false, error `invalid bearer token`;
 * - rejected: authenticated false, the authenticator's error;
 * - accepted: authenticated true, the user, and the audiences it is good for (an authenticator that reports
 *   none is audience-agnostic: it is good for the requested audiences that are the apiserver's, and for
 *   nothing when there are none — kube's WrapAudienceAgnosticToken).
 * `authenticate` is the token part of the chain (not the anonymous fallback).
 */
import { TokenReviewSchema, type AuthnUserInfo, type TokenReview } from '@tinykube/api';
import { badRequest, internal } from '@tinykube/api';
import type { AuthnRequest, AuthnResult, UserInfo } from '../types.js';
import type { AudienceRequest } from './authenticator.js';

export const INVALID_BEARER_TOKEN = 'invalid bearer token';

/** user.Info as the authentication API returns it (empty fields omitted, as Go's omitempty does). */
export function userInfoOf(user: UserInfo): AuthnUserInfo {
  const out: AuthnUserInfo = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length > 0) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) {
    out.extra = Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]]));
  }
  return out;
}

function intersect(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((x) => b.includes(x));
}

export async function reviewToken(
  body: unknown,
  authenticate: (req: AuthnRequest) => Promise<AuthnResult>,
  apiAudiences: readonly string[],
): Promise<TokenReview> {
  const parsed = TokenReviewSchema.safeParse(body);
  if (!parsed.success) throw badRequest(`not a TokenReview: ${parsed.error.issues[0]?.message ?? 'invalid body'}`);
  const review = parsed.data;
  const token = review.spec.token ?? '';
  if (token === '') throw badRequest('token is required for TokenReview in authentication');

  const auds = review.spec.audiences && review.spec.audiences.length > 0 ? review.spec.audiences : [...apiAudiences];
  const req: AudienceRequest = { headers: { authorization: `Bearer ${token}` } };
  if (auds.length > 0) req.audiences = auds;
  let result = await authenticate(req);

  if (result && 'user' in result && result.audiences === undefined && auds.length > 0) {
    const agnostic = intersect([...apiAudiences], auds);
    result = agnostic.length > 0 ? { ...result, audiences: agnostic } : undefined;
  }

  const status: NonNullable<TokenReview['status']> = {};
  if (result && 'user' in result) {
    if (auds.length > 0 && intersect(auds, result.audiences ?? []).length === 0) throw internal('error validating audiences');
    status.authenticated = true;
    status.user = userInfoOf(result.user);
    if (result.audiences && result.audiences.length > 0) status.audiences = [...result.audiences];
  } else {
    status.user = {};
    status.error = result ? result.error : INVALID_BEARER_TOKEN;
  }
  return { ...review, apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status };
}
