import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Backoff, loadKubeconfig, writeKubeconfig, type Clock } from '@tinykube/client';
import { certInfo, createCa, issueCertificate, signCertificateRequest, type CertAndKey } from '@tinykube/pki';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapClientCredentials, bootstrapReason } from './tls-bootstrap.js';

/** Timers fire at once and move time forward: retries and polls without waiting. */
function instantClock(): Clock {
  let t = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => t, setTimer: (fn, ms) => { t += ms; const h = setImmediate(fn); return () => clearImmediate(h); } };
}

const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
let dir: string;
let ca: CertAndKey;
let server: Server;
let url: string;
/** What the fake apiserver does with each new CSR, in order: refuse the token, deny, then issue on the second look. */
let plan: ('unauthorized' | 'deny' | 'issue')[];
const created: { name: string; spec: { request: string; signerName: string; usages: string[] }; looks: number; outcome: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tk-tls-bootstrap-'));
  ca = await createCa('test-ca');
  server = createServer((req, res) => {
    const send = (code: number, body: unknown) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', async () => {
      if (req.method === 'POST' && req.url === CSRS) {
        const outcome = plan.shift() ?? 'issue';
        if (outcome === 'unauthorized') return send(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401, message: 'Unauthorized' });
        const csr = JSON.parse(raw);
        created.push({ name: csr.metadata.name, spec: csr.spec, looks: 0, outcome });
        return send(201, csr);
      }
      const c = created.find((x) => req.url === `${CSRS}/${x.name}`);
      if (req.method !== 'GET' || !c) return send(404, { kind: 'Status', reason: 'NotFound', code: 404 });
      c.looks++;
      const obj: Record<string, unknown> = { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: c.name }, spec: c.spec, status: {} };
      if (c.outcome === 'deny') obj.status = { conditions: [{ type: 'Denied', status: 'True', reason: 'Nope', message: 'not today' }] };
      if (c.outcome === 'issue' && c.looks >= 2) {
        const now = Date.now();
        const cert = await signCertificateRequest(ca, { csrPem: Buffer.from(c.spec.request, 'base64').toString(), usages: c.spec.usages, notBefore: new Date(now - 60_000), notAfter: new Date(now + 3_600_000) });
        obj.status = { conditions: [{ type: 'Approved', status: 'True' }], certificate: Buffer.from(cert).toString('base64') };
      }
      send(200, obj);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('bootstrapClientCredentials', () => {
  it('keeps retrying refusals (401, Denied) with backoff and logs why, then writes key, certificate and kubeconfig (0600)', async () => {
    plan = ['unauthorized', 'deny', 'issue'];
    const bootstrapKubeconfig = path.join(dir, 'bootstrap.conf');
    await writeKubeconfig(bootstrapKubeconfig, { server: url, name: 'boot', token: 'abcdef.0123456789abcdef', certificateAuthorityPem: ca.certPem });
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }));
    const kubeconfig = path.join(dir, 'kubelet.conf');
    const certDir = path.join(dir, 'pki');
    await bootstrapClientCredentials({ kubeconfig, bootstrapKubeconfig, certDir, nodeName: 'w1', log, clock: instantClock(), backoff: new Backoff({ initialMs: 10, maxMs: 20 }) });

    const retries = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'TLS bootstrap failed; retrying').map((l) => l.reason);
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(/Unauthorized/);
    expect(retries[1]).toMatch(/^certificate signing request node-csr-\S+ is denied, reason: Nope, message: not today$/);
    expect(created.map((c) => c.spec.signerName)).toEqual(['kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kube-apiserver-client-kubelet']);
    expect(created[1]!.spec.usages).toEqual(['digital signature', 'client auth']);
    const kc = loadKubeconfig({ kubeconfig });
    expect(kc.server).toBe(url);
    expect(kc.tls.ca).toBe(ca.certPem);
    expect(certInfo(kc.tls.cert!).subject).toEqual({ commonName: 'system:node:w1', organizations: ['system:nodes'] });
    for (const f of [kubeconfig, path.join(certDir, 'kubelet-client-current.key'), path.join(certDir, 'kubelet-client-current.crt')]) expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(bootstrapReason(kubeconfig, new Date())).toBeUndefined();
  });

  it('bootstraps again only without a kubeconfig or with an expired client certificate', async () => {
    expect(bootstrapReason(path.join(dir, 'none.conf'), new Date())).toBe('no kubeconfig yet');
    const old = await issueCertificate(ca, { subject: { commonName: 'system:node:w1', organizations: ['system:nodes'] }, usage: 'client', validDays: 1, now: new Date('2020-01-01') });
    const file = path.join(dir, 'old.conf');
    await writeKubeconfig(file, { server: url, name: 'x', clientCertificatePem: old.certPem, clientKeyPem: old.keyPem });
    expect(bootstrapReason(file, new Date())).toBe('client certificate expired');
    writeFileSync(path.join(dir, 'token.conf'), readFileSync(path.join(dir, 'bootstrap.conf')));
    expect(bootstrapReason(path.join(dir, 'token.conf'), new Date())).toBeUndefined();
  });
});
