import {
  TOTAL_ANNOTATION_SIZE_LIMIT,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from '../names.js';
import type { KubeObject, ObjectMeta } from '../schemas/meta.js';
import { type FieldCause, child, index, invalid, required, tooLong } from './field-errors.js';
import { RBAC_KINDS, isValidPathSegmentName } from './rbac.js';

// ObjectMeta rules (ValidateObjectMeta / ValidateObjectMetaUpdate in apimachinery).

export type NameValidator = (name: string) => string[];

/**
 * The name rule of each kind: most are DNS-1123 subdomains; Namespaces labels; Services DNS-1035 labels;
 * RBAC kinds only path segments (`system:controller:foo`).
 */
export function nameValidatorFor(kind: string): NameValidator {
  if (kind === 'Namespace') return isDNS1123Label;
  // kube: "We don't care what you call your certificate requests" (only the generic path-segment rule)
  if (RBAC_KINDS.has(kind) || kind === 'CertificateSigningRequest') return isValidPathSegmentName;
  if (kind === 'Service') return isDNS1035Label;
  return isDNS1123Subdomain;
}

/** Label maps (metadata.labels, spec.selector, nodeSelector, template labels). */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) causes.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(v)) causes.push(invalid(path, v, msg));
  }
  return causes;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) causes.push(invalid(path, k, msg));
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) causes.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return causes;
}

export function validateObjectMeta(meta: ObjectMeta, kind: string, namespaced: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  const path = 'metadata';
  const nameFn = nameValidatorFor(kind);
  if (meta.generateName) {
    // A generateName is a prefix: one trailing '-' is allowed, the random suffix follows it.
    const prefix = meta.generateName.endsWith('-') ? meta.generateName.slice(0, -1) : meta.generateName;
    for (const msg of nameFn(prefix)) causes.push(invalid(child(path, 'generateName'), meta.generateName, msg));
  }
  if (!meta.name) {
    // The apiserver turns generateName into a name; until then a generateName is enough.
    if (!meta.generateName) causes.push(required(child(path, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of nameFn(meta.name)) causes.push(invalid(child(path, 'name'), meta.name, msg));
  }
  // The namespace comes from the URL and the apiserver fills it in; cluster-scoped kinds ignore it.
  if (namespaced && meta.namespace) {
    for (const msg of isDNS1123Label(meta.namespace)) causes.push(invalid(child(path, 'namespace'), meta.namespace, msg));
  }
  causes.push(...validateLabels(meta.labels, child(path, 'labels')));
  causes.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  if (meta.generation !== undefined && meta.generation < 0) {
    causes.push(invalid(child(path, 'generation'), meta.generation, 'must be greater than or equal to 0'));
  }
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    const p = index(child(path, 'ownerReferences'), i);
    if (!ref.apiVersion) causes.push(invalid(child(p, 'apiVersion'), ref.apiVersion, 'version must not be empty'));
    if (!ref.kind) causes.push(invalid(child(p, 'kind'), ref.kind, 'kind must not be empty'));
    if (!ref.name) causes.push(invalid(child(p, 'name'), ref.name, 'name must not be empty'));
    if (!ref.uid) causes.push(invalid(child(p, 'uid'), ref.uid, 'uid must not be empty'));
  });
  const controllers = (meta.ownerReferences ?? []).filter((r) => r.controller === true);
  if (controllers.length > 1) {
    causes.push(
      invalid(child(path, 'ownerReferences'), controllers.map((r) => r.name), 'Only one reference can have Controller set to true'),
    );
  }
  (meta.finalizers ?? []).forEach((f, i) => {
    for (const msg of isQualifiedName(f)) causes.push(invalid(index(child(path, 'finalizers'), i), f, msg));
  });
  return causes;
}

const IMMUTABLE = 'field is immutable';

/** Update rules: identity fields never change. Absent uid/creationTimestamp mean "keep" (the apiserver copies them). */
export function validateObjectMetaUpdate(obj: KubeObject, old: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const m = obj.metadata;
  const o = old.metadata ?? {};
  if ((m.name ?? '') !== (o.name ?? '')) causes.push(invalid('metadata.name', m.name ?? '', IMMUTABLE));
  if (m.namespace && m.namespace !== (o.namespace ?? '')) causes.push(invalid('metadata.namespace', m.namespace ?? '', IMMUTABLE));
  if (m.uid && o.uid && m.uid !== o.uid) causes.push(invalid('metadata.uid', m.uid, IMMUTABLE));
  if (m.creationTimestamp && o.creationTimestamp && Date.parse(m.creationTimestamp) !== Date.parse(o.creationTimestamp)) {
    causes.push(invalid('metadata.creationTimestamp', m.creationTimestamp, IMMUTABLE));
  }
  return causes;
}
