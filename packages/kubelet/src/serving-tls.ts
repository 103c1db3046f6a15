import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkValidity } from '@tinykube/pki';

// The kubelet API's TLS material (--tls-cert-file, --tls-private-key-file, --client-ca-file), read once at
// start. Each problem names its file, so the fatal log line says which one to fix.

export interface ServingTls {
  /** PEM: the node's serving certificate (then any intermediates), signed by the cluster CA. */
  cert: string;
  key: string;
  /** PEM: the CA(s) client certificates must chain to; absent: no client certificates are asked for. */
  clientCa?: string;
}

export class TlsFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'TlsFileError';
  }
}

function read(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new TlsFileError(file, `${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function validCertificate(pem: string, file: string, flag: string, now: Date): void {
  try {
    checkValidity(pem, `${flag} ${file}`, now);
  } catch (err) {
    throw new TlsFileError(file, (err as Error).message);
  }
}

export function loadServingTls(o: { certFile: string; keyFile: string; clientCaFile?: string }, now = new Date()): ServingTls {
  const cert = read(o.certFile, '--tls-cert-file');
  validCertificate(cert, o.certFile, '--tls-cert-file', now);
  const key = read(o.keyFile, '--tls-private-key-file');
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch (err) {
    throw new TlsFileError(o.keyFile, `--tls-private-key-file ${o.keyFile}: not a PEM private key (${(err as Error).message})`);
  }
  if (!new X509Certificate(cert).checkPrivateKey(keyObject)) {
    throw new TlsFileError(o.keyFile, `--tls-private-key-file ${o.keyFile}: not the key of the certificate in ${o.certFile}`);
  }
  if (!o.clientCaFile) return { cert, key };
  const clientCa = read(o.clientCaFile, '--client-ca-file');
  validCertificate(clientCa, o.clientCaFile, '--client-ca-file', now);
  return { cert, key, clientCa };
}
