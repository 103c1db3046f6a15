/** An RbacSource over fixed lists (tests, and checks run before the watch caches exist). */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '@tinykube/api';
import type { RbacSource } from './rules.js';

export interface RbacObjects {
  roles?: readonly Role[];
  roleBindings?: readonly RoleBinding[];
  clusterRoles?: readonly ClusterRole[];
  clusterRoleBindings?: readonly ClusterRoleBinding[];
}

export function staticRbacSource(objects: RbacObjects): RbacSource {
  const roles = objects.roles ?? [];
  const roleBindings = objects.roleBindings ?? [];
  const clusterRoles = objects.clusterRoles ?? [];
  const clusterRoleBindings = objects.clusterRoleBindings ?? [];
  return {
    clusterRoleBindings: () => clusterRoleBindings,
    roleBindings: (ns) => roleBindings.filter((b) => b.metadata.namespace === ns),
    clusterRole: (name) => clusterRoles.find((r) => r.metadata.name === name),
    role: (ns, name) => roles.find((r) => r.metadata.namespace === ns && r.metadata.name === name),
  };
}
