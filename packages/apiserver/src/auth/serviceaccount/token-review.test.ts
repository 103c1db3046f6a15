import { describe, expect, it } from 'vitest';
import { ApiError } from '@tinykube/api';
import type { AuthnRequest, AuthnResult } from '../types.js';
import { ServiceAccountTokenAuthenticator, type AudienceRequest } from './authenticator.js';
import { Clock, FakeCluster, ISSUER, signingKey } from './fixtures.test-data.js';
import { TokenIssuer } from './issuer.js';
import { reviewToken } from './token-review.js';

const key = signingKey();
const review = (spec: Record<string, unknown>) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec });

async function setup() {
  const clock = new Clock();
  const cluster = new FakeCluster();
  cluster.addServiceAccount('ns', 'robot', 'sa-1');
  const authn = new ServiceAccountTokenAuthenticator({ issuers: [ISSUER], keys: [key], lookups: cluster, clock: clock.now });
  const issuer = new TokenIssuer({ issuer: ISSUER, signingKey: key, clock: clock.now, newId: () => 'j' });
  const issue = (audiences: string[]) =>
    issuer.issueToken({ namespace: 'ns', serviceAccount: { name: 'robot', uid: 'sa-1' }, audiences, expirationSeconds: 600 }).then((t) => t.token);
  return { clock, authenticate: (req: AuthnRequest) => authn.authenticate(req), issue };
}

describe('reviewToken (TokenReview)', () => {
  it('authenticates a good token, with the user and audiences', async () => {
    const { authenticate, issue } = await setup();
    const out = await reviewToken(review({ token: await issue([ISSUER]) }), authenticate, [ISSUER]);
    expect(out).toMatchObject({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview' });
    expect(out.status).toEqual({
      authenticated: true,
      user: {
        username: 'system:serviceaccount:ns:robot', uid: 'sa-1',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': ['JTI=j'] },
      },
      audiences: [ISSUER],
    });
  });

  it('checks spec.audiences instead of the apiserver\'s when given', async () => {
    const { authenticate, issue } = await setup();
    const token = await issue(['vault', 'db']);
    expect((await reviewToken(review({ token, audiences: ['db', 'x'] }), authenticate, [ISSUER])).status).toMatchObject({ authenticated: true, audiences: ['db'] });
    expect((await reviewToken(review({ token }), authenticate, [ISSUER])).status).toEqual({
      user: {}, error: `token audiences ["vault" "db"] is invalid for the target audiences ["${ISSUER}"]`,
    });
  });

  it('reports a bad token as not authenticated, with the reason', async () => {
    const { authenticate, issue, clock } = await setup();
    const token = await issue([ISSUER]);
    clock.advance(3600);
    expect((await reviewToken(review({ token }), authenticate, [ISSUER])).status).toEqual({ user: {}, error: 'service account token has expired' });
    expect((await reviewToken(review({ token: 'garbage' }), authenticate, [ISSUER])).status).toEqual({ user: {}, error: 'invalid bearer token' });
  });

  it('answers 400 for a review without a token', async () => {
    const { authenticate } = await setup();
    const err = await reviewToken(review({}), authenticate, [ISSUER]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'token is required for TokenReview in authentication' });
  });

  it('gives audience-agnostic authenticators the requested audiences that are the apiserver\'s', async () => {
    const seen: AudienceRequest[] = [];
    const tokenFile = async (req: AuthnRequest): Promise<AuthnResult> => {
      seen.push(req);
      return { user: { username: 'alice', groups: ['devs'] } };
    };
    const ok = await reviewToken(review({ token: 't', audiences: [ISSUER, 'x'] }), tokenFile, [ISSUER]);
    expect(seen[0]).toEqual({ headers: { authorization: 'Bearer t' }, audiences: [ISSUER, 'x'] });
    expect(ok.status).toEqual({ authenticated: true, user: { username: 'alice', groups: ['devs'] }, audiences: [ISSUER] });
    const other = await reviewToken(review({ token: 't', audiences: ['x'] }), tokenFile, [ISSUER]);
    expect(other.status).toEqual({ user: {}, error: 'invalid bearer token' });
  });
});
