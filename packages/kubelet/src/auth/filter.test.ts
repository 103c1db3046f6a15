// The kubelet API over real https, with certificates from @tinykube/pki: client certificates verified by
// the TLS layer, a bearer token through a (fake) TokenReview, decisions through a (fake) SubjectAccessReview,
// and the same filter in front of the WebSocket upgrades.
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCa, issueCertificate, type CertAndKey } from '@tinykube/pki';
import { buildServer, type KubeletServer } from '../server.js';
import { RequestAuthenticator, X509Authenticator } from './authenticate.js';
import { WebhookAuthorizer } from './authorize.js';
import { KubeletAuth } from './filter.js';
import type { SubjectAccessReviewSpec } from './subject-access-review.js';
import { TokenWebhookAuthenticator } from './token-webhook.js';

const log = pino({ level: 'silent' });
const NODE = 'node-1';

let ca: CertAndKey;
let app: KubeletServer;
let port: number;
const certs: Record<'alice' | 'bob' | 'apiserver' | 'stranger' | 'serverUsage', CertAndKey> = {} as never;
const reviews: SubjectAccessReviewSpec[] = [];

interface Answer { status: number; body: string }

function call(path: string, o: { who?: CertAndKey; method?: string; token?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path, method: o.method ?? 'GET', ca: ca.certPem, agent: false,
      cert: o.who?.certPem, key: o.who?.keyPem, headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket exec; resolves with the HTTP status of a refused upgrade, or 101 once upgraded. */
function upgrade(path: string, who?: CertAndKey): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}${path}`, ['v5.channel.k8s.io'], { ca: ca.certPem, cert: who?.certPem, key: who?.keyPem });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('error', (err) => (err.message.startsWith('Unexpected server response') ? undefined : reject(err)));
  });
}

beforeAll(async () => {
  ca = await createCa('kubernetes');
  const other = await createCa('someone-else');
  const serving = await issueCertificate(ca, { subject: { commonName: `system:node:${NODE}`, organizations: ['system:nodes'] }, usage: 'server', sans: ['127.0.0.1'] });
  certs.alice = await issueCertificate(ca, { subject: { commonName: 'alice', organizations: ['devs'] }, usage: 'client' });
  certs.bob = await issueCertificate(ca, { subject: { commonName: 'bob' }, usage: 'client' });
  certs.apiserver = await issueCertificate(ca, { subject: { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] }, usage: 'client' });
  certs.stranger = await issueCertificate(other, { subject: { commonName: 'bob' }, usage: 'client' });
  certs.serverUsage = await issueCertificate(ca, { subject: { commonName: 'bob' }, usage: 'server' });

  // The apiserver's answers: system:masters and bob may do anything, carol (a token user) may read, nobody else anything.
  const authorizer = new WebhookAuthorizer({
    review: async (spec) => {
      reviews.push(spec);
      const ok = (spec.groups ?? []).includes('system:masters') || spec.user === 'bob' || (spec.user === 'carol' && spec.resourceAttributes?.verb === 'get');
      return { allowed: ok, denied: !ok };
    },
  });
  const tokens = new TokenWebhookAuthenticator({
    log,
    review: async (token) => (token === 'carol-token' ? { authenticated: true, user: { username: 'carol', uid: 'u-1', groups: ['viewers'] } } : { authenticated: false }),
  });
  const auth = new KubeletAuth({ authenticator: new RequestAuthenticator([new X509Authenticator(), tokens], false), authorizer, nodeName: NODE, log });
  app = buildServer({ log, workers: () => [], healthy: () => true, tls: { cert: serving.certPem, key: serving.keyPem, clientCa: ca.certPem }, auth });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await app?.close();
});

describe('kubelet API authentication', () => {
  it('serves /healthz to anyone and refuses everything else without a credential', async () => {
    expect(await call('/healthz')).toEqual({ status: 200, body: 'ok' });
    expect(await call('/pods')).toEqual({ status: 401, body: 'Unauthorized' });
    expect(await call('/livez')).toEqual({ status: 401, body: 'Unauthorized' });
    expect(await call('/no-such-path')).toEqual({ status: 401, body: 'Unauthorized' });
  });

  it('refuses a certificate from another CA, and one not made for client auth', async () => {
    expect(await call('/pods', { who: certs.stranger })).toEqual({ status: 401, body: 'Unauthorized' });
    expect(await call('/pods', { who: certs.serverUsage })).toEqual({ status: 401, body: 'Unauthorized' });
  });

  it('serves https only', async () => {
    const plain = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, (err: Error) => err.message);
    expect(plain).toBe('fetch failed');
  });

  it('takes bearer tokens the TokenReview accepts, and refuses others', async () => {
    expect((await call('/pods', { token: 'carol-token' })).status).toBe(200);
    expect(await call('/pods', { token: 'forged' })).toEqual({ status: 401, body: 'Unauthorized' });
    expect(reviews.at(-1)).toMatchObject({ user: 'carol', uid: 'u-1', groups: ['viewers', 'system:authenticated'] });
  });
});

describe('kubelet API authorization', () => {
  it('refuses what the SubjectAccessReview denies, with kube\'s text', async () => {
    expect(await call('/pods', { who: certs.alice })).toEqual({ status: 403, body: 'Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)' });
    expect(await call('/exec/default/web/main?command=ls', { who: certs.alice, method: 'POST' }))
      .toEqual({ status: 403, body: 'Forbidden (user=alice, verb=create, resource=nodes, subresource=proxy)' });
    expect(await call('/metrics', { who: certs.alice })).toEqual({ status: 403, body: 'Forbidden (user=alice, verb=get, resource=nodes, subresource=metrics)' });
    expect(reviews.find((r) => r.user === 'alice')).toEqual({
      resourceAttributes: { namespace: '', verb: 'get', group: '', version: 'v1', resource: 'nodes', subresource: 'proxy', name: NODE },
      user: 'alice', groups: ['devs', 'system:authenticated'],
    });
  });

  it('serves what it allows', async () => {
    const pods = await call('/pods', { who: certs.bob });
    expect(pods.status).toBe(200);
    expect(JSON.parse(pods.body)).toMatchObject({ kind: 'PodList', items: [] });
    expect((await call('/metrics', { who: certs.apiserver })).status).toBe(200);
    expect(reviews.at(-1)).toMatchObject({ user: 'kube-apiserver-kubelet-client', groups: ['system:masters', 'system:authenticated'], resourceAttributes: { subresource: 'metrics' } });
    expect((await call('/containerLogs/default/absent/main', { who: certs.bob })).status).toBe(404);
  });

  it('refuses a path that would be read as another one', async () => {
    expect(await call('/metrics/../pods', { who: certs.bob })).toEqual({ status: 400, body: 'invalid request path' });
    expect(await call('/metrics/%2e%2e/exec/default/web/main', { who: certs.bob })).toEqual({ status: 400, body: 'invalid request path' });
  });
});

describe('WebSocket upgrades', () => {
  it('are refused before upgrading: 401 without a credential, 403 when denied; allowed ones reach the handler', async () => {
    const exec = '/exec/default/web/main?command=ls&stdout=true';
    expect(await upgrade(exec)).toEqual({ status: 401, body: 'Unauthorized' });
    expect(await upgrade(exec, certs.stranger)).toEqual({ status: 401, body: 'Unauthorized' });
    // A WebSocket upgrade is a GET: kube authorizes it as `get nodes/proxy`.
    expect(await upgrade(exec, certs.alice)).toEqual({ status: 403, body: 'Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)' });
    expect(await upgrade(exec, certs.bob)).toEqual({ status: 404, body: 'pod default/web not found' });
  });
});
