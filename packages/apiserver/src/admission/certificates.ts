/**
 * kube's certificates admission plugins (plugin/pkg/admission/certificates):
 * - CertificateApproval: writing /approval needs verb `approve` on `signers` (certificates.k8s.io) named the
 *   request's signerName, or `<domain>/*`;
 * - CertificateSigning: changing status.certificate through /status needs verb `sign` likewise;
 * - CertificateSubjectRestriction: no kubernetes.io/kube-apiserver-client request for group system:masters.
 * (RBAC's `update` on certificatesigningrequests/approval or /status is checked before, by the authorizer.)
 */
import {
  CERTIFICATES_GROUP, parseCertificateRequest, requestPem, SIGNER_KUBE_APISERVER_CLIENT, type CertificateSigningRequest,
} from '@tinykube/api';
import type { Authorizer, UserInfo } from '../auth/types.js';
import { forbidden } from '@tinykube/api';
import type { AdmissionPlugin, AdmissionRequest } from './types.js';

const isCsr = (r: AdmissionRequest) => r.info.group === CERTIFICATES_GROUP && r.info.plural === 'certificatesigningrequests';

/** kube's IsAuthorizedForSignerName: the exact signer name, else the `domain/*` wildcard. */
export async function authorizedForSigner(authorizer: Authorizer, user: UserInfo, verb: string, signerName: string): Promise<boolean> {
  const attrs = (name: string) => ({
    user, verb, resourceRequest: true, path: '', apiGroup: CERTIFICATES_GROUP, apiVersion: '*', resource: 'signers', subresource: '', namespace: '', name,
  });
  if ((await authorizer.authorize(attrs(signerName))).decision === 'allow') return true;
  const slash = signerName.indexOf('/');
  return slash > 0 && (await authorizer.authorize(attrs(`${signerName.slice(0, slash)}/*`))).decision === 'allow';
}

function refuse(r: AdmissionRequest, why: string): never {
  throw forbidden({ group: r.info.group, resource: r.info.plural }, r.name, why);
}

export function certificateApproval(authorizer: Authorizer): AdmissionPlugin {
  return {
    name: 'CertificateApproval',
    async admit(r) {
      if (!isCsr(r) || r.operation !== 'UPDATE' || r.subresource !== 'approval') return;
      const signer = (r.object as CertificateSigningRequest).spec.signerName;
      if (!(await authorizedForSigner(authorizer, r.user, 'approve', signer))) refuse(r, `user not permitted to approve requests with signerName ${JSON.stringify(signer)}`);
    },
  };
}

export function certificateSigning(authorizer: Authorizer): AdmissionPlugin {
  return {
    name: 'CertificateSigning',
    async admit(r) {
      if (!isCsr(r) || r.operation !== 'UPDATE' || r.subresource !== 'status') return;
      const csr = r.object as CertificateSigningRequest;
      if ((csr.status?.certificate ?? '') === ((r.oldObject as CertificateSigningRequest | undefined)?.status?.certificate ?? '')) return;
      const signer = csr.spec.signerName;
      if (!(await authorizedForSigner(authorizer, r.user, 'sign', signer))) refuse(r, `user not permitted to sign requests with signerName ${JSON.stringify(signer)}`);
    },
  };
}

export const certificateSubjectRestriction: AdmissionPlugin = {
  name: 'CertificateSubjectRestriction',
  admit(r) {
    if (!isCsr(r) || r.operation !== 'CREATE') return;
    const csr = r.object as CertificateSigningRequest;
    if (csr.spec.signerName !== SIGNER_KUBE_APISERVER_CLIENT) return;
    let organizations: string[];
    try { organizations = parseCertificateRequest(requestPem(csr.spec.request)).organizations; } catch { return; } // validation says why
    if (organizations.includes('system:masters')) refuse(r, `use of ${SIGNER_KUBE_APISERVER_CLIENT} signer with system:masters group is not allowed`);
  },
};
