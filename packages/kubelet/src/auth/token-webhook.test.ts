import { FakeClock } from '@tinykube/testkit';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type ObjectLike, type ResourceRef } from '@tinykube/client';
import { TokenWebhookAuthenticator, tokenReviewer, type TokenReviewStatus } from './token-webhook.js';

const log = pino({ level: 'silent' });
const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

function setup(answer: (token: string) => TokenReviewStatus | Error) {
  const clock = new FakeClock();
  const asked: string[] = [];
  const authn = new TokenWebhookAuthenticator({
    log, clock,
    review: async (token) => {
      asked.push(token);
      const a = answer(token);
      if (a instanceof Error) throw a;
      return a;
    },
  });
  return { clock, asked, authn };
}

describe('TokenWebhookAuthenticator', () => {
  it('authenticates the user the TokenReview names, and caches the answer for 2 minutes', async () => {
    const { clock, asked, authn } = setup(() => ({ authenticated: true, user: { username: 'carol', uid: 'u1', groups: ['viewers'], extra: { scopes: ['a'] } } }));
    expect(await authn.authenticate(bearer('t1'))).toEqual({ user: { username: 'carol', uid: 'u1', groups: ['viewers'], extra: { scopes: ['a'] } } });
    clock.advance(119_999);
    await authn.authenticate(bearer('t1'));
    expect(asked).toEqual(['t1']);
    clock.advance(1);
    await authn.authenticate(bearer('t1'));
    expect(asked).toEqual(['t1', 't1']);
  });

  it('has nothing to say without a bearer token', async () => {
    const { asked, authn } = setup(() => ({ authenticated: true, user: { username: 'x' } }));
    expect(await authn.authenticate({ headers: {} })).toBeUndefined();
    expect(await authn.authenticate({ headers: { authorization: 'Basic eDp5' } })).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('refuses an unknown token (cached), and does not cache a failed review or status.error', async () => {
    let down = true;
    const { asked, authn } = setup((t) => (t === 'flaky' ? (down ? new Error('connect ECONNREFUSED') : { authenticated: true, user: { username: 'dan' } }) : t === 'odd' ? { authenticated: false, error: 'webhook exploded' } : { authenticated: false }));
    expect(await authn.authenticate(bearer('forged'))).toEqual({ error: 'invalid bearer token' });
    await authn.authenticate(bearer('forged'));
    expect(asked.filter((t) => t === 'forged')).toHaveLength(1);
    expect(await authn.authenticate(bearer('odd'))).toEqual({ error: 'token review: webhook exploded' });
    await authn.authenticate(bearer('odd'));
    expect(asked.filter((t) => t === 'odd')).toHaveLength(2);
    expect(await authn.authenticate(bearer('flaky'))).toEqual({ error: 'token review failed: connect ECONNREFUSED' });
    down = false;
    expect(await authn.authenticate(bearer('flaky'))).toEqual({ user: { username: 'dan', groups: [] } });
  });

  it('asks with a TokenReview POSTed to authentication.k8s.io/v1', async () => {
    const sent: { res: ResourceRef; obj: ObjectLike }[] = [];
    const client = {
      create: async <T,>(res: ResourceRef, obj: ObjectLike) => {
        sent.push({ res, obj });
        return { ...obj, status: { authenticated: true, user: { username: 'carol' } } } as T;
      },
    };
    expect(await tokenReviewer(client)('t1')).toMatchObject({ authenticated: true, user: { username: 'carol' } });
    expect(sent).toEqual([{
      res: { group: 'authentication.k8s.io', version: 'v1', plural: 'tokenreviews', namespaced: false },
      obj: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 't1' } },
    }]);
  });
});
