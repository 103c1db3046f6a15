/**
 * Field tables for decoding Kubernetes' protobuf encodings (k8s.io/api generated.proto) into the JSON shape,
 * for the few kinds kubectl's generator commands send. Only fields kubectl sets are listed; unknown fields
 * are skipped. Keys of PROTO_TYPES are `<group>/<Kind>`.
 */
import { ProtoReader } from './protobuf-wire.js';

export type FieldType = 'string' | 'int' | 'bool' | 'bytes' | 'message' | 'stringMap' | 'bytesMap' | 'quantityMap' | 'intOrString' | 'quantity' | 'time';

export interface FieldSpec { name: string; type: FieldType; repeated?: boolean; message?: MessageSpec | (() => MessageSpec) }
export type MessageSpec = Record<number, FieldSpec>;


function resolve(m: FieldSpec['message']): MessageSpec {
  if (!m) throw new Error('message field without a table');
  return typeof m === 'function' ? m() : m;
}

function readMapEntry(buf: Buffer, valueType: 'string' | 'bytes' | 'quantity'): [string, string] {
  const r = new ProtoReader(buf);
  let k = ''; let v = '';
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) k = r.bytes().toString('utf8');
    else if (f === 2 && w === 2) {
      const b = r.bytes();
      v = valueType === 'bytes' ? b.toString('base64') : valueType === 'quantity' ? readQuantity(b) : b.toString('utf8');
    } else r.skip(w);
  }
  return [k, v];
}

/** metav1.Time: seconds = 1, nanos = 2; the zero time (kubectl's `creationTimestamp: null`) is dropped. */
function readTime(buf: Buffer): string | undefined {
  const r = new ProtoReader(buf);
  let seconds = 0;
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 0) seconds = r.varint(); else r.skip(w);
  }
  return seconds > 0 ? new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

/** IntOrString: type (0 int, 1 string) = 1, intVal = 2, strVal = 3. */
function readIntOrString(buf: Buffer): number | string {
  const r = new ProtoReader(buf);
  let type = 0; let i = 0; let s = '';
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 0) type = r.varint();
    else if (f === 2 && w === 0) i = r.varint();
    else if (f === 3 && w === 2) s = r.bytes().toString('utf8');
    else r.skip(w);
  }
  return type === 1 ? s : i;
}

/** resource.Quantity: string = 1. */
function readQuantity(buf: Buffer): string {
  const r = new ProtoReader(buf);
  let s = '';
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) s = r.bytes().toString('utf8'); else r.skip(w);
  }
  return s;
}

export function decodeMessage(buf: Buffer, spec: MessageSpec): Record<string, unknown> {
  const r = new ProtoReader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done()) {
    const [num, wt] = r.tag();
    const f = spec[num];
    if (!f) { r.skip(wt); continue; }
    let value: unknown;
    switch (f.type) {
      case 'string': value = r.bytes().toString('utf8'); break;
      case 'bytes': value = r.bytes().toString('base64'); break;
      case 'int': value = wt === 0 ? toSigned(r.varint()) : (r.skip(wt), undefined); break;
      case 'bool': value = r.varint() !== 0; break;
      case 'message': value = decodeMessage(r.bytes(), resolve(f.message)); break;
      case 'intOrString': value = readIntOrString(r.bytes()); break;
      case 'quantity': value = readQuantity(r.bytes()); break;
      case 'time': value = readTime(r.bytes()); break;
      case 'stringMap': case 'bytesMap': case 'quantityMap': {
        const [k, v] = readMapEntry(r.bytes(), f.type === 'bytesMap' ? 'bytes' : f.type === 'quantityMap' ? 'quantity' : 'string');
        const map = (out[f.name] ??= {}) as Record<string, string>;
        map[k] = v;
        continue;
      }
    }
    // proto2 as gogo writes it sends zero values of non-pointer fields; JSON's omitempty drops them,
    // and defaulting/validation expect them absent (an empty imagePullPolicy is not "unset" otherwise)
    if (value === undefined || (!f.repeated && (value === '' || value === 0 || value === false))) continue;
    if (f.repeated) ((out[f.name] ??= []) as unknown[]).push(value);
    else out[f.name] = value;
  }
  return out;
}

/** int32/int64 negatives arrive as 10-byte two's complement varints. */
function toSigned(n: number): number {
  return n >= 2 ** 63 ? n - 2 ** 64 : n;
}

// --- the tables (field numbers from k8s.io/api and k8s.io/apimachinery generated.proto) ---

const str = (name: string, repeated = false): FieldSpec => ({ name, type: 'string', repeated });
const int = (name: string): FieldSpec => ({ name, type: 'int' });
const bool = (name: string): FieldSpec => ({ name, type: 'bool' });
const msg = (name: string, message: MessageSpec | (() => MessageSpec), repeated = false): FieldSpec => ({ name, type: 'message', message, repeated });

const OwnerReference: MessageSpec = { 1: str('kind'), 3: str('name'), 4: str('uid'), 5: str('apiVersion'), 6: bool('controller'), 7: bool('blockOwnerDeletion') };

const ObjectMeta: MessageSpec = {
  1: str('name'), 2: str('generateName'), 3: str('namespace'), 5: str('uid'), 6: str('resourceVersion'), 7: int('generation'),
  8: { name: 'creationTimestamp', type: 'time' }, 11: { name: 'labels', type: 'stringMap' }, 12: { name: 'annotations', type: 'stringMap' },
  13: msg('ownerReferences', OwnerReference, true), 14: str('finalizers', true),
};

const LabelSelector: MessageSpec = {
  1: { name: 'matchLabels', type: 'stringMap' },
  2: msg('matchExpressions', { 1: str('key'), 2: str('operator'), 3: str('values', true) }, true),
};

const ContainerPort: MessageSpec = { 1: str('name'), 2: int('hostPort'), 3: int('containerPort'), 4: str('protocol'), 5: str('hostIP') };
const EnvVar: MessageSpec = { 1: str('name'), 2: str('value') };
const Resources: MessageSpec = { 1: { name: 'limits', type: 'quantityMap' }, 2: { name: 'requests', type: 'quantityMap' } };
const VolumeMount: MessageSpec = { 1: str('name'), 2: bool('readOnly'), 3: str('mountPath'), 4: str('subPath') };

const Container: MessageSpec = {
  1: str('name'), 2: str('image'), 3: str('command', true), 4: str('args', true), 5: str('workingDir'),
  6: msg('ports', ContainerPort, true), 7: msg('env', EnvVar, true), 8: msg('resources', Resources), 9: msg('volumeMounts', VolumeMount, true),
  13: str('terminationMessagePath'), 14: str('imagePullPolicy'), 16: bool('stdin'), 17: bool('stdinOnce'), 18: bool('tty'),
  20: str('terminationMessagePolicy'),
};

const PodSpec: MessageSpec = {
  2: msg('containers', Container, true), 3: str('restartPolicy'), 4: int('terminationGracePeriodSeconds'), 5: int('activeDeadlineSeconds'),
  6: str('dnsPolicy'), 7: { name: 'nodeSelector', type: 'stringMap' }, 8: str('serviceAccountName'), 10: str('nodeName'),
  11: bool('hostNetwork'), 16: str('hostname'), 17: str('subdomain'), 19: str('schedulerName'), 20: msg('initContainers', Container, true),
  24: str('priorityClassName'), 25: int('priority'),
};

const PodTemplateSpec: MessageSpec = { 1: msg('metadata', ObjectMeta), 2: msg('spec', PodSpec) };

const IntOrStr = (name: string): FieldSpec => ({ name, type: 'intOrString' });

const DeploymentSpec: MessageSpec = {
  1: int('replicas'), 2: msg('selector', LabelSelector), 3: msg('template', PodTemplateSpec),
  4: msg('strategy', { 1: str('type'), 2: msg('rollingUpdate', { 1: IntOrStr('maxUnavailable'), 2: IntOrStr('maxSurge') }) }),
  5: int('minReadySeconds'), 6: int('revisionHistoryLimit'), 7: bool('paused'), 9: int('progressDeadlineSeconds'),
};

const ServicePort: MessageSpec = { 1: str('name'), 2: str('protocol'), 3: int('port'), 4: IntOrStr('targetPort'), 5: int('nodePort'), 6: str('appProtocol') };

const ServiceSpec: MessageSpec = {
  1: msg('ports', ServicePort, true), 2: { name: 'selector', type: 'stringMap' }, 3: str('clusterIP'), 4: str('type'), 5: str('externalIPs', true),
  7: str('sessionAffinity'), 10: str('externalName'), 18: str('clusterIPs', true),
};

const ResourceAttributes: MessageSpec = {
  1: str('namespace'), 2: str('verb'), 3: str('group'), 4: str('version'), 5: str('resource'), 6: str('subresource'), 7: str('name'),
};
const NonResourceAttributes: MessageSpec = { 1: str('path'), 2: str('verb') };
const AccessReviewSpec: MessageSpec = { 1: msg('resourceAttributes', ResourceAttributes), 2: msg('nonResourceAttributes', NonResourceAttributes) };
const SubjectAccessReviewSpec: MessageSpec = { ...AccessReviewSpec, 3: str('user'), 4: str('groups', true), 6: str('uid') };

const PolicyRule: MessageSpec = { 1: str('verbs', true), 2: str('apiGroups', true), 3: str('resources', true), 4: str('resourceNames', true), 5: str('nonResourceURLs', true) };
const Subject: MessageSpec = { 1: str('kind'), 2: str('apiGroup'), 3: str('name'), 4: str('namespace') };
const RoleRef: MessageSpec = { 1: str('apiGroup'), 2: str('kind'), 3: str('name') };
const Binding: MessageSpec = { 1: msg('metadata', ObjectMeta), 2: msg('subjects', Subject, true), 3: msg('roleRef', RoleRef) };

const time = (name: string): FieldSpec => ({ name, type: 'time' });
const bytes = (name: string): FieldSpec => ({ name, type: 'bytes' });
// certificates.k8s.io/v1 (kubectl certificate approve|deny PUTs the whole object to /approval); spec.extra (a map of
// ExtraValue) is skipped: the apiserver keeps the stored spec on every update anyway
const CertificateSigningRequest: MessageSpec = {
  1: msg('metadata', ObjectMeta),
  2: msg('spec', { 1: bytes('request'), 2: str('usages', true), 3: str('username'), 4: str('uid'), 5: str('groups', true), 7: str('signerName'), 8: int('expirationSeconds') }),
  3: msg('status', {
    1: msg('conditions', { 1: str('type'), 6: str('status'), 2: str('reason'), 3: str('message'), 4: time('lastUpdateTime'), 5: time('lastTransitionTime') }, true),
    2: bytes('certificate'),
  }),
};

/** Kinds we can decode from kubectl's protobuf bodies, by `<group>/<Kind>`. */
export const PROTO_TYPES: Record<string, MessageSpec> = {
  '/Namespace': { 1: msg('metadata', ObjectMeta), 2: msg('spec', { 1: str('finalizers', true) }) },
  '/ConfigMap': { 1: msg('metadata', ObjectMeta), 2: { name: 'data', type: 'stringMap' }, 3: { name: 'binaryData', type: 'bytesMap' }, 4: bool('immutable') },
  '/Secret': { 1: msg('metadata', ObjectMeta), 2: { name: 'data', type: 'bytesMap' }, 3: str('type'), 4: { name: 'stringData', type: 'stringMap' }, 5: bool('immutable') },
  '/ServiceAccount': { 1: msg('metadata', ObjectMeta), 4: bool('automountServiceAccountToken') },
  '/Service': { 1: msg('metadata', ObjectMeta), 2: msg('spec', ServiceSpec) },
  '/Pod': { 1: msg('metadata', ObjectMeta), 2: msg('spec', PodSpec) },
  'apps/Deployment': { 1: msg('metadata', ObjectMeta), 2: msg('spec', DeploymentSpec) },
  // kubectl auth whoami / can-i / create token, and kubectl create role / clusterrole / rolebinding / clusterrolebinding
  'authentication.k8s.io/SelfSubjectReview': { 1: msg('metadata', ObjectMeta) },
  'authentication.k8s.io/TokenRequest': {
    1: msg('metadata', ObjectMeta),
    2: msg('spec', { 1: str('audiences', true), 3: msg('boundObjectRef', { 1: str('kind'), 2: str('apiVersion'), 3: str('name'), 4: str('uid') }), 4: int('expirationSeconds') }),
  },
  'authentication.k8s.io/TokenReview': { 1: msg('metadata', ObjectMeta), 2: msg('spec', { 1: str('token'), 2: str('audiences', true) }) },
  'authorization.k8s.io/SelfSubjectAccessReview': { 1: msg('metadata', ObjectMeta), 2: msg('spec', AccessReviewSpec) },
  'authorization.k8s.io/SelfSubjectRulesReview': { 1: msg('metadata', ObjectMeta), 2: msg('spec', { 1: str('namespace') }) },
  'authorization.k8s.io/SubjectAccessReview': { 1: msg('metadata', ObjectMeta), 2: msg('spec', SubjectAccessReviewSpec) },
  'authorization.k8s.io/LocalSubjectAccessReview': { 1: msg('metadata', ObjectMeta), 2: msg('spec', SubjectAccessReviewSpec) },
  'rbac.authorization.k8s.io/Role': { 1: msg('metadata', ObjectMeta), 2: msg('rules', PolicyRule, true) },
  'rbac.authorization.k8s.io/ClusterRole': {
    1: msg('metadata', ObjectMeta), 2: msg('rules', PolicyRule, true), 3: msg('aggregationRule', { 1: msg('clusterRoleSelectors', LabelSelector, true) }),
  },
  'rbac.authorization.k8s.io/RoleBinding': Binding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': Binding,
  'certificates.k8s.io/CertificateSigningRequest': CertificateSigningRequest,
};
