/**
 * The kubelet's TLS bootstrap (`--bootstrap-kubeconfig`, kube's pkg/kubelet/certificate/bootstrap): when the
 * `--kubeconfig` file is missing, or its client certificate expired, the kubelet authenticates with the bootstrap
 * kubeconfig (a bootstrap token), asks for a kubernetes.io/kube-apiserver-client-kubelet certificate as
 * system:node:NAME in system:nodes, and once it is issued writes the key, the certificate and a kubeconfig pointing
 * at them (server and CA from the bootstrap kubeconfig). Refusals and errors are logged and retried with backoff.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Backoff, loadKubeconfig, RestClient, sleep, type Clock } from '@tinykube/client';
import { certInfo } from '@tinykube/pki';
import type { Logger } from 'pino';
import { requestCertificate } from './csr-request.js';
import { writeCertKubeconfig, writePrivateFile } from './credential-files.js';

export interface TlsBootstrapOptions {
  kubeconfig: string;
  bootstrapKubeconfig: string;
  /** where the key and certificate go (`--cert-dir`) */
  certDir: string;
  nodeName: string;
  log: Logger;
  clock: Clock;
  signal?: AbortSignal;
  /** per request (default 15 min) */
  waitTimeoutMs?: number;
  backoff?: Backoff;
}

/** Why the kubeconfig needs bootstrapping, or undefined when it is usable as it is. */
export function bootstrapReason(kubeconfig: string, now: Date): string | undefined {
  if (!existsSync(kubeconfig)) return 'no kubeconfig yet';
  let cert: string | undefined;
  try {
    cert = loadKubeconfig({ kubeconfig }).tls.cert;
  } catch (err) {
    return `kubeconfig unusable: ${(err as Error).message}`;
  }
  if (!cert) return undefined; // a token or other credential: not ours to replace
  try {
    if (certInfo(cert).notAfter <= now) return 'client certificate expired';
  } catch {
    return 'client certificate unreadable';
  }
  return undefined;
}

export const clientCertFiles = (certDir: string) => ({ cert: path.join(certDir, 'kubelet-client-current.crt'), key: path.join(certDir, 'kubelet-client-current.key') });

/** Resolves once `kubeconfig` holds a valid client certificate (at once when it already does). */
export async function bootstrapClientCredentials(o: TlsBootstrapOptions): Promise<void> {
  const reason = bootstrapReason(o.kubeconfig, new Date(o.clock.now()));
  if (!reason) return;
  const log = o.log.child({ component: 'tls-bootstrap' });
  log.info({ reason, bootstrapKubeconfig: o.bootstrapKubeconfig }, 'requesting a client certificate');
  const backoff = o.backoff ?? new Backoff({ initialMs: 1_000, maxMs: 30_000 });
  for (;;) {
    let client: RestClient | undefined;
    try {
      const boot = loadKubeconfig({ kubeconfig: o.bootstrapKubeconfig });
      client = RestClient.fromKubeconfig(boot, { userAgent: 'tinykube-kubelet/0.1 (tls-bootstrap)', logger: log, clock: o.clock, maxRetries: 0 });
      const issued = await requestCertificate(client, {
        subject: { commonName: `system:node:${o.nodeName}`, organizations: ['system:nodes'] },
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        // an ECDSA key: no key encipherment (kube's kubelet asks the same)
        usages: ['digital signature', 'client auth'],
        namePrefix: 'node-csr-',
      }, { clock: o.clock, signal: o.signal, timeoutMs: o.waitTimeoutMs });
      const files = clientCertFiles(o.certDir);
      writePrivateFile(files.key, issued.keyPem);
      writePrivateFile(files.cert, issued.certPem);
      writeCertKubeconfig(o.kubeconfig, { server: boot.server, caPem: boot.tls.ca, certFile: files.cert, keyFile: files.key, servername: boot.tls.servername });
      log.info({ csr: issued.name, kubeconfig: o.kubeconfig, notAfter: certInfo(issued.certPem).notAfter.toISOString() }, 'client certificate issued');
      return;
    } catch (err) {
      if (o.signal?.aborted) throw err;
      const delay = backoff.next();
      log.warn({ reason: (err as Error).message, retryInMs: Math.round(delay) }, 'TLS bootstrap failed; retrying');
      await sleep(o.clock, delay, o.signal);
    } finally {
      await client?.close();
    }
  }
}
