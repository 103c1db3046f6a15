import { X509Certificate } from 'node:crypto';
import type { CertificateSigningRequest } from '@tinykube/api';
import { certInfo, createCa, createCsr, type CertAndKey } from '@tinykube/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeActions, FakeLister, TestClock } from '../../core/fake.js';
import { certificateDuration, syncCsrSigning } from './sync.js';

const YEAR = 8760 * 3_600_000;
let ca: CertAndKey;
let clientCsr: string;
let servingCsr: string;

beforeAll(async () => {
  ca = await createCa('test-ca');
  clientCsr = Buffer.from((await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] })).csrPem).toString('base64');
  servingCsr = Buffer.from((await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] }, ['10.0.0.5', 'w1'])).csrPem).toString('base64');
});

const approved = { conditions: [{ type: 'Approved', status: 'True', reason: 'AutoApproved' }] };

function csr(name: string, spec: Partial<CertificateSigningRequest['spec']> = {}, status: CertificateSigningRequest['status'] = approved): CertificateSigningRequest {
  return {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name, resourceVersion: '4' },
    spec: { request: clientCsr, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], username: 'system:bootstrap:abcdef', ...spec },
    status,
  };
}

function setup(csrs: CertificateSigningRequest[]) {
  const clock = new TestClock(Date.now());
  const lister = new FakeLister({ certificatesigningrequests: csrs });
  const actions = new FakeActions(lister);
  return { clock, actions, deps: { lister, actions, now: clock.now, ca, durationMs: YEAR } };
}

const issued = (actions: FakeActions) => {
  const b64 = (actions.of('update')[0]!.object as CertificateSigningRequest).status!.certificate!;
  return Buffer.from(b64, 'base64').toString('utf8');
};

describe('syncCsrSigning', () => {
  it('issues an approved kubelet client CSR: subject from the request, client auth, signed by the CA, a year by default', async () => {
    const { actions, clock, deps } = setup([csr('c1')]);
    await syncCsrSigning(deps, 'c1');
    expect(actions.summary()).toEqual(['update certificatesigningrequests c1/status']);
    const pem = issued(actions);
    const x = new X509Certificate(pem);
    expect(x.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    const info = certInfo(pem);
    expect(info.subject).toEqual({ commonName: 'system:node:w1', organizations: ['system:nodes'] });
    expect(info.notBefore.getTime()).toBeLessThanOrEqual(clock.t - 5 * 60_000 + 1000);
    expect(Math.abs(info.notAfter.getTime() - (clock.t + YEAR))).toBeLessThan(1000);
  });

  it('honours expirationSeconds below the default (10 minutes at least), never past the default', () => {
    expect(certificateDuration(3600, YEAR)).toBe(3_600_000);
    expect(certificateDuration(60, YEAR)).toBe(600_000);
    expect(certificateDuration(10 * 365 * 86_400, YEAR)).toBe(YEAR);
    expect(certificateDuration(undefined, YEAR)).toBe(YEAR);
  });

  it('issues kubelet-serving certificates with the requested SANs and server auth', async () => {
    const { actions, deps } = setup([csr('s1', { request: servingCsr, signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'], expirationSeconds: 7200 })]);
    await syncCsrSigning(deps, 's1');
    const pem = issued(actions);
    const info = certInfo(pem);
    expect([...info.sans].sort()).toEqual(['10.0.0.5', 'w1']);
    expect(new X509Certificate(pem).keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(info.notAfter.getTime() - info.notBefore.getTime()).toBeCloseTo(7200_000 + 300_000, -4);
  });

  it('a request its signer refuses gets Failed/SignerValidationFailure, no certificate', async () => {
    const { actions, deps } = setup([csr('bad', { usages: ['digital signature', 'client auth', 'server auth'] })]);
    await syncCsrSigning(deps, 'bad');
    const written = actions.of('update')[0]!.object as CertificateSigningRequest;
    expect(written.status?.certificate).toBeUndefined();
    expect(written.status?.conditions?.[1]).toEqual({ type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: 'usages did not match [client auth digital signature key encipherment]' });
  });

  it('ignores pending, denied, failed, issued requests and other signers', async () => {
    const { actions, deps } = setup([
      csr('pending', {}, {}),
      csr('denied', {}, { conditions: [{ type: 'Denied', status: 'True' }] }),
      csr('failed', {}, { conditions: [...approved.conditions, { type: 'Failed', status: 'True' }] }),
      csr('done', {}, { ...approved, certificate: 'eA==' }),
      csr('custom', { signerName: 'example.com/mine' }),
    ]);
    for (const n of ['pending', 'denied', 'failed', 'done', 'custom', 'gone']) await syncCsrSigning(deps, n);
    expect(actions.summary()).toEqual([]);
  });
});
