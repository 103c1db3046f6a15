/**
 * Namespaced bootstrap policy: kube-apiserver's Roles and RoleBindings in kube-system and kube-public
 * (bootstrappolicy/namespace_policy.go), and what `kubeadm init` adds for node bootstrapping
 * (cmd/kubeadm/app/phases/bootstraptoken/{clusterinfo,node}). kubeadm's objects carry no
 * rbac-defaults label or autoupdate annotation, as kubeadm creates them.
 */
import type { ClusterRoleBinding, Role, RoleBinding } from '@tinykube/api';
import { clusterRoleBinding, eventsRule, groups, r, role, roleBinding, serviceAccounts, users } from './policy-builders.js';

const SYSTEM = 'kube-system';
const PUBLIC = 'kube-public';
const core = '';

export function namespaceRoles(): Role[] {
  return [
    role(SYSTEM, 'extension-apiserver-authentication-reader', [r(['get', 'list', 'watch'], [core], ['configmaps'], ['extension-apiserver-authentication'])]),
    role(SYSTEM, 'system:controller:bootstrap-signer', [r(['get', 'list', 'watch'], [core], ['secrets'])]),
    // deprecated since 1.10 and still created by kube
    role(SYSTEM, 'system:controller:cloud-provider', [r(['create', 'get', 'list', 'watch'], [core], ['configmaps'])]),
    role(SYSTEM, 'system:controller:token-cleaner', [r(['get', 'list', 'watch', 'delete'], [core], ['secrets']), eventsRule()]),
    role(SYSTEM, 'system::leader-locking-kube-controller-manager', [
      r(['watch'], [core], ['configmaps']),
      r(['get', 'update'], [core], ['configmaps'], ['kube-controller-manager']),
      r(['get', 'watch', 'list', 'create', 'update'], ['coordination.k8s.io'], ['leases']),
    ]),
    role(SYSTEM, 'system::leader-locking-kube-scheduler', [
      r(['watch'], [core], ['configmaps']),
      r(['get', 'update'], [core], ['configmaps'], ['kube-scheduler']),
    ]),
    role(PUBLIC, 'system:controller:bootstrap-signer', [
      r(['get', 'list', 'watch'], [core], ['configmaps']),
      r(['update'], [core], ['configmaps'], ['cluster-info']),
      eventsRule(),
    ]),
  ];
}

export function namespaceRoleBindings(): RoleBinding[] {
  return [
    roleBinding(SYSTEM, 'extension-apiserver-authentication-reader', users('system:kube-controller-manager', 'system:kube-scheduler'), {
      name: 'system::extension-apiserver-authentication-reader',
    }),
    roleBinding(SYSTEM, 'system::leader-locking-kube-controller-manager', [
      ...users('system:kube-controller-manager'),
      ...serviceAccounts(SYSTEM, 'kube-controller-manager', 'leader-election-controller'),
    ]),
    roleBinding(SYSTEM, 'system::leader-locking-kube-scheduler', [...users('system:kube-scheduler'), ...serviceAccounts(SYSTEM, 'kube-scheduler')]),
    roleBinding(SYSTEM, 'system:controller:bootstrap-signer', serviceAccounts(SYSTEM, 'bootstrap-signer')),
    roleBinding(SYSTEM, 'system:controller:cloud-provider', serviceAccounts(SYSTEM, 'cloud-provider')),
    roleBinding(SYSTEM, 'system:controller:token-cleaner', serviceAccounts(SYSTEM, 'token-cleaner')),
    roleBinding(PUBLIC, 'system:controller:bootstrap-signer', serviceAccounts(SYSTEM, 'bootstrap-signer')),
  ];
}

/** The group kubeadm's default bootstrap token authenticates into. */
export const KUBEADM_BOOTSTRAP_GROUP = 'system:bootstrappers:kubeadm:default-node-token';
const KUBEADM = { defaults: false } as const;

/** kubeadm: anonymous clients may read kube-public/cluster-info (how `kubeadm join` discovers the CA). */
export function kubeadmRoles(): Role[] {
  return [role(PUBLIC, 'kubeadm:bootstrap-signer-clusterinfo', [r(['get'], [core], ['configmaps'], ['cluster-info'])], KUBEADM)];
}

export function kubeadmRoleBindings(): RoleBinding[] {
  return [roleBinding(PUBLIC, 'kubeadm:bootstrap-signer-clusterinfo', users('system:anonymous'), KUBEADM)];
}

/** kubeadm: bootstrap-token kubelets may request client certificates, which are auto-approved, and renew them. */
export function kubeadmClusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterRoleBinding('system:node-bootstrapper', groups(KUBEADM_BOOTSTRAP_GROUP), { ...KUBEADM, name: 'kubeadm:kubelet-bootstrap' }),
    clusterRoleBinding('system:certificates.k8s.io:certificatesigningrequests:nodeclient', groups(KUBEADM_BOOTSTRAP_GROUP), {
      ...KUBEADM, name: 'kubeadm:node-autoapprove-bootstrap',
    }),
    clusterRoleBinding('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', groups('system:nodes'), {
      ...KUBEADM, name: 'kubeadm:node-autoapprove-certificate-rotation',
    }),
  ];
}
