import { humanDuration } from '../age.js';
import type { TableColumn } from '../registry-types.js';
import type { CertificateSigningRequest } from '../schemas/certificates.js';
import { ageColumn, column, nameColumn } from './common.js';

// kube-apiserver's printer for certificates.k8s.io/v1 CertificateSigningRequests (pkg/printers/internalversion).

/** CONDITION: Denied, Approved or Pending, then `,Failed` and `,Issued` (kube's extractCSRStatus). */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (csr.status?.certificate) s += ',Issued';
  return s;
}

export const certificateSigningRequestColumns: TableColumn[] = [
  nameColumn,
  ageColumn,
  column<CertificateSigningRequest>('SignerName', 'string', 'signerName indicates the requested signer, and is a qualified name.', (c) => c.spec.signerName || '<none>'),
  column<CertificateSigningRequest>('Requestor', 'string', 'request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" PEM block.', (c) => c.spec.username ?? ''),
  column<CertificateSigningRequest>('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.',
    (c) => (c.spec.expirationSeconds === undefined ? '<none>' : humanDuration(c.spec.expirationSeconds * 1000))),
  column<CertificateSigningRequest>('Condition', 'string', 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".', csrCondition),
];
