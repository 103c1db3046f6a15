import {
  approvalState, parseCertificateRequest, requestPem, SIGNER_KUBE_APISERVER_CLIENT_KUBELET, SIGNER_KUBELET_SERVING,
  type CertificateRequestInfo, type CertificateSigningRequest, type SubjectAccessReview,
} from '@tinykube/api';
import { kubeletClientCsrError, kubeletServingCsrError, nodeOfCommonName } from '../../core/certificates.js';
import type { Actions, Lister, SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';

export interface CsrApprovingDeps {
  lister: Lister;
  actions: Actions;
}

export class NotApprovedError extends Error {
  constructor(readonly csr: string, readonly tried: string[]) {
    super(`recognized csr "${csr}" as [${tried.join(' ')}] but subject access review was not approved`);
    this.name = 'NotApprovedError';
  }
}

interface Recognizer {
  subresource: string;
  recognize(csr: CertificateSigningRequest, req: CertificateRequestInfo): boolean;
  message: string;
}

const isNodeClient = (csr: CertificateSigningRequest, req: CertificateRequestInfo) =>
  csr.spec.signerName === SIGNER_KUBE_APISERVER_CLIENT_KUBELET && kubeletClientCsrError(req, csr.spec.usages) === undefined;

/** kube's sarapprove recognisers, in kube's order: renewal by the node itself first, then bootstrap. */
const RECOGNIZERS: Recognizer[] = [
  {
    subresource: 'selfnodeclient',
    recognize: (csr, req) => csr.spec.username === req.commonName && isNodeClient(csr, req),
    message: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
  },
  {
    subresource: 'nodeclient',
    recognize: isNodeClient,
    message: 'Auto approving kubelet client certificate after SubjectAccessReview.',
  },
];

/**
 * tinykube, not kube: a kubelet-serving request made by the node it names (requestor system:node:NAME in
 * system:nodes), whose every SAN is one of that Node's addresses or its name. Kubernetes approves no serving
 * certificates itself and leaves them to an external approver (kubelet-csr-approver and the like), since only the
 * cluster operator knows which names a node may claim; a Node's own reported addresses are what this one trusts.
 */
function servingSansAreTheNodes(deps: CsrApprovingDeps, csr: CertificateSigningRequest, req: CertificateRequestInfo): boolean | 'no node yet' {
  if (csr.spec.signerName !== SIGNER_KUBELET_SERVING || kubeletServingCsrError(req, csr.spec.usages) !== undefined) return false;
  const name = nodeOfCommonName(req.commonName);
  if (!name || csr.spec.username !== req.commonName || !(csr.spec.groups ?? []).includes('system:nodes')) return false;
  const node = deps.lister.get('nodes', '', name);
  if (!node) return 'no node yet';
  const addresses = Array.isArray(node.status?.addresses) ? (node.status.addresses as { address?: string }[]) : [];
  const own = new Set([name, ...addresses.map((a) => a.address)]);
  return [...req.dnsNames, ...req.ipAddresses].every((s) => own.has(s));
}

async function allowed(deps: CsrApprovingDeps, csr: CertificateSigningRequest, subresource: string): Promise<boolean> {
  const sar: SubjectAccessReview = {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {},
    spec: {
      user: csr.spec.username, uid: csr.spec.uid, groups: csr.spec.groups, extra: csr.spec.extra,
      resourceAttributes: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', subresource, version: '*' },
    },
  };
  const answer = await deps.actions.create('subjectaccessreviews', '', sar);
  return answer.status?.allowed === true;
}

async function approve(deps: CsrApprovingDeps, csr: CertificateSigningRequest, message: string): Promise<void> {
  const next = clone(csr);
  const status = (next.status ??= {});
  status.conditions = [...(status.conditions ?? []), { type: 'Approved', status: 'True', reason: 'AutoApproved', message }];
  await deps.actions.update('certificatesigningrequests', next, 'approval');
}

/**
 * kube's csrapproving (pkg/controller/certificates/approver/sarapprove.go), for one CSR: pending requests a
 * recogniser knows are approved (condition Approved, reason AutoApproved, through /approval) when a
 * SubjectAccessReview says their requestor may `create` certificatesigningrequests/<subresource>. Recognised but
 * refused: a NotApprovedError, so the key is retried (RBAC may change). Anything else is left to other approvers.
 */
export async function syncCsrApproving(deps: CsrApprovingDeps, name: string): Promise<SyncResult> {
  const csr = deps.lister.get('certificatesigningrequests', '', name);
  if (!csr || csr.status?.certificate) return {};
  const { approved, denied } = approvalState(csr);
  if (approved || denied) return {};
  let req: CertificateRequestInfo;
  try {
    req = parseCertificateRequest(requestPem(csr.spec.request));
  } catch (err) {
    throw new Error(`unable to parse csr "${name}": ${(err as Error).message}`);
  }
  const tried: string[] = [];
  for (const r of RECOGNIZERS) {
    if (!r.recognize(csr, req)) continue;
    tried.push(r.subresource);
    if (await allowed(deps, csr, r.subresource)) {
      await approve(deps, csr, r.message);
      return {};
    }
  }
  if (tried.length > 0) throw new NotApprovedError(name, tried);
  const serving = servingSansAreTheNodes(deps, csr, req);
  // the node asks once registered, but our Node cache may not have it yet
  if (serving === 'no node yet') return { requeueAfterMs: 2_000 };
  if (serving) await approve(deps, csr, 'Auto approving kubelet serving certificate: every subjectAltName is the node\'s own.');
  return {};
}
