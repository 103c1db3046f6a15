/**
 * The default RBAC policy a cluster starts with: what kube-apiserver's rbac/bootstrap-roles post-start
 * hook reconciles at every start (cluster roles, controller roles, namespaced roles, their bindings),
 * plus kubeadm's node-bootstrap bindings. Callers get fresh objects they may mutate.
 */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '@tinykube/api';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-cluster-roles.js';
import { controllerClusterRoleBindings, controllerClusterRoles, managerClusterRoleBindings } from './bootstrap-controller-roles.js';
import {
  kubeadmClusterRoleBindings, kubeadmRoleBindings, kubeadmRoles, namespaceRoleBindings, namespaceRoles,
} from './bootstrap-namespace-roles.js';

export interface BootstrapPolicy {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
  /** in kube-system and kube-public, which must exist before these are created */
  roles: Role[];
  roleBindings: RoleBinding[];
}

export function bootstrapPolicy(): BootstrapPolicy {
  return structuredClone({
    clusterRoles: [...bootstrapClusterRoles(), ...controllerClusterRoles()],
    clusterRoleBindings: [...bootstrapClusterRoleBindings(), ...controllerClusterRoleBindings(), ...managerClusterRoleBindings(), ...kubeadmClusterRoleBindings()],
    roles: [...namespaceRoles(), ...kubeadmRoles()],
    roleBindings: [...namespaceRoleBindings(), ...kubeadmRoleBindings()],
  });
}

export { AGGREGATE_TO_ADMIN, AGGREGATE_TO_EDIT, AGGREGATE_TO_VIEW } from './bootstrap-cluster-roles.js';
export { CONTROLLER_NAMES, CONTROLLER_ROLE_PREFIX } from './bootstrap-controller-roles.js';
export { KUBEADM_BOOTSTRAP_GROUP } from './bootstrap-namespace-roles.js';
export { AUTOUPDATE_ANNOTATION, BOOTSTRAP_LABEL, BOOTSTRAP_LABEL_VALUE } from './policy-builders.js';
