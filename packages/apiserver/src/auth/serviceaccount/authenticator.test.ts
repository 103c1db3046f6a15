import { CompactSign } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { ServiceAccountTokenAuthenticator, type AudienceRequest } from './authenticator.js';
import { bearer, Clock, ecPem, FakeCluster, ISSUER, signingKey } from './fixtures.test-data.js';
import { TokenIssuer, type IssueTokenInput } from './issuer.js';
import type { SigningKey } from './keys.js';

const primary = signingKey();
const secondary = signingKey(ecPem());
const robot = { namespace: 'ns', serviceAccount: { name: 'robot', uid: 'sa-1' }, audiences: [ISSUER], expirationSeconds: 3600 };

describe('ServiceAccountTokenAuthenticator', () => {
  let clock: Clock;
  let cluster: FakeCluster;
  let authn: ServiceAccountTokenAuthenticator;
  const issue = (input: Partial<IssueTokenInput> = {}, key: SigningKey = primary, iss = ISSUER) =>
    new TokenIssuer({ issuer: iss, signingKey: key, clock: clock.now, newId: () => 'jti-1' }).issueToken({ ...robot, ...input }).then((t) => t.token);
  const check = (token: string, audiences?: string[]) => authn.authenticate({ ...bearer(token), ...(audiences ? { audiences } : {}) } as AudienceRequest);

  beforeEach(() => {
    clock = new Clock();
    cluster = new FakeCluster();
    cluster.addServiceAccount('ns', 'robot', 'sa-1');
    authn = new ServiceAccountTokenAuthenticator({
      issuers: [ISSUER, 'https://old-issuer'], keys: [primary, secondary], lookups: cluster, clock: clock.now,
    });
  });

  it('round-trips a pod-bound token to the user, groups, extras and audiences', async () => {
    cluster.addPod('ns', 'web', 'pod-1', 'robot', 'n1');
    const token = await issue({ pod: { name: 'web', uid: 'pod-1' }, node: { name: 'n1', uid: 'node-1' } });
    expect(await check(token)).toEqual({
      user: {
        username: 'system:serviceaccount:ns:robot',
        uid: 'sa-1',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
        extra: {
          'authentication.kubernetes.io/pod-name': ['web'],
          'authentication.kubernetes.io/pod-uid': ['pod-1'],
          'authentication.kubernetes.io/credential-id': ['JTI=jti-1'],
          'authentication.kubernetes.io/node-name': ['n1'],
          'authentication.kubernetes.io/node-uid': ['node-1'],
        },
      },
      audiences: [ISSUER],
    });
  });

  it('has nothing to say about other credentials, so the next authenticator may try', async () => {
    const foreign = await issue({}, primary, 'https://someone-else');
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer ' }, { authorization: 'Bearer abc.def' },
      { authorization: 'Bearer not-a-jwt' }, { authorization: `Bearer ${foreign}` }]) {
      expect(await authn.authenticate({ headers })).toBeUndefined();
    }
  });

  it('accepts a token of a second issuer and one signed by a second --service-account-key-file key', async () => {
    expect(await check(await issue({}, secondary))).toMatchObject({ user: { username: 'system:serviceaccount:ns:robot' } });
    expect(await check(await issue({}, primary, 'https://old-issuer'))).toMatchObject({ user: { uid: 'sa-1' } });
  });

  it('rejects a wrong signature, and a key id it does not know', async () => {
    const token = await issue();
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, -4)}${s!.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(await check(tampered)).toEqual({ error: 'go-jose/go-jose: error in cryptographic primitive' });
    // signed by a key we do not have, under our issuer and with our primary key's kid
    const stranger = signingKey();
    const forged = await new CompactSign(Buffer.from(p!, 'base64url')).setProtectedHeader({ alg: 'RS256', kid: primary.keyId }).sign(stranger.privateKey);
    expect(await check(forged)).toEqual({ error: 'go-jose/go-jose: error in cryptographic primitive' });
    const unknownKid = await new CompactSign(Buffer.from(p!, 'base64url')).setProtectedHeader({ alg: 'RS256', kid: stranger.keyId }).sign(stranger.privateKey);
    expect(await check(unknownKid)).toEqual({ error: 'invalid signature, no keys found' });
  });

  it('applies go-jose\'s 60 s leeway to exp and nbf', async () => {
    const token = await issue({ expirationSeconds: 600 });
    clock.advance(660);
    expect(await check(token)).toHaveProperty('user');
    clock.advance(1);
    expect(await check(token)).toEqual({ error: 'service account token has expired' });
    const early = await issue();
    clock.advance(-3600);
    expect(await check(early)).toEqual({ error: 'service account token is not valid yet' });
  });

  it('checks the audiences against the request\'s, else the apiserver\'s', async () => {
    const vault = await issue({ audiences: ['vault'] });
    expect(await check(vault)).toEqual({ error: `token audiences ["vault"] is invalid for the target audiences ["${ISSUER}"]` });
    expect(await check(vault, ['vault', 'other'])).toMatchObject({ audiences: ['vault'] });
    const both = await issue({ audiences: ['a', 'b', 'c'] });
    expect(await check(both, ['c', 'a'])).toMatchObject({ audiences: ['a', 'c'] });
    const custom = new ServiceAccountTokenAuthenticator({ issuers: [ISSUER], keys: [primary], apiAudiences: ['vault'], lookups: cluster, clock: clock.now });
    expect(await custom.authenticate(bearer(vault))).toMatchObject({ audiences: ['vault'] });
  });

  it('invalidates the token when its ServiceAccount is deleted or re-created', async () => {
    const token = await issue();
    cluster.delete('serviceaccounts/ns/robot');
    expect(await check(token)).toEqual({ error: 'serviceaccounts "robot" not found' });
    cluster.addServiceAccount('ns', 'robot', 'sa-2');
    expect(await check(token)).toEqual({ error: 'service account UID (sa-2) does not match claim (sa-1)' });
    const sa = cluster.addServiceAccount('ns', 'robot', 'sa-1');
    sa.metadata.deletionTimestamp = new Date(clock.t.getTime() - 61_000).toISOString();
    expect(await check(token)).toEqual({ error: 'service account ns/robot has been deleted' });
    sa.metadata.deletionTimestamp = new Date(clock.t.getTime() - 30_000).toISOString();
    expect(await check(token)).toHaveProperty('user');
  });

  it('invalidates a token whose bound pod, secret or node is gone or was re-created', async () => {
    cluster.addPod('ns', 'web', 'pod-1', 'robot');
    const podToken = await issue({ pod: { name: 'web', uid: 'pod-1' } });
    expect(await check(podToken)).toHaveProperty('user');
    cluster.delete('pods/ns/web');
    expect(await check(podToken)).toEqual({ error: 'service account token has been invalidated' });
    cluster.addPod('ns', 'web', 'pod-2', 'robot');
    expect(await check(podToken)).toEqual({ error: 'pod UID (pod-2) does not match service account pod ref claim (pod-1)' });

    cluster.addSecret('ns', 's', 'sec-1');
    const secretToken = await issue({ secret: { name: 's', uid: 'sec-1' } });
    expect(await check(secretToken)).toHaveProperty('user');
    cluster.delete('secrets/ns/s');
    expect(await check(secretToken)).toEqual({ error: 'service account token has been invalidated' });

    cluster.addNode('n1', 'node-1');
    const nodeToken = await issue({ node: { name: 'n1', uid: 'node-1' } });
    expect(await check(nodeToken)).toMatchObject({ user: { extra: { 'authentication.kubernetes.io/node-name': ['n1'], 'authentication.kubernetes.io/node-uid': ['node-1'] } } });
    cluster.addNode('n1', 'node-2');
    expect(await check(nodeToken)).toEqual({ error: 'node UID (node-2) does not match service account node ref claim (node-1)' });
    cluster.delete('nodes//n1');
    expect(await check(nodeToken)).toEqual({ error: 'service account token has been invalidated' });
  });
});
