import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ecPem, ISSUER, segment, signingKey } from './fixtures.test-data.js';
import { TokenIssuer } from './issuer.js';
import { openIdDocuments } from './oidc.js';

const rsa = signingKey();
const ec = signingKey(ecPem());

describe('OIDC discovery documents', () => {
  it('describe the issuer and its keys', () => {
    const docs = openIdDocuments({ issuer: ISSUER, keys: [rsa, ec], externalAddress: '10.0.0.1:6443' });
    expect(docs.configuration).toEqual({
      issuer: ISSUER,
      jwks_uri: 'https://10.0.0.1:6443/openid/v1/jwks',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256', 'RS256'],
    });
    expect(docs.jwks.keys.map((k) => Object.keys(k))).toEqual([
      ['use', 'kty', 'kid', 'alg', 'n', 'e'],
      ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y'],
    ]);
    expect(docs.jwks.keys[0]).toMatchObject({ use: 'sig', kty: 'RSA', kid: rsa.keyId, alg: 'RS256', e: 'AQAB' });
    expect(docs.jwks.keys[1]).toMatchObject({ use: 'sig', kty: 'EC', kid: ec.keyId, crv: 'P-256', alg: 'ES256' });
    expect(JSON.parse(docs.jwksJson)).toEqual(docs.jwks);
    expect(JSON.parse(docs.configurationJson)).toEqual(docs.configuration);
  });

  it('publish a JWKS that a relying party verifies our tokens with, by kid', async () => {
    const docs = openIdDocuments({ issuer: ISSUER, keys: [rsa, ec] });
    const { token } = await new TokenIssuer({ issuer: ISSUER, signingKey: ec }).issueToken({
      namespace: 'ns', serviceAccount: { name: 'robot', uid: 'u' }, audiences: ['vault'], expirationSeconds: 600,
    });
    expect(segment(token, 0).kid).toBe(docs.jwks.keys[1]!.kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(docs.jwks), { issuer: ISSUER, audience: 'vault' });
    expect(payload.sub).toBe('system:serviceaccount:ns:robot');
  });

  it('take the JWKS URI from --service-account-jwks-uri, else the issuer', () => {
    expect(openIdDocuments({ issuer: ISSUER, keys: [rsa], jwksUri: 'https://keys.example/jwks' }).configuration.jwks_uri).toBe('https://keys.example/jwks');
    expect(openIdDocuments({ issuer: `${ISSUER}/`, keys: [rsa] }).configuration.jwks_uri).toBe(`${ISSUER}/openid/v1/jwks`);
  });

  it('refuse an issuer or JWKS URI unfit for OIDC, with kube\'s messages', () => {
    expect(() => openIdDocuments({ issuer: 'http://x', keys: [rsa] })).toThrow('issuer URL must use https scheme, got: http://x');
    expect(() => openIdDocuments({ issuer: 'https://x?a=b', keys: [rsa] })).toThrow('issuer URL may not include a query, got: https://x?a=b');
    expect(() => openIdDocuments({ issuer: 'https://x#f', keys: [rsa] })).toThrow('issuer URL may not include a fragment, got: https://x#f');
    expect(() => openIdDocuments({ issuer: ISSUER, keys: [rsa], jwksUri: 'http://k' })).toThrow('jwksURI requires https scheme, parsed as: http://k/');
    expect(() => openIdDocuments({ issuer: ISSUER, keys: [] })).toThrow('no keys provided for validating keyset');
  });
});
