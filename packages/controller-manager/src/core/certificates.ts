import type { CertificateRequestInfo } from '@tinykube/api';

/**
 * What makes a CSR a kubelet's (kube's pkg/apis/certificates helpers ValidateKubeletClientCSR and
 * ValidateKubeletServingCSR): the approver recognises requests with them, the signer refuses requests without.
 * Each returns the first rule broken, worded as kube, or undefined.
 */

const NODE_PREFIX = 'system:node:';

function sameSet(usages: readonly string[], wanted: readonly string[]): boolean {
  const u = new Set(usages);
  return u.size === wanted.length && wanted.every((w) => u.has(w));
}

function nodeSubjectError(req: CertificateRequestInfo): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (!req.commonName.startsWith(NODE_PREFIX)) return 'subject common name does not begin with system:node:';
  return undefined;
}

const CLIENT_USAGES = ['client auth', 'digital signature', 'key encipherment'];
const CLIENT_USAGES_NO_RSA = ['client auth', 'digital signature'];

export function kubeletClientCsrError(req: CertificateRequestInfo, usages: readonly string[]): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (req.dnsNames.length > 0) return 'DNS subjectAltNames are not allowed';
  if (req.emailAddresses.length > 0) return 'Email subjectAltNames are not allowed';
  if (req.ipAddresses.length > 0) return 'IP subjectAltNames are not allowed';
  if (req.uris.length > 0) return 'URI subjectAltNames are not allowed';
  if (!req.commonName.startsWith(NODE_PREFIX)) return 'subject common name does not begin with system:node:';
  if (!sameSet(usages, CLIENT_USAGES) && !sameSet(usages, CLIENT_USAGES_NO_RSA)) return `usages did not match [${CLIENT_USAGES.join(' ')}]`;
  return undefined;
}

const SERVING_USAGES = ['digital signature', 'key encipherment', 'server auth'];
const SERVING_USAGES_NO_RSA = ['digital signature', 'server auth'];

export function kubeletServingCsrError(req: CertificateRequestInfo, usages: readonly string[]): string | undefined {
  const subject = nodeSubjectError(req);
  if (subject) return subject;
  if (req.dnsNames.length === 0 && req.ipAddresses.length === 0) return 'DNS or IP subjectAltName is required';
  if (req.emailAddresses.length > 0) return 'Email subjectAltNames are not allowed';
  if (req.uris.length > 0) return 'URI subjectAltNames are not allowed';
  if (!sameSet(usages, SERVING_USAGES) && !sameSet(usages, SERVING_USAGES_NO_RSA)) return `usages did not match [${SERVING_USAGES.join(' ')}]`;
  return undefined;
}

/** kubernetes.io/kube-apiserver-client: client auth required, digital signature and key encipherment optional. */
export function apiserverClientUsagesError(usages: readonly string[]): string | undefined {
  let clientAuth = false;
  for (const u of usages) {
    if (u === 'client auth') clientAuth = true;
    else if (u !== 'digital signature' && u !== 'key encipherment') return `invalid usage for client certificate: ${u}`;
  }
  return clientAuth ? undefined : 'missing required usage for client certificate: client auth';
}

/** The node a `system:node:NAME` common name names. */
export function nodeOfCommonName(cn: string): string | undefined {
  return cn.startsWith(NODE_PREFIX) && cn.length > NODE_PREFIX.length ? cn.slice(NODE_PREFIX.length) : undefined;
}
