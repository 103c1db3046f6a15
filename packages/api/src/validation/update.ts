import type { DaemonSet, Deployment, ReplicaSet } from '../schemas/apps.js';
import type { CertificateSigningRequest } from '../schemas/certificates.js';
import type { ConfigMap, Secret } from '../schemas/config.js';
import type { KubeObject } from '../schemas/meta.js';
import type { Node } from '../schemas/node.js';
import type { Pod, PodSpec, Toleration } from '../schemas/pod.js';
import type { ClusterRoleBinding, RoleBinding } from '../schemas/rbac.js';
import type { Service } from '../schemas/service.js';
import { changedKeys, deepEqual } from '../equality.js';
import { type FieldCause, forbidden, invalid, invalidRendered } from './field-errors.js';
import { validateCertificateSigningRequestUpdate } from './certificates.js';
import { validateBindingUpdate } from './rbac.js';

// Update rules (ValidateXUpdate): what may not change once an object exists. They compare
// defaulted objects, so the apiserver defaults the new object before validating it.

const IMMUTABLE = 'field is immutable';

export const POD_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function tolerationsOnlyAdded(oldT: Toleration[] | undefined, newT: Toleration[] | undefined): boolean {
  const remaining = [...(newT ?? [])];
  for (const t of oldT ?? []) {
    const i = remaining.findIndex((n) => deepEqual(n, t));
    if (i < 0) return false;
    remaining.splice(i, 1);
  }
  return true;
}

function validatePodUpdate(pod: Pod, old: Pod): FieldCause[] {
  const causes: FieldCause[] = [];
  const spec = pod.spec;
  const oldSpec = old.spec;
  const oldDeadline = oldSpec.activeDeadlineSeconds;
  if (oldDeadline !== undefined) {
    if (spec.activeDeadlineSeconds === undefined) {
      causes.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
    } else if (spec.activeDeadlineSeconds > oldDeadline) {
      causes.push(invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be less than or equal to previous value'));
    }
  }
  const tolerationsOk = tolerationsOnlyAdded(oldSpec.tolerations, spec.tolerations);
  if (!tolerationsOk) {
    causes.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  // Overlay the mutable fields of the new spec onto the old one; anything else that differs is forbidden.
  const comparable: PodSpec = {
    ...spec,
    containers: spec.containers.map((c, i) => ({ ...c, image: oldSpec.containers[i]?.image })),
    activeDeadlineSeconds: oldSpec.activeDeadlineSeconds,
    tolerations: tolerationsOk ? oldSpec.tolerations : spec.tolerations,
  };
  if (spec.initContainers) {
    comparable.initContainers = spec.initContainers.map((c, i) => ({ ...c, image: oldSpec.initContainers?.[i]?.image }));
  }
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace < 0 && spec.terminationGracePeriodSeconds === 1) {
    comparable.terminationGracePeriodSeconds = oldGrace;
  }
  if (!deepEqual(comparable, oldSpec)) {
    const changed = changedKeys(comparable, oldSpec).map((k) => `spec.${k}`);
    causes.push(forbidden('spec', `${POD_UPDATE_MESSAGE}\n  changed: ${changed.join(', ')}`));
  }
  return causes;
}

function validateServiceUpdate(svc: Service, old: Service): FieldCause[] {
  // An absent clusterIP means "keep" (the apiserver carries the allocated one over); a different one is an error.
  const oldIP = old.spec.clusterIP;
  const newIP = svc.spec.clusterIP;
  const oldType = old.spec.type ?? 'ClusterIP';
  const newType = svc.spec.type ?? 'ClusterIP';
  if (oldType === 'ExternalName' || newType === 'ExternalName') return [];
  if (oldIP && newIP && oldIP !== newIP) return [invalid('spec.clusterIP', newIP, IMMUTABLE)];
  return [];
}

type Workload = Deployment | ReplicaSet | DaemonSet;

function validateSelectorUpdate(obj: Workload, old: Workload): FieldCause[] {
  if (deepEqual(obj.spec.selector, old.spec.selector)) return [];
  return [invalidRendered('spec.selector', JSON.stringify(obj.spec.selector ?? null), IMMUTABLE)];
}

function validateNodeUpdate(node: Node, old: Node): FieldCause[] {
  const oldCIDRs = old.spec.podCIDRs ?? (old.spec.podCIDR ? [old.spec.podCIDR] : []);
  const newCIDRs = node.spec.podCIDRs ?? (node.spec.podCIDR ? [node.spec.podCIDR] : []);
  if (oldCIDRs.length > 0 && !deepEqual(oldCIDRs, newCIDRs)) {
    return [forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid')];
  }
  return [];
}

function validateImmutableData(obj: ConfigMap | Secret, old: ConfigMap | Secret): FieldCause[] {
  const causes: FieldCause[] = [];
  if (old.immutable === true) {
    if (obj.immutable !== true) causes.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(obj.data, old.data)) causes.push(forbidden('data', 'field is immutable when `immutable` is set'));
    if ('binaryData' in old && !deepEqual((obj as ConfigMap).binaryData, (old as ConfigMap).binaryData)) {
      causes.push(forbidden('binaryData', 'field is immutable when `immutable` is set'));
    }
  }
  return causes;
}

export function validateKindUpdate(kind: string, obj: KubeObject, old: KubeObject): FieldCause[] {
  switch (kind) {
    case 'Pod':
      return validatePodUpdate(obj as Pod, old as Pod);
    case 'Service':
      return validateServiceUpdate(obj as Service, old as Service);
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
      return validateSelectorUpdate(obj as Workload, old as Workload);
    case 'Node':
      return validateNodeUpdate(obj as Node, old as Node);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return validateBindingUpdate(obj as RoleBinding | ClusterRoleBinding, old as RoleBinding | ClusterRoleBinding);
    case 'ConfigMap':
      return validateImmutableData(obj as ConfigMap, old as ConfigMap);
    case 'Secret': {
      const causes = validateImmutableData(obj as Secret, old as Secret);
      const t = (obj as Secret).type;
      if ((old as Secret).type && t && t !== (old as Secret).type) causes.push(invalid('type', t, IMMUTABLE));
      return causes;
    }
    case 'CertificateSigningRequest':
      return validateCertificateSigningRequestUpdate(obj as CertificateSigningRequest, old as CertificateSigningRequest);
    default:
      return [];
  }
}
