import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '@tinykube/api';
import { ServiceAccountTokenAuthenticator } from './authenticator.js';
import { bearer, Clock, FakeCluster, ISSUER, segment, signingKey } from './fixtures.test-data.js';
import { TokenIssuer } from './issuer.js';
import { requestToken, type TokenRequestOptions } from './token-request.js';

const key = signingKey();
const target = { namespace: 'ns', name: 'robot' };
const body = (spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) =>
  ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata, spec });

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('requestToken (serviceaccounts/token)', () => {
  let clock: Clock;
  let cluster: FakeCluster;
  let opts: TokenRequestOptions;

  beforeEach(() => {
    clock = new Clock();
    cluster = new FakeCluster();
    cluster.addServiceAccount('ns', 'robot', 'sa-1');
    opts = {
      issuer: new TokenIssuer({ issuer: ISSUER, signingKey: key, clock: clock.now }),
      lookups: cluster, apiAudiences: [ISSUER], clock: clock.now,
    };
  });

  it('answers with a token for the apiserver\'s audiences, valid 1 h, and the request\'s metadata filled in', async () => {
    const { tokenRequest, warnings } = await requestToken(body(), target, opts);
    expect(warnings).toEqual([]);
    expect(tokenRequest).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      metadata: { name: 'robot', namespace: 'ns', uid: 'sa-1', creationTimestamp: '2026-03-01T12:00:00Z' },
      spec: { audiences: [ISSUER], expirationSeconds: 3600 },
      status: { expirationTimestamp: '2026-03-01T13:00:00Z' },
    });
    const token = tokenRequest.status!.token;
    expect(segment(token, 1)).toMatchObject({ aud: [ISSUER], exp: segment(token, 1).iat as number + 3600, sub: 'system:serviceaccount:ns:robot' });
    const authn = new ServiceAccountTokenAuthenticator({ issuers: [ISSUER], keys: [key], lookups: cluster, clock: clock.now });
    expect(await authn.authenticate(bearer(token))).toMatchObject({ user: { username: 'system:serviceaccount:ns:robot', uid: 'sa-1' } });
  });

  it('refuses less than 10 minutes with a 422 on spec.expirationSeconds', async () => {
    const err = await failure(requestToken(body({ expirationSeconds: 60 }), target, opts));
    expect(err.status).toMatchObject({
      code: 422, reason: 'Invalid',
      details: {
        name: '', group: 'authentication.k8s.io', kind: 'TokenRequest',
        causes: [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: 'Invalid value: 60: may not specify a duration less than 10 minutes' }],
      },
    });
    expect(err.message).toContain('"" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    const tooLong = await failure(requestToken(body({ expirationSeconds: 2 ** 32 + 1 }), target, opts));
    expect(tooLong.status.details?.causes?.[0]?.message).toBe('Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds');
  });

  it('404s for a missing ServiceAccount and 422s for a body naming another', async () => {
    const missing = await failure(requestToken(body(), { namespace: 'ns', name: 'ghost' }, opts));
    expect(missing.status).toMatchObject({ code: 404, reason: 'NotFound', message: 'serviceaccounts "ghost" not found' });
    const other = await failure(requestToken(body({}, { name: 'other' }), target, opts));
    expect(other.status).toMatchObject({ code: 422, details: { causes: [{ field: 'metadata.name', message: 'Invalid value: "other": must match the service account name if specified' }] } });
    const uid = await failure(requestToken(body({}, { uid: 'sa-0' }), target, opts));
    expect(uid.status).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(uid.message).toContain('the UID in the token request (sa-0) does not match the UID of the service account (sa-1)');
  });

  it('caps the lifetime at --service-account-max-token-expiration, with a warning', async () => {
    const { tokenRequest, warnings } = await requestToken(body({ expirationSeconds: 7200 }), target, { ...opts, maxExpirationSeconds: 3600 });
    expect(tokenRequest.spec.expirationSeconds).toBe(3600);
    expect(warnings).toEqual(['requested expiration of 7200 seconds shortened to 3600 seconds']);
  });

  it('binds to a pod of this ServiceAccount, naming its node', async () => {
    cluster.addPod('ns', 'web', 'pod-1', 'robot', 'n1');
    cluster.addNode('n1', 'node-1');
    const ref = { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-1' };
    const { tokenRequest } = await requestToken(body({ boundObjectRef: ref, audiences: ['vault'] }), target, opts);
    expect(tokenRequest.spec).toEqual({ boundObjectRef: ref, audiences: ['vault'], expirationSeconds: 3600 });
    expect(segment(tokenRequest.status!.token, 1)['kubernetes.io']).toEqual({
      namespace: 'ns', node: { name: 'n1', uid: 'node-1' }, pod: { name: 'web', uid: 'pod-1' }, serviceaccount: { name: 'robot', uid: 'sa-1' },
    });
    cluster.delete('nodes//n1');
    const gone = await requestToken(body({ boundObjectRef: ref }), target, opts);
    expect((segment(gone.tokenRequest.status!.token, 1)['kubernetes.io'] as Record<string, unknown>).node).toEqual({ name: 'n1' });
  });

  it('refuses bound objects that are missing, re-created, of another ServiceAccount or of another kind', async () => {
    const missing = await failure(requestToken(body({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'x' } }), target, opts));
    expect(missing.status).toMatchObject({ code: 404, message: 'pods "x" not found' });
    cluster.addPod('ns', 'web', 'pod-2', 'robot');
    const recreated = await failure(requestToken(body({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-1' } }), target, opts));
    expect(recreated.status).toMatchObject({
      code: 409, reason: 'Conflict',
      message: 'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (pod-1) does not match the UID in record. The object might have been deleted and then recreated',
    });
    cluster.addPod('ns', 'other', 'pod-3', 'someone');
    const foreign = await failure(requestToken(body({ boundObjectRef: { kind: 'Pod', name: 'other' } }), target, opts));
    expect(foreign.status).toMatchObject({ code: 400, message: 'cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.' });
    const kind = await failure(requestToken(body({ boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' } }), target, opts));
    expect(kind.status).toMatchObject({ code: 400, message: 'cannot bind token to object of type apps/v1, Kind=Deployment' });
    const secret = await failure(requestToken(body({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's' } }), target, opts));
    expect(secret.status.message).toBe('secrets "s" not found');
    const node = await failure(requestToken(body({ boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n' } }), target, opts));
    expect(node.status.message).toBe('nodes "n" not found');
  });

  it('extends a kubelet\'s 3607 s pod-bound token to a year, warning after 3607 s', async () => {
    cluster.addPod('ns', 'web', 'pod-1', 'robot');
    const ref = { kind: 'Pod', apiVersion: 'v1', name: 'web' };
    const { tokenRequest } = await requestToken(body({ boundObjectRef: ref, expirationSeconds: 3607 }), target, opts);
    const claims = segment(tokenRequest.status!.token, 1);
    const iat = claims.iat as number;
    expect(claims.exp).toBe(iat + 365 * 24 * 3600);
    expect((claims['kubernetes.io'] as Record<string, unknown>).warnafter).toBe(iat + 3607);
    expect(tokenRequest.status!.expirationTimestamp).toBe('2026-03-01T13:00:07Z');
    const other = await requestToken(body({ boundObjectRef: ref, expirationSeconds: 3607, audiences: ['vault'] }), target, opts);
    expect(segment(other.tokenRequest.status!.token, 1).exp).toBe(iat + 3607);
  });
});
