import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectLike, ResourceRef } from '@tinykube/client';
import { createCa, issueCertificate } from '@tinykube/pki';
import { TlsFileError } from '../serving-tls.js';
import { kubeletSecurity, SecurityConfigError, type SecurityFlags } from './setup.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-kubelet-security-'));
const tlsFlags: SecurityFlags = { tlsCertFile: join(dir, 'kubelet.crt'), tlsPrivateKeyFile: join(dir, 'kubelet.key') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const ca = await createCa('kubernetes');
  const serving = await issueCertificate(ca, { subject: { commonName: 'system:node:n1' }, usage: 'server', sans: ['127.0.0.1'] });
  writeFileSync(join(dir, 'ca.crt'), ca.certPem);
  writeFileSync(join(dir, 'kubelet.crt'), serving.certPem);
  writeFileSync(join(dir, 'kubelet.key'), serving.keyPem);
});

/** A logger that keeps what it was told, and a client that records the reviews it is asked to create. */
function deps(withClient: boolean) {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  const posted: string[] = [];
  const client = {
    create: async <T,>(res: ResourceRef, obj: ObjectLike) => {
      posted.push(res.plural);
      const status = res.plural === 'tokenreviews' ? { authenticated: true, user: { username: 'carol' } } : { allowed: true };
      return { ...obj, status } as T;
    },
  };
  return { lines, posted, d: { client: withClient ? client : undefined, nodeName: 'n1', log } };
}

const fakeReq = (headers: Record<string, string>, url = '/pods') => ({ url, method: 'GET', headers, socket: {} }) as never;

describe('kubeletSecurity', () => {
  it('without TLS files: plain HTTP, no auth, and a warning', () => {
    const { lines, d } = deps(true);
    expect(kubeletSecurity({}, d)).toEqual({});
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: expect.stringContaining('plain HTTP') })]);
  });

  it('refuses auth flags without TLS, half a key pair and unknown modes', () => {
    const { d } = deps(true);
    expect(() => kubeletSecurity({ authorizationMode: 'Webhook', clientCaFile: 'x' }, d)).toThrow(new SecurityConfigError('--client-ca-file, --authorization-mode need --tls-cert-file and --tls-private-key-file: without them the kubelet API is plain HTTP with no authentication'));
    expect(() => kubeletSecurity({ tlsCertFile: 'x' }, d)).toThrow('--tls-cert-file and --tls-private-key-file go together');
    expect(() => kubeletSecurity({ ...tlsFlags, authorizationMode: 'RBAC' }, d)).toThrow('--authorization-mode: unknown mode "RBAC"');
    expect(() => kubeletSecurity({ ...tlsFlags, clientCaFile: join(dir, 'absent.crt') }, d)).toThrow(TlsFileError);
  });

  it('with a kubeconfig: token webhook and Webhook authorization by default, anonymous off', async () => {
    const { posted, d } = deps(true);
    const s = kubeletSecurity({ ...tlsFlags, clientCaFile: join(dir, 'ca.crt') }, d);
    expect(s.tls?.clientCa).toContain('BEGIN CERTIFICATE');
    expect(await s.auth!.check(fakeReq({}))).toEqual({ code: 401, message: 'Unauthorized' });
    expect(await s.auth!.check(fakeReq({ authorization: 'Bearer t' }))).toBeUndefined();
    expect(posted).toEqual(['tokenreviews', 'subjectaccessreviews']);
  });

  it('standalone: AlwaysAllow, no token webhook; asking for a webhook without a kubeconfig is an error', async () => {
    const { d } = deps(false);
    const s = kubeletSecurity({ ...tlsFlags, anonymousAuth: true }, d);
    expect(await s.auth!.check(fakeReq({}))).toBeUndefined();
    expect(() => kubeletSecurity({ ...tlsFlags, authorizationMode: 'Webhook' }, d)).toThrow('--authorization-mode Webhook needs --kubeconfig');
    expect(() => kubeletSecurity({ ...tlsFlags, authenticationTokenWebhook: true }, d)).toThrow('--authentication-token-webhook needs --kubeconfig');
  });
});
