import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from '@tinykube/pki';
import { ANONYMOUS, bearerToken, RequestAuthenticator, X509Authenticator } from './authenticate.js';
import type { Authenticator, AuthnResult } from './types.js';

const fake = (name: string, result: AuthnResult): Authenticator => ({ name, authenticate: async () => result });
const alice = { username: 'alice', groups: ['devs'] };

describe('RequestAuthenticator (kube\'s delegating authenticator)', () => {
  it('takes the first authenticator that knows the user, adding system:authenticated', async () => {
    const chain = new RequestAuthenticator([fake('none', undefined), fake('a', { user: alice }), fake('b', { user: { username: 'bob', groups: [] } })], false);
    expect(await chain.authenticate({ headers: {} })).toEqual({ ok: true, user: { username: 'alice', groups: ['devs', 'system:authenticated'] } });
  });

  it('lets a later authenticator succeed after an earlier one refused its credential (kube\'s union)', async () => {
    const chain = new RequestAuthenticator([fake('x509', { error: 'bad cert' }), fake('token', { user: alice })], false);
    expect((await chain.authenticate({ headers: {} })).ok).toBe(true);
  });

  it('is anonymous only when no credential was presented at all', async () => {
    expect(await new RequestAuthenticator([fake('none', undefined)], true).authenticate({ headers: {} })).toEqual({ ok: true, user: ANONYMOUS });
    expect(await new RequestAuthenticator([fake('none', undefined)], false).authenticate({ headers: {} })).toEqual({ ok: false });
    expect(await new RequestAuthenticator([fake('x509', { error: 'bad cert' })], true).authenticate({ headers: {} })).toEqual({ ok: false, error: 'bad cert' });
    const throws: Authenticator = { name: 'boom', authenticate: async () => { throw new Error('bug'); } };
    expect(await new RequestAuthenticator([throws], true).authenticate({ headers: {} })).toEqual({ ok: false, error: 'boom: bug' });
  });

  it('reads bearer tokens as kube does', () => {
    expect(bearerToken({ authorization: 'Bearer abc.def' })).toBe('abc.def');
    expect(bearerToken({ authorization: 'bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'Basic YTpi' })).toBeUndefined();
    expect(bearerToken({ authorization: 'Bearer ' })).toBeUndefined();
    expect(bearerToken({})).toBeUndefined();
  });
});

describe('X509Authenticator', () => {
  let certs: { alice: X509Certificate; noCn: X509Certificate };
  beforeAll(async () => {
    const ca = await createCa('kubernetes');
    certs = {
      alice: new X509Certificate((await issueCertificate(ca, { subject: { commonName: 'alice', organizations: ['devs', 'system:masters'] }, usage: 'client' })).certPem),
      noCn: new X509Certificate((await issueCertificate(ca, { subject: { commonName: '', organizations: ['devs'] }, usage: 'client' })).certPem),
    };
  });

  it('reads CN as the user and each O as a group from a verified certificate', async () => {
    const x = new X509Authenticator();
    expect(await x.authenticate({ headers: {}, peer: { certificate: certs.alice, verified: true } })).toEqual({ user: { username: 'alice', groups: ['devs', 'system:masters'] } });
    expect(await x.authenticate({ headers: {} })).toBeUndefined();
  });

  it('refuses a certificate the TLS layer did not verify; one without CN is no credential', async () => {
    const x = new X509Authenticator();
    const r = await x.authenticate({ headers: {}, peer: { certificate: certs.alice, verified: false, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } });
    expect(r).toEqual({ error: expect.stringContaining('UNABLE_TO_VERIFY_LEAF_SIGNATURE') });
    expect(await x.authenticate({ headers: {}, peer: { certificate: certs.noCn, verified: true } })).toBeUndefined();
  });
});
