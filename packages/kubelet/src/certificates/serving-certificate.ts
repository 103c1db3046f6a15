/**
 * The kubelet's serving certificate from the CSR API (`--rotate-server-certificates` without `--tls-cert-file`,
 * kube's kubelet server certificate manager, first issuance only): the kubelet starts with a placeholder
 * self-signed certificate (TLS clients that check the cluster CA refuse it), and once its Node is registered asks
 * for a kubernetes.io/kubelet-serving certificate for its IP and name, writes it to the cert dir and swaps it in.
 * A valid certificate already in the cert dir is used as it is. Not rotated before it expires: a restart past
 * expiry asks again.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Backoff, isNotFound, sleep, type Clock, type RestClient } from '@tinykube/client';
import { certInfo, createCa } from '@tinykube/pki';
import type { Logger } from 'pino';
import { requestCertificate } from './csr-request.js';
import { writePrivateFile } from './credential-files.js';

export const servingCertFiles = (certDir: string) => ({
  cert: path.join(certDir, 'kubelet-server-current.crt'), key: path.join(certDir, 'kubelet-server-current.key'),
  placeholderCert: path.join(certDir, 'kubelet-placeholder.crt'), placeholderKey: path.join(certDir, 'kubelet-placeholder.key'),
});

/** The files to start serving with, and whether they are the issued ones (else a placeholder was written). */
export async function initialServingFiles(certDir: string, nodeName: string, now: Date): Promise<{ cert: string; key: string; issued: boolean }> {
  const f = servingCertFiles(certDir);
  if (existsSync(f.cert) && existsSync(f.key)) {
    try {
      if (certInfo(readFileSync(f.cert, 'utf8')).notAfter > now) return { cert: f.cert, key: f.key, issued: true };
    } catch { /* unreadable: ask again */ }
  }
  const placeholder = await createCa(`system:node:${nodeName} (placeholder)`, 1, now);
  writePrivateFile(f.placeholderKey, placeholder.keyPem);
  writePrivateFile(f.placeholderCert, placeholder.certPem);
  return { cert: f.placeholderCert, key: f.placeholderKey, issued: false };
}

export interface ServingCertificateOptions {
  client: RestClient;
  nodeName: string;
  nodeIP: string;
  certDir: string;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  /** Swaps the issued certificate into the running server. */
  onIssued(tls: { cert: string; key: string }): void;
}

/** Waits for the Node, then requests the serving certificate until it is issued (errors are logged and retried). */
export async function obtainServingCertificate(o: ServingCertificateOptions): Promise<void> {
  const log = o.log.child({ component: 'serving-certificate' });
  const backoff = new Backoff({ initialMs: 1_000, maxMs: 30_000 });
  const nodes = { group: '', version: 'v1', plural: 'nodes', namespaced: false } as const;
  for (;;) {
    try {
      // the approver checks the SANs against the Node's addresses: they must be published first
      await o.client.get(nodes, o.nodeName, { signal: o.signal });
      const issued = await requestCertificate(o.client, {
        subject: { commonName: `system:node:${o.nodeName}`, organizations: ['system:nodes'] },
        sans: [o.nodeIP, o.nodeName],
        signerName: 'kubernetes.io/kubelet-serving',
        usages: ['digital signature', 'server auth'],
        namePrefix: 'csr-',
      }, { clock: o.clock, signal: o.signal });
      const f = servingCertFiles(o.certDir);
      writePrivateFile(f.key, issued.keyPem);
      writePrivateFile(f.cert, issued.certPem);
      o.onIssued({ cert: issued.certPem, key: issued.keyPem });
      log.info({ csr: issued.name, notAfter: certInfo(issued.certPem).notAfter.toISOString() }, 'serving certificate issued');
      return;
    } catch (err) {
      if (o.signal?.aborted) return;
      const delay = backoff.next();
      log.info({ reason: isNotFound(err) ? 'node not registered yet' : (err as Error).message, retryInMs: Math.round(delay) }, 'serving certificate not obtained yet; retrying');
      await sleep(o.clock, delay, o.signal).catch(() => undefined);
    }
  }
}
