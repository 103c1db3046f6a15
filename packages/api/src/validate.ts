import { invalid as invalidError } from './status/constructors.js';
import type { ResourceInfo } from './registry-types.js';
import type { DaemonSet, Deployment, ReplicaSet } from './schemas/apps.js';
import type { CertificateSigningRequest } from './schemas/certificates.js';
import { validateCustomResourceDefinition } from './crd/validate-crd.js';
import type { CustomResourceDefinition } from './schemas/apiextensions.js';
import type { ConfigMap, Secret } from './schemas/config.js';
import type { KubeObject } from './schemas/meta.js';
import type { Node } from './schemas/node.js';
import type { Pod } from './schemas/pod.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './schemas/rbac.js';
import type { Endpoints, Service } from './schemas/service.js';
import { validateCertificateSigningRequest } from './validation/certificates.js';
import { validateConfigMap, validateEndpoints, validateNode, validateSecret, validateService } from './validation/core.js';
import type { FieldCause } from './validation/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta.js';
import { validatePodSpec } from './validation/pod-spec.js';
import { validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './validation/rbac.js';
import { validateKindUpdate } from './validation/update.js';
import { validateDaemonSet, validateDeployment, validateReplicaSet } from './validation/workloads.js';
import { issueToCauses } from './validation/zod-issues.js';

export type { FieldCause } from './validation/field-errors.js';
export type ValidationResult = { ok: true; value: KubeObject } | { ok: false; causes: FieldCause[] };

/** Each kind's rules; `old` (the stored object, parsed) lets a few kinds tolerate what it already breaks. */
const kindRules: Record<string, (obj: KubeObject, old?: KubeObject) => FieldCause[]> = {
  Pod: (o) => validatePodSpec((o as Pod).spec, 'spec'),
  Service: (o) => validateService(o as Service),
  Endpoints: (o) => validateEndpoints(o as Endpoints),
  ConfigMap: (o) => validateConfigMap(o as ConfigMap),
  Secret: (o) => validateSecret(o as Secret),
  Node: (o) => validateNode(o as Node),
  Deployment: (o) => validateDeployment(o as Deployment),
  ReplicaSet: (o) => validateReplicaSet(o as ReplicaSet),
  DaemonSet: (o) => validateDaemonSet(o as DaemonSet),
  Role: (o) => validateRole(o as Role),
  ClusterRole: (o) => validateClusterRole(o as ClusterRole),
  RoleBinding: (o) => validateRoleBinding(o as RoleBinding),
  ClusterRoleBinding: (o) => validateClusterRoleBinding(o as ClusterRoleBinding),
  CustomResourceDefinition: (o, old) => validateCustomResourceDefinition(o as CustomResourceDefinition, old as CustomResourceDefinition | undefined),
  CertificateSigningRequest: (o, old) => validateCertificateSigningRequest(o as CertificateSigningRequest, old as CertificateSigningRequest | undefined),
};

/**
 * Parses `obj` with the kind's schema and applies Kubernetes' validation rules; with `old`, the
 * update rules too (immutable identity, pod spec, selectors, clusterIP). A body without
 * apiVersion/kind gets them from `info`, as Kubernetes decodes a body against the URL's kind.
 * On success `value` is the parsed object (nulls dropped, unknown fields kept): store that.
 */
export function validateObject(info: ResourceInfo, obj: unknown, old?: KubeObject): ValidationResult {
  let input = obj;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const rec = input as Record<string, unknown>;
    if (rec.apiVersion === undefined || rec.kind === undefined) {
      input = { ...rec, apiVersion: rec.apiVersion ?? info.apiVersion, kind: rec.kind ?? info.kind };
    }
  }
  const parsed = info.schema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, causes: parsed.error.issues.flatMap(issueToCauses) };
  const value = parsed.data;
  // The stored object is parsed too, so both sides have the same normalised shape; one that
  // does not parse (written by an older version) gets only the identity checks.
  const oldParsed = old ? info.schema.safeParse(old) : undefined;
  const oldValue = oldParsed?.success ? oldParsed.data : undefined;
  const causes = validateObjectMeta(value.metadata, info.kind, info.namespaced);
  causes.push(...(info.validate ? info.validate(value) : kindRules[info.kind]?.(value, oldValue) ?? []));
  if (old) {
    causes.push(...validateObjectMetaUpdate(value, oldValue ?? old));
    if (oldValue) causes.push(...validateKindUpdate(info.kind, value, oldValue));
  }
  return causes.length > 0 ? { ok: false, causes } : { ok: true, value };
}

/**
 * The Status message of a 422 Invalid, worded as Kubernetes does:
 * `Pod "web" is invalid: spec.containers[0].image: Required value`, several causes in brackets,
 * non-core kinds qualified by group (`Deployment.apps "web" is invalid: ...`).
 */
export function invalidMessage(info: ResourceInfo, name: string, causes: readonly FieldCause[]): string {
  return invalidError(info.kind, info.group, name, causes.map((c) => ({ ...c }))).message;
}
