import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, connect } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { caCertHash, certInfo, CertificateError, checkValidity, createCa, createCsr, ensureClusterPki, issueCertificate, parseCsr } from './index.js';

describe('x509', () => {
  it('issues a serving cert that a TLS client verifies against the CA, and a client cert the server verifies', async () => {
    const ca = await createCa('test-ca');
    const server = await issueCertificate(ca, { subject: { commonName: 'srv' }, usage: 'server', sans: ['127.0.0.1', 'localhost'] });
    const client = await issueCertificate(ca, { subject: { commonName: 'alice', organizations: ['devs', 'system:masters'] }, usage: 'client' });
    const srv = createServer({ cert: server.certPem, key: server.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (s) => {
      const peer = s.getPeerCertificate();
      s.end(`${peer.subject.CN}|${([] as string[]).concat(peer.subject.O ?? []).join(',')}`);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const answer = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, ca: ca.certPem, cert: client.certPem, key: client.keyPem }, () => {
        let buf = '';
        s.on('data', (d) => { buf += d; });
        s.on('end', () => resolve(buf));
      });
      s.on('error', reject);
    });
    srv.close();
    expect(answer).toBe('alice|devs,system:masters');
  });

  it('reads subject, SANs and validity; refuses an expired certificate with a clear error', async () => {
    const ca = await createCa('test-ca');
    const old = await issueCertificate(ca, { subject: { commonName: 'old' }, usage: 'client', validDays: 1, now: new Date('2020-01-01T00:00:00Z') });
    expect(() => checkValidity(old.certPem, '/x/old.crt')).toThrow(CertificateError);
    expect(() => checkValidity(old.certPem, '/x/old.crt')).toThrow(/\/x\/old.crt: certificate "old" expired at 2020-01-02/);
    const s = await issueCertificate(ca, { subject: { commonName: 's' }, usage: 'server', sans: ['10.0.0.1', 'kubernetes.default'] });
    const info = certInfo(s.certPem);
    expect([...info.sans].sort()).toEqual(['10.0.0.1', 'kubernetes.default']);
    expect(certInfo(ca.certPem).isCa).toBe(true);
    expect(info.isCa).toBe(false);
  });

  it('round-trips a CSR and pins the CA as kubeadm does', async () => {
    const { csrPem } = await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] });
    const parsed = await parseCsr(csrPem);
    expect(parsed.subject).toEqual({ commonName: 'system:node:w1', organizations: ['system:nodes'] });
    expect(parsed.signatureValid).toBe(true);
    const ca = await createCa();
    const signed = await issueCertificate(ca, { subject: parsed.subject, usage: 'client', publicKeyPem: parsed.publicKeyPem });
    expect(signed.keyPem).toBe('');
    expect(certInfo(signed.certPem).subject.commonName).toBe('system:node:w1');
    expect(await caCertHash(ca.certPem)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('ensureClusterPki', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('makes the whole layout once, keeps it on the next run, and re-issues a serving cert only for a new SAN', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tk-pki-'));
    dirs.push(dir);
    const p = await ensureClusterPki({ dir, apiserverSans: ['127.0.0.1', 'kubernetes'], storeSans: ['127.0.0.1'], nodes: [{ name: 'w1', ip: '127.0.1.2' }] });
    const ca1 = readFileSync(p.ca.cert, 'utf8');
    const admin1 = readFileSync(p.admin.cert, 'utf8');
    expect(certInfo(admin1).subject).toEqual({ commonName: 'kubernetes-admin', organizations: ['system:masters'] });
    expect(certInfo(readFileSync(p.node('w1').client.cert, 'utf8')).subject).toEqual({ commonName: 'system:node:w1', organizations: ['system:nodes'] });
    expect(statSync(p.ca.key).mode & 0o777).toBe(0o600);
    const again = await ensureClusterPki({ dir, apiserverSans: ['127.0.0.1', 'kubernetes', '10.0.0.5'], storeSans: ['127.0.0.1'] });
    expect(readFileSync(again.ca.cert, 'utf8')).toBe(ca1);
    expect(readFileSync(again.admin.cert, 'utf8')).toBe(admin1);
    expect(certInfo(readFileSync(again.apiserver.cert, 'utf8')).sans).toContain('10.0.0.5');
  });
});
