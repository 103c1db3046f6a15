/**
 * Getting a certificate through the CSR API, as client-go's util/certificate/csr does for the kubelet: a new
 * ECDSA key, a CertificateSigningRequest for `signerName`, then the request is watched (polled, with backoff) until
 * a signer issues it — or it is denied or fails, which are errors. The issued certificate must be for our key.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { sleep, type Clock, type RestClient } from '@tinykube/client';
import { createCsr, type Subject } from '@tinykube/pki';
import type { CertificateSigningRequest } from '@tinykube/api';

export const CSR_RESOURCE = { group: 'certificates.k8s.io', version: 'v1', plural: 'certificatesigningrequests', namespaced: false } as const;

export interface CertificateRequest {
  subject: Subject;
  /** IPs and DNS names (serving certificates) */
  sans?: string[];
  signerName: string;
  usages: string[];
  /** CSR names are `<prefix><hash of the request>` (kube: node-csr-… for kubelet client certificates) */
  namePrefix: string;
}

export interface WaitOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** give up on this request after (default 15 min; the caller makes a new one) */
  timeoutMs?: number;
}

export class CertificateRequestRefused extends Error {
  constructor(readonly csr: string, readonly condition: 'Denied' | 'Failed', readonly reason: string, message: string) {
    super(`certificate signing request ${csr} is ${condition === 'Denied' ? 'denied' : 'failed'}, reason: ${reason}, message: ${message}`);
    this.name = 'CertificateRequestRefused';
  }
}

function condition(csr: CertificateSigningRequest, type: string) {
  return (csr.status?.conditions ?? []).find((c) => c.type === type && c.status === 'True');
}

/** Creates the CSR and waits for its certificate; resolves with the PEM certificate and its (new) key. */
export async function requestCertificate(client: RestClient, r: CertificateRequest, o: WaitOptions): Promise<{ certPem: string; keyPem: string; name: string }> {
  const { csrPem, keyPem } = await createCsr(r.subject, r.sans ?? []);
  const name = `${r.namePrefix}${createHash('sha256').update(csrPem).digest('base64url').slice(0, 32).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const body: CertificateSigningRequest = {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName: r.signerName, usages: r.usages },
  };
  await client.create(CSR_RESOURCE, body, { signal: o.signal });
  const deadline = o.clock.now() + (o.timeoutMs ?? 15 * 60_000);
  let delay = 200;
  for (;;) {
    const csr = await client.get<CertificateSigningRequest>(CSR_RESOURCE, name, { signal: o.signal });
    const refused = condition(csr, 'Denied') ?? condition(csr, 'Failed');
    if (refused) throw new CertificateRequestRefused(name, refused.type as 'Denied' | 'Failed', refused.reason ?? '', refused.message ?? '');
    const b64 = csr.status?.certificate;
    if (b64) {
      const certPem = Buffer.from(b64, 'base64').toString('utf8');
      const issuedKey = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
      const ourKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
      if (!issuedKey.equals(ourKey)) throw new Error(`certificate signing request ${name}: the issued certificate is not for our key`);
      return { certPem, keyPem, name };
    }
    if (o.clock.now() > deadline) throw new Error(`timed out waiting for certificate signing request ${name} to be issued`);
    await sleep(o.clock, delay, o.signal);
    delay = Math.min(5_000, delay * 2);
  }
}
