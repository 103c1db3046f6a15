import type { Clock } from '@tinykube/client';
import type { SubjectAccessReviewer, SubjectAccessReviewSpec } from './subject-access-review.js';
import { TtlCache } from './ttl-cache.js';
import type { Attributes, Authorizer, Decision } from './types.js';

/** `--authorization-mode AlwaysAllow`. */
export const alwaysAllow: Authorizer = { name: 'AlwaysAllow', authorize: async () => ({ decision: 'allow', reason: '' }) };

/** kube's defaults: --authorization-webhook-cache-authorized-ttl 5m, --authorization-webhook-cache-unauthorized-ttl 30s. */
export const DEFAULT_AUTHORIZED_TTL_MS = 300_000;
export const DEFAULT_UNAUTHORIZED_TTL_MS = 30_000;

export interface WebhookAuthorizerOptions {
  review: SubjectAccessReviewer;
  authorizedTtlMs?: number;
  unauthorizedTtlMs?: number;
  clock?: Clock;
}

/** The SubjectAccessReview spec for a kubelet API request (kube's webhook authorizer's mapping). */
export function reviewSpec(a: Attributes): SubjectAccessReviewSpec {
  const spec: SubjectAccessReviewSpec = {
    resourceAttributes: {
      namespace: a.namespace, verb: a.verb, group: a.apiGroup, version: a.apiVersion, resource: a.resource, subresource: a.subresource, name: a.name,
    },
    user: a.user.username,
    groups: a.user.groups,
  };
  if (a.user.uid) spec.uid = a.user.uid;
  if (a.user.extra && Object.keys(a.user.extra).length > 0) spec.extra = a.user.extra;
  return spec;
}

/**
 * `--authorization-mode Webhook`: each decision is the apiserver's answer to a SubjectAccessReview,
 * cached by the review's spec — allowed answers for authorizedTtlMs, others for unauthorizedTtlMs.
 * A review that fails throws (the request gets a 500) and is not cached.
 */
export class WebhookAuthorizer implements Authorizer {
  readonly name = 'Webhook';
  private readonly cache: TtlCache<Decision>;
  private readonly allowTtl: number;
  private readonly denyTtl: number;

  constructor(private readonly o: WebhookAuthorizerOptions) {
    this.allowTtl = o.authorizedTtlMs ?? DEFAULT_AUTHORIZED_TTL_MS;
    this.denyTtl = o.unauthorizedTtlMs ?? DEFAULT_UNAUTHORIZED_TTL_MS;
    this.cache = new TtlCache({ clock: o.clock, maxEntries: 8192 });
  }

  authorize(a: Attributes): Promise<Decision> {
    const spec = reviewSpec(a);
    return this.cache.getOrCompute(JSON.stringify(spec), async () => {
      const s = await this.o.review(spec);
      const reason = s.reason ?? s.evaluationError ?? '';
      if (s.allowed) return { value: { decision: 'allow', reason }, ttlMs: this.allowTtl };
      return { value: { decision: s.denied ? 'deny' : 'noOpinion', reason }, ttlMs: this.denyTtl };
    });
  }
}
