import type { RestClient } from '@tinykube/client';
import {
  SubjectAccessReviewSpecSchema, SubjectAccessReviewStatusSchema, type SubjectAccessReview,
} from '@tinykube/api';
import type { z } from 'zod';

// authorization.k8s.io/v1 SubjectAccessReview (the schema is @tinykube/api's), the part the kubelet sends and reads.

export type SubjectAccessReviewSpec = z.input<typeof SubjectAccessReviewSpecSchema>;
export type SubjectAccessReviewStatus = NonNullable<SubjectAccessReview['status']>;

/** Asks the apiserver whether a request is allowed. Throws when it cannot. */
export type SubjectAccessReviewer = (spec: SubjectAccessReviewSpec) => Promise<SubjectAccessReviewStatus>;

const subjectAccessReviews = { group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews', namespaced: false } as const;

/** POST /apis/authorization.k8s.io/v1/subjectaccessreviews through the kubelet's own client. */
export function subjectAccessReviewer(client: Pick<RestClient, 'create'>, timeoutMs = 10_000): SubjectAccessReviewer {
  return async (spec) => {
    const review = await client.create<{ status?: unknown }>(subjectAccessReviews, {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec,
    }, { signal: AbortSignal.timeout(timeoutMs) });
    return SubjectAccessReviewStatusSchema.parse(review.status ?? { allowed: false });
  };
}
