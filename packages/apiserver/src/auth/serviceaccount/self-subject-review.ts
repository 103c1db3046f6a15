/**
 * `POST /apis/authentication.k8s.io/v1/selfsubjectreviews` (`kubectl auth whoami`): answers with the
 * requesting user, as kube's SelfSubjectReview REST does (pkg/registry/authentication/selfsubjectreview).
 */
import { SelfSubjectReviewSchema, type SelfSubjectReview } from '@tinykube/api';
import { badRequest } from '@tinykube/api';
import { formatTime } from '../../util.js';
import type { UserInfo } from '../types.js';
import { userInfoOf } from './token-review.js';

export function reviewSelf(body: unknown, user: UserInfo | undefined, now: Date = new Date()): SelfSubjectReview {
  if (!user) throw badRequest('no user present on request');
  const parsed = SelfSubjectReviewSchema.safeParse(body ?? { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  if (!parsed.success) throw badRequest(`not a SelfSubjectReview: ${parsed.error.issues[0]?.message ?? 'invalid body'}`);
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    metadata: { creationTimestamp: formatTime(now) },
    status: { userInfo: userInfoOf(user) },
  };
}
