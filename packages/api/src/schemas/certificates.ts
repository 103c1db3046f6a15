import { z } from 'zod';
import { kindSchema, listSchema } from './meta.js';
import { TimeSchema } from './primitives.js';

// certificates.k8s.io/v1: CertificateSigningRequest. As in Go, absent strings and lists decode as their zero
// value and validation words the complaint (spec.signerName: Required value), so they default here.

export const CERTIFICATES_GROUP = 'certificates.k8s.io';

/** The signers Kubernetes defines (kube's certificates.k8s.io/v1 constants). */
export const SIGNER_KUBE_APISERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';
export const SIGNER_KUBE_APISERVER_CLIENT_KUBELET = 'kubernetes.io/kube-apiserver-client-kubelet';
export const SIGNER_KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
export const SIGNER_LEGACY_UNKNOWN = 'kubernetes.io/legacy-unknown';

/** KeyUsage values of the API (x509 key usages and extended key usages, by kube's names). */
export const KEY_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment',
  'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing',
  'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing',
  'microsoft sgc', 'netscape sgc',
] as const;

export const CertificateSigningRequestSpecSchema = z.looseObject({
  /** base64 of a PEM `CERTIFICATE REQUEST` (PKCS#10) */
  request: z.string().default(''),
  signerName: z.string().default(''),
  /** requested lifetime; the signer may issue a shorter one (min 600) */
  expirationSeconds: z.number().int().optional(),
  usages: z.array(z.string()).default(() => []),
  // Set by the apiserver from the requesting user on create; anything a client sends is replaced.
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
}).describe('The certificate request: the PEM-encoded CSR, the signer to ask, and the usages wanted.');
export type CertificateSigningRequestSpec = z.infer<typeof CertificateSigningRequestSpecSchema>;

export const CertificateSigningRequestConditionSchema = z.looseObject({
  /** Approved, Denied, Failed (others are allowed) */
  type: z.string().default(''),
  status: z.string().default(''),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastUpdateTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
});
export type CertificateSigningRequestCondition = z.infer<typeof CertificateSigningRequestConditionSchema>;

export const CertificateSigningRequestStatusSchema = z.looseObject({
  conditions: z.array(CertificateSigningRequestConditionSchema).optional(),
  /** base64 of the issued PEM certificate(s), set by the signer through /status; immutable once set */
  certificate: z.string().optional(),
}).describe('The approval conditions and, once signed, the issued certificate.');
export type CertificateSigningRequestStatus = z.infer<typeof CertificateSigningRequestStatusSchema>;

export const CertificateSigningRequestSchema = kindSchema({
  spec: CertificateSigningRequestSpecSchema.default(() => ({ request: '', signerName: '', usages: [] })),
  status: CertificateSigningRequestStatusSchema.optional(),
}).describe('A CertificateSigningRequest asks a signer for an X.509 certificate; it is issued once approved.');
export type CertificateSigningRequest = z.infer<typeof CertificateSigningRequestSchema>;
export const CertificateSigningRequestListSchema = listSchema(CertificateSigningRequestSchema);
export type CertificateSigningRequestList = z.infer<typeof CertificateSigningRequestListSchema>;

/** kube's GetCertApprovalCondition: whether an Approved or a Denied condition is present. */
export function approvalState(csr: { status?: CertificateSigningRequestStatus }): { approved: boolean; denied: boolean } {
  let approved = false;
  let denied = false;
  for (const c of csr.status?.conditions ?? []) {
    if (c.type === 'Approved') approved = true;
    if (c.type === 'Denied') denied = true;
  }
  return { approved, denied };
}

/** Whether a condition of `type` with status True is present (kube's HasTrueCondition). */
export function hasTrueCondition(csr: { status?: CertificateSigningRequestStatus }, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}
