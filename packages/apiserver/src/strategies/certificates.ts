/**
 * CertificateSigningRequests (kube's pkg/registry/certificates/certificates/strategy.go):
 * - create: spec.username/uid/groups/extra are the requesting user's, whatever the client sent; no one creates a
 *   pre-approved or pre-issued request (status starts empty);
 * - update of the main resource: only metadata changes (spec and status are the stored ones);
 * - /status (signers): status changes, except the Approved/Denied conditions, which are kept as stored;
 * - /approval (approvers): only the Approved/Denied conditions change; the certificate and other conditions are kept.
 * Conditions get lastUpdateTime when missing, and lastTransitionTime from the stored condition of the same type and
 * status, else now.
 */
import type { CertificateSigningRequest, CertificateSigningRequestCondition, KubeObject } from '@tinykube/api';
import { requestScope } from '../auth/pipeline.js';
import type { Strategy } from '../storage/strategy.js';
import { cloneObject } from '../storage/codec.js';
import { formatTime } from '../util.js';

const isApproval = (c: CertificateSigningRequestCondition) => c.type === 'Approved' || c.type === 'Denied';

function conditions(o: CertificateSigningRequest): CertificateSigningRequestCondition[] {
  return Array.isArray(o.status?.conditions) ? o.status!.conditions! : [];
}

function populateConditionTimestamps(next: CertificateSigningRequest, old: CertificateSigningRequest, now: string): void {
  for (const c of conditions(next)) {
    if (!c.lastUpdateTime) c.lastUpdateTime = now;
    if (!c.lastTransitionTime) {
      const before = conditions(old).find((o) => o.type === c.type && o.status === c.status && o.lastTransitionTime);
      c.lastTransitionTime = before?.lastTransitionTime ?? now;
    }
  }
}

export function certificateSigningRequestStrategy(clock: () => Date): Strategy {
  return {
    prepareForCreate(obj: KubeObject) {
      const csr = obj as CertificateSigningRequest;
      const spec = (csr.spec ??= { request: '', signerName: '', usages: [] });
      delete spec.username; delete spec.uid; delete spec.groups; delete spec.extra;
      const user = requestScope.getStore()?.user;
      if (user) {
        spec.username = user.username;
        if (user.uid) spec.uid = user.uid;
        spec.groups = [...user.groups];
        if (user.extra && Object.keys(user.extra).length > 0) spec.extra = structuredClone(user.extra);
      }
      csr.status = {};
    },
    prepareForUpdate(obj, stored, subresource) {
      const next = obj as CertificateSigningRequest;
      const old = stored as CertificateSigningRequest;
      next.spec = cloneObject(old.spec);
      if (subresource === '') return; // the store already kept the stored status
      const status = (next.status ??= {});
      if (subresource === 'status') {
        status.conditions = [...conditions(next).filter((c) => !isApproval(c)), ...cloneObject(conditions(old).filter(isApproval))];
      } else if (subresource === 'approval') {
        status.conditions = [...conditions(next).filter(isApproval), ...cloneObject(conditions(old).filter((c) => !isApproval(c)))];
        if (old.status?.certificate === undefined) delete status.certificate; else status.certificate = old.status.certificate;
      }
      if (status.conditions?.length === 0) delete status.conditions;
      populateConditionTimestamps(next, old, formatTime(clock()));
    },
  };
}
