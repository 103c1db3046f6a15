/**
 * NodeRestriction (kube's plugin/pkg/admission/noderestriction): what the Node authorizer allows a kubelet in
 * general is narrowed to its own node — its Node object and Lease, status of the pods bound to it, mirror pods
 * for itself, deleting and evicting only its own pods. Messages are kube's.
 */
import type { KubeObject } from '@tinykube/api';
import { nodeNameOf } from '../auth/node-authorizer.js';
import { forbidden } from '@tinykube/api';
import { isRecord } from '../util.js';
import type { AdmissionPlugin, AdmissionRequest } from './types.js';

const MIRROR = 'kubernetes.io/config.mirror';
const RESTRICTED_LABEL_PREFIX = 'node-restriction.kubernetes.io/';

const nodeOf = (pod: KubeObject | undefined): string => (pod && isRecord(pod.spec) && typeof pod.spec.nodeName === 'string' ? pod.spec.nodeName : '');

function refuse(r: AdmissionRequest, why: string): never {
  throw forbidden({ group: r.info.group, resource: r.info.plural }, r.name, why);
}

function admitPod(r: AdmissionRequest, node: string): void {
  switch (r.operation) {
    case 'CREATE':
      if (r.subresource !== '') return;
      if (!r.object?.metadata.annotations?.[MIRROR]) refuse(r, `pod does not have "${MIRROR}" annotation, node "${node}" can only create mirror pods`);
      if (nodeOf(r.object) !== node) refuse(r, `node "${node}" can only create pods with spec.nodeName set to itself`);
      return;
    case 'UPDATE':
      if (r.subresource === 'status') {
        if (nodeOf(r.oldObject) !== node) refuse(r, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
        return;
      }
      refuse(r, `node "${node}" can only update pod status`);
      return;
    case 'DELETE':
      if (nodeOf(r.oldObject) !== node) refuse(r, `node "${node}" can only delete pods with spec.nodeName set to itself`);
  }
}

function admitNode(r: AdmissionRequest, node: string): void {
  if (r.name !== node) refuse(r, `node "${node}" is not allowed to modify node "${r.name}"`);
  if (r.operation === 'DELETE') return;
  const labels = r.object?.metadata.labels ?? {};
  const old = r.oldObject?.metadata.labels ?? {};
  for (const [k, v] of Object.entries(labels)) {
    if (k.includes(RESTRICTED_LABEL_PREFIX.slice(0, -1)) && old[k] !== v) refuse(r, `is not allowed to modify labels: ${k}`);
  }
}

function admitLease(r: AdmissionRequest, node: string): void {
  if (r.namespace !== 'kube-node-lease') refuse(r, 'can only access node lease in the kube-node-lease namespace');
  if (r.name !== node) refuse(r, 'can only access node lease with the same name as the requesting node');
}

export const nodeRestriction: AdmissionPlugin = {
  name: 'NodeRestriction',
  admit(r) {
    const node = nodeNameOf(r.user);
    if (node === undefined) return;
    const g = r.info.group;
    if (g === '' && r.info.plural === 'pods') return admitPod(r, node);
    if (g === '' && r.info.plural === 'nodes') return admitNode(r, node);
    if (g === 'coordination.k8s.io' && r.info.plural === 'leases') return admitLease(r, node);
  },
};
