import {
  approvalState, hasTrueCondition, parseCertificateRequest, requestPem, SIGNER_KUBE_APISERVER_CLIENT,
  SIGNER_KUBE_APISERVER_CLIENT_KUBELET, SIGNER_KUBELET_SERVING, type CertificateRequestInfo, type CertificateSigningRequest,
} from '@tinykube/api';
import { signCertificateRequest, type CertAndKey } from '@tinykube/pki';
import { apiserverClientUsagesError, kubeletClientCsrError, kubeletServingCsrError } from '../../core/certificates.js';
import type { Actions, Lister, Now, SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';

export interface CsrSigningDeps {
  lister: Lister;
  actions: Actions;
  now: Now;
  /** --cluster-signing-cert-file / --cluster-signing-key-file */
  ca: CertAndKey;
  /** --cluster-signing-duration: the longest lifetime issued */
  durationMs: number;
}

/** The signers this controller is, each with what its requests must be (kube's isRequestForSignerFn). */
const SIGNERS: Record<string, (req: CertificateRequestInfo, usages: readonly string[]) => string | undefined> = {
  [SIGNER_KUBE_APISERVER_CLIENT_KUBELET]: kubeletClientCsrError,
  [SIGNER_KUBELET_SERVING]: kubeletServingCsrError,
  [SIGNER_KUBE_APISERVER_CLIENT]: (_req, usages) => apiserverClientUsagesError(usages),
};

const BACKDATE_MS = 5 * 60_000;
const MIN_DURATION_MS = 10 * 60_000;

/** kube's signer.duration: the requested expirationSeconds when shorter than the default, never under 10 minutes. */
export function certificateDuration(expirationSeconds: number | undefined, defaultMs: number): number {
  if (expirationSeconds === undefined) return defaultMs;
  const requested = expirationSeconds * 1000;
  return requested > defaultMs ? defaultMs : Math.max(requested, MIN_DURATION_MS);
}

/**
 * kube's csrsigning (pkg/controller/certificates/signer), for one CSR: an approved, not failed, not yet issued
 * request for one of our signers gets its certificate through /status — valid from 5 minutes ago (clock skew) for
 * certificateDuration, never past the CA. A request its signer refuses gets condition Failed
 * (SignerValidationFailure) instead. Requests for other signers are someone else's.
 */
export async function syncCsrSigning(deps: CsrSigningDeps, name: string): Promise<SyncResult> {
  const csr = deps.lister.get('certificatesigningrequests', '', name);
  if (!csr || csr.status?.certificate) return {};
  if (!approvalState(csr).approved || hasTrueCondition(csr, 'Failed')) return {};
  const check = SIGNERS[csr.spec.signerName];
  if (!check) return {};
  const pem = requestPem(csr.spec.request);
  let req: CertificateRequestInfo;
  try {
    req = parseCertificateRequest(pem);
  } catch (err) {
    throw new Error(`unable to parse csr "${name}": ${(err as Error).message}`);
  }
  const next: CertificateSigningRequest = clone(csr);
  const status = (next.status ??= {});
  const refused = check(req, csr.spec.usages);
  if (refused) {
    // the apiserver stamps lastUpdateTime/lastTransitionTime
    status.conditions = [...(status.conditions ?? []), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: refused }];
    await deps.actions.update('certificatesigningrequests', next, 'status');
    return {};
  }
  const now = deps.now();
  const certPem = await signCertificateRequest(deps.ca, {
    csrPem: pem, usages: csr.spec.usages,
    notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + certificateDuration(csr.spec.expirationSeconds, deps.durationMs)),
  });
  status.certificate = Buffer.from(certPem).toString('base64');
  await deps.actions.update('certificatesigningrequests', next, 'status');
  return {};
}
