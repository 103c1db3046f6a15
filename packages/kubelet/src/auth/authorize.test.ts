import { FakeClock } from '@tinykube/testkit';
import { describe, expect, it } from 'vitest';
import { type ObjectLike, type ResourceRef } from '@tinykube/client';
import { requestAttributes } from './attributes.js';
import { alwaysAllow, reviewSpec, WebhookAuthorizer } from './authorize.js';
import { subjectAccessReviewer, type SubjectAccessReviewSpec, type SubjectAccessReviewStatus } from './subject-access-review.js';

const alice = { username: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['x'] } };

function setup(answer: (spec: SubjectAccessReviewSpec) => SubjectAccessReviewStatus | Error) {
  const clock = new FakeClock();
  const asked: SubjectAccessReviewSpec[] = [];
  const authz = new WebhookAuthorizer({
    clock,
    review: async (spec) => {
      asked.push(spec);
      const a = answer(spec);
      if (a instanceof Error) throw a;
      return a;
    },
  });
  return { clock, asked, authz };
}

describe('WebhookAuthorizer', () => {
  it('asks with the nodes/<subresource> attributes of the request', async () => {
    const { asked, authz } = setup(() => ({ allowed: true }));
    expect(await authz.authorize(requestAttributes(alice, 'GET', '/stats/summary', 'node-1'))).toEqual({ decision: 'allow', reason: '' });
    expect(asked).toEqual([{
      resourceAttributes: { namespace: '', verb: 'get', group: '', version: 'v1', resource: 'nodes', subresource: 'stats', name: 'node-1' },
      user: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['x'] },
    }]);
    expect(reviewSpec(requestAttributes({ username: 'bob', groups: [] }, 'POST', '/run/a/b/c', 'n'))).toEqual({
      resourceAttributes: { namespace: '', verb: 'create', group: '', version: 'v1', resource: 'nodes', subresource: 'proxy', name: 'n' }, user: 'bob', groups: [],
    });
  });

  it('caches allowed answers for 5 minutes and others for 30 seconds', async () => {
    const { clock, asked, authz } = setup((s) => (s.resourceAttributes?.verb === 'get' ? { allowed: true } : { allowed: false, denied: true, reason: 'no' }));
    const get = requestAttributes(alice, 'GET', '/pods', 'n');
    const post = requestAttributes(alice, 'POST', '/exec/a/b/c', 'n');
    expect((await authz.authorize(post)).decision).toBe('deny');
    await authz.authorize(get);
    clock.advance(29_999);
    await authz.authorize(post);
    await authz.authorize(get);
    expect(asked).toHaveLength(2);
    clock.advance(1);
    await authz.authorize(post);
    expect(asked).toHaveLength(3);
    clock.advance(300_000 - 30_000 - 1);
    await authz.authorize(get);
    expect(asked).toHaveLength(3);
    clock.advance(1);
    await authz.authorize(get);
    expect(asked).toHaveLength(4);
  });

  it('has no opinion when neither allowed nor denied; a failed review throws and is not cached', async () => {
    let down = true;
    const { asked, authz } = setup((s) => (s.user === 'x' ? { allowed: false } : down ? new Error('ECONNREFUSED') : { allowed: true }));
    expect((await authz.authorize(requestAttributes({ username: 'x', groups: [] }, 'GET', '/pods', 'n'))).decision).toBe('noOpinion');
    const a = requestAttributes(alice, 'GET', '/pods', 'n');
    await expect(authz.authorize(a)).rejects.toThrow('ECONNREFUSED');
    down = false;
    expect((await authz.authorize(a)).decision).toBe('allow');
    expect(asked).toHaveLength(3);
    expect((await alwaysAllow.authorize(a)).decision).toBe('allow');
  });

  it('asks with a SubjectAccessReview POSTed to authorization.k8s.io/v1', async () => {
    const sent: { res: ResourceRef; obj: ObjectLike }[] = [];
    const client = {
      create: async <T,>(res: ResourceRef, obj: ObjectLike) => {
        sent.push({ res, obj });
        return { ...obj, status: { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "x"' } } as T;
      },
    };
    const spec = reviewSpec(requestAttributes({ username: 'bob', groups: [] }, 'GET', '/pods', 'n'));
    expect(await subjectAccessReviewer(client)(spec)).toMatchObject({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "x"' });
    expect(sent).toEqual([{
      res: { group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews', namespaced: false },
      obj: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
    }]);
  });
});
