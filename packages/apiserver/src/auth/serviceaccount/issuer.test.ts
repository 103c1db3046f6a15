import { compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { Clock, ecPem, ISSUER, segment, signingKey } from './fixtures.test-data.js';
import { TokenIssuer } from './issuer.js';

const rsa = signingKey();
const base = { namespace: 'ns', serviceAccount: { name: 'robot', uid: 'sa-uid' }, audiences: ['api', 'vault'], expirationSeconds: 3600 };

describe('TokenIssuer', () => {
  it('writes kube\'s claims, in go-jose\'s order, signed RS256 with the key id', async () => {
    const clock = new Clock();
    const issuer = new TokenIssuer({ issuer: ISSUER, signingKey: rsa, clock: clock.now, newId: () => 'jti-1' });
    const { token, expirationTimestamp, jti } = await issuer.issueToken(base);
    const iat = Math.floor(clock.t.getTime() / 1000);
    expect(segment(token, 0)).toEqual({ alg: 'RS256', kid: rsa.keyId });
    const payload = segment(token, 1);
    expect(payload).toEqual({
      aud: ['api', 'vault'], exp: iat + 3600, iat, iss: ISSUER, jti: 'jti-1',
      'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'robot', uid: 'sa-uid' } },
      nbf: iat, sub: 'system:serviceaccount:ns:robot',
    });
    expect(Object.keys(payload)).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    expect(expirationTimestamp).toBe('2026-03-01T13:00:00Z');
    expect(jti).toBe('jti-1');
    await expect(compactVerify(token, rsa.key)).resolves.toBeDefined();
  });

  it('signs ES256 with an EC key and keeps aud an array for one audience', async () => {
    const ec = signingKey(ecPem());
    const { token } = await new TokenIssuer({ issuer: ISSUER, signingKey: ec }).issueToken({ ...base, audiences: ['api'] });
    expect(segment(token, 0)).toEqual({ alg: 'ES256', kid: ec.keyId });
    expect(segment(token, 1).aud).toEqual(['api']);
    await expect(compactVerify(token, ec.key)).resolves.toBeDefined();
  });

  it('names the bound pod and its node (a missing uid left out), or a secret, and warnafter', async () => {
    const clock = new Clock();
    const issuer = new TokenIssuer({ issuer: ISSUER, signingKey: rsa, clock: clock.now });
    const podBound = await issuer.issueToken({ ...base, pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: '' }, warnAfterSeconds: 3607 });
    const kube = segment(podBound.token, 1)['kubernetes.io'] as Record<string, unknown>;
    expect(kube).toEqual({
      namespace: 'ns', node: { name: 'n1' }, pod: { name: 'web', uid: 'pod-uid' },
      serviceaccount: { name: 'robot', uid: 'sa-uid' }, warnafter: Math.floor(clock.t.getTime() / 1000) + 3607,
    });
    expect(Object.keys(kube)).toEqual(['namespace', 'node', 'pod', 'serviceaccount', 'warnafter']);
    expect(segment(podBound.token, 1).jti).toMatch(/^[0-9a-f-]{36}$/);

    const secretBound = await issuer.issueToken({ ...base, secret: { name: 's', uid: 's-uid' } });
    expect((segment(secretBound.token, 1)['kubernetes.io'] as Record<string, unknown>).secret).toEqual({ name: 's', uid: 's-uid' });
    await expect(issuer.issueToken({ ...base, secret: { name: 's' }, pod: { name: 'p' } }))
      .rejects.toThrow('internal error, token can only be bound to one object type');
  });
});
