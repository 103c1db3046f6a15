/** Writing credentials: temp file then rename (a reader sees the old file or the new, never half), mode 0600. */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildKubeconfig } from '@tinykube/client';

export function writePrivateFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** A kubeconfig whose user is a certificate and key on disk (kube's kubelet.conf after TLS bootstrap). */
export function writeCertKubeconfig(file: string, o: { server: string; caPem?: string; certFile: string; keyFile: string; servername?: string }): void {
  const doc = buildKubeconfig({ server: o.server, name: 'default', certificateAuthorityPem: o.caPem });
  doc.users[0]!.user = { 'client-certificate': o.certFile, 'client-key': o.keyFile };
  if (o.servername) doc.clusters[0]!.cluster['tls-server-name'] = o.servername;
  // JSON is YAML: every kubeconfig reader takes it
  writePrivateFile(file, `${JSON.stringify(doc, null, 2)}\n`);
}
