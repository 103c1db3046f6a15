import { describe, expect, it } from 'vitest';
import { reviewSelf } from './self-subject-review.js';

describe('reviewSelf (SelfSubjectReview)', () => {
  it('answers with the requesting user', () => {
    const user = { username: 'system:serviceaccount:ns:robot', uid: 'sa-1', groups: ['system:authenticated'], extra: { k: ['v'] } };
    expect(reviewSelf({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, user, new Date('2026-03-01T12:00:00Z'))).toEqual({
      apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview',
      metadata: { creationTimestamp: '2026-03-01T12:00:00Z' },
      status: { userInfo: user },
    });
    expect(() => reviewSelf({}, undefined)).toThrow('no user present on request');
  });
});
