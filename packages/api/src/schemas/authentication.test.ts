import { describe, expect, it } from 'vitest';
import { registry } from '../registry.js';
import { SelfSubjectReviewSchema, TokenRequestSchema, TokenReviewSchema } from './authentication.js';

describe('authentication.k8s.io/v1 schemas', () => {
  it('parse a TokenRequest, keeping unknown fields and defaulting spec', () => {
    const tr = TokenRequestSchema.parse({
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'default' },
      spec: { audiences: ['api'], expirationSeconds: 600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' } },
      status: { token: 'a.b.c', expirationTimestamp: '2026-01-01T00:00:00Z' },
      extra: 1,
    });
    expect(tr.spec.boundObjectRef).toEqual({ kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' });
    expect(tr.status?.token).toBe('a.b.c');
    expect(tr.extra).toBe(1);
    expect(TokenRequestSchema.parse({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' }).spec).toEqual({});
    expect(TokenRequestSchema.safeParse({ apiVersion: 'x', kind: 'y', spec: { expirationSeconds: 'soon' } }).success).toBe(false);
  });

  it('parse TokenReview and SelfSubjectReview statuses', () => {
    const review = TokenReviewSchema.parse({
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {},
      spec: { token: 't', audiences: ['a'] },
      status: { authenticated: true, user: { username: 'u', uid: '1', groups: ['g'], extra: { k: ['v'] } }, audiences: ['a'] },
    });
    expect(review.status?.user?.extra).toEqual({ k: ['v'] });
    expect(TokenReviewSchema.safeParse({ apiVersion: 'x', kind: 'y', status: { user: { extra: { k: 'v' } } } }).success).toBe(false);
    const self = SelfSubjectReviewSchema.parse({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', status: { userInfo: { username: 'me' } } });
    expect(self.status?.userInfo?.username).toBe('me');
  });

  it('are in the registry as create-only cluster-scoped kinds, with serviceaccounts/token', () => {
    for (const plural of ['tokenreviews', 'selfsubjectreviews']) {
      const info = registry.get('authentication.k8s.io', plural)!;
      expect(info).toMatchObject({ apiVersion: 'authentication.k8s.io/v1', namespaced: false, verbs: ['create'], hasStatus: false });
    }
    expect(registry.byKind('authentication.k8s.io/v1', 'TokenReview')?.plural).toBe('tokenreviews');
    expect(registry.get('', 'serviceaccounts')?.subresources).toContain('token');
  });
});
