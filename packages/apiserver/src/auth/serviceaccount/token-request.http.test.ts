// handlers/subresources.ts's handleTokenRequest over a real local socket (port 0), without the rest of the server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registry } from '@tinykube/api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleTokenRequest } from '../../handlers/subresources.js';
import { sendError, type RequestContext } from '../../http.js';
import { isApiError } from '@tinykube/api';
import { Clock, FakeCluster, ISSUER, segment, signingKey } from './fixtures.test-data.js';
import { TokenIssuer } from './issuer.js';
import type { TokenRequestOptions } from './token-request.js';

const clock = new Clock();
const cluster = new FakeCluster();
cluster.addServiceAccount('ns', 'robot', 'sa-1');
const opts: TokenRequestOptions = {
  issuer: new TokenIssuer({ issuer: ISSUER, signingKey: signingKey(), clock: clock.now }),
  lookups: cluster, apiAudiences: [ISSUER], clock: clock.now, maxExpirationSeconds: 3600,
};
const info = registry.get('', 'serviceaccounts')!;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ctx = { req, res, url, query: url.searchParams, user: { username: 'u', groups: [] }, log: pino({ level: 'silent' }), verb: 'POST', resource: '' } as RequestContext;
    const name = url.pathname.split('/')[6]!;
    handleTokenRequest(ctx, { info, namespace: 'ns', name, subresource: 'token' }, opts).catch((err: unknown) => {
      if (isApiError(err)) sendError(ctx, err); else { res.statusCode = 500; res.end(String(err)); }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = (name: string, body: unknown) => fetch(`${base}/api/v1/namespaces/ns/serviceaccounts/${name}/token`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

describe('POST serviceaccounts/NAME/token', () => {
  it('answers 201 with the TokenRequest and a Warning when the lifetime was capped', async () => {
    const res = await post('robot', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 7200 } });
    expect(res.status).toBe(201);
    expect(res.headers.get('warning')).toBe('299 - "requested expiration of 7200 seconds shortened to 3600 seconds"');
    const body = await res.json() as { kind: string; metadata: { name: string }; status: { token: string } };
    expect(body).toMatchObject({ kind: 'TokenRequest', metadata: { name: 'robot', namespace: 'ns', uid: 'sa-1' } });
    expect(segment(body.status.token, 1).sub).toBe('system:serviceaccount:ns:robot');
  });

  it('answers kube\'s Status for a short lifetime, a missing ServiceAccount and another namespace', async () => {
    const short = await post('robot', { spec: { expirationSeconds: 60 } });
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { causes: [{ field: 'spec.expirationSeconds' }] } });
    const missing = await post('ghost', {});
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'serviceaccounts "ghost" not found' });
    const other = await post('robot', { metadata: { namespace: 'elsewhere' } });
    expect(other.status).toBe(400);
  });
});
