import { createHash } from 'node:crypto';
import { TokenReviewStatusSchema } from '@tinykube/api';
import type { Clock, RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { bearerToken } from './authenticate.js';
import { TtlCache } from './ttl-cache.js';
import type { Authenticator, AuthnRequest, AuthnResult } from './types.js';

export type TokenReviewStatus = z.infer<typeof TokenReviewStatusSchema>;

/** Asks the apiserver about a bearer token (a TokenReview's status). Throws when it cannot. */
export type TokenReviewer = (token: string) => Promise<TokenReviewStatus>;

const tokenReviews = { group: 'authentication.k8s.io', version: 'v1', plural: 'tokenreviews', namespaced: false } as const;

/** kube's default --authentication-token-webhook-cache-ttl. */
export const DEFAULT_TOKEN_CACHE_TTL_MS = 120_000;

/** POST /apis/authentication.k8s.io/v1/tokenreviews through the kubelet's own client (10 s, kube's TokenAccessReviewTimeout). */
export function tokenReviewer(client: Pick<RestClient, 'create'>, timeoutMs = 10_000): TokenReviewer {
  return async (token) => {
    const review = await client.create<{ status?: unknown }>(tokenReviews, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token },
    }, { signal: AbortSignal.timeout(timeoutMs) });
    return TokenReviewStatusSchema.parse(review.status ?? {});
  };
}

export interface TokenWebhookOptions {
  review: TokenReviewer;
  /** How long an answer (authenticated or not) is kept; failures to ask are not kept. */
  cacheTtlMs?: number;
  clock?: Clock;
  log: Logger;
}

/**
 * Bearer tokens checked by the apiserver (`--authentication-token-webhook`), as kube's webhook token
 * authenticator behind its token cache: answers are cached by the token's hash; a review that
 * fails, or answers with status.error, is not.
 */
export class TokenWebhookAuthenticator implements Authenticator {
  readonly name = 'webhook-token';
  private readonly cache: TtlCache<AuthnResult>;
  private readonly ttlMs: number;

  constructor(private readonly o: TokenWebhookOptions) {
    this.ttlMs = o.cacheTtlMs ?? DEFAULT_TOKEN_CACHE_TTL_MS;
    this.cache = new TtlCache({ clock: o.clock });
  }

  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const token = bearerToken(req.headers);
    if (token === undefined) return undefined;
    const key = createHash('sha256').update(token).digest('hex');
    return this.cache.getOrCompute(key, async () => {
      let status: TokenReviewStatus;
      try {
        status = await this.o.review(token);
      } catch (err) {
        this.o.log.warn({ err }, 'token review failed');
        return { value: { error: `token review failed: ${(err as Error).message}` }, ttlMs: 0 };
      }
      if (status.error) return { value: { error: `token review: ${status.error}` }, ttlMs: 0 };
      const u = status.user;
      if (!status.authenticated || !u?.username) return { value: { error: 'invalid bearer token' }, ttlMs: this.ttlMs };
      const user = { username: u.username, uid: u.uid, groups: [...(u.groups ?? [])], extra: u.extra };
      return { value: { user }, ttlMs: this.ttlMs };
    });
  }
}
