import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The --root-ca-file bundle, as published in every namespace's kube-root-ca.crt. Like kube's readCA, the file
 * must hold at least one parseable certificate; its text is returned unchanged.
 */
export function readRootCA(file: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    const blocks = text.match(PEM_CERT) ?? [];
    if (blocks.length === 0) throw new Error('data does not contain any valid RSA or ECDSA certificates');
    for (const b of blocks) new X509Certificate(b);
    return text;
  } catch (err) {
    throw new Error(`error parsing root-ca-file at ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
