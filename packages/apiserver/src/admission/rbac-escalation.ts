/**
 * RBAC's privilege-escalation prevention on writes of Roles, ClusterRoles and their bindings (kube does this in the
 * RBAC registry's strategy; here it is one admission plugin, on whenever the RBAC authorizer is).
 */
import { RBAC_GROUP, type ClusterRole, type ClusterRoleBinding, type Role, type RoleBinding } from '@tinykube/api';
import { checkBindingWrite, checkRoleWrite, escalationDeps } from '../auth/rbac/escalation.js';
import type { RbacSource } from '../auth/rbac/rules.js';
import type { Authorizer } from '../auth/types.js';
import type { AdmissionPlugin } from './types.js';

export function rbacEscalation(source: RbacSource, authorizer: Authorizer): AdmissionPlugin {
  const deps = escalationDeps(source, (a) => authorizer.authorize(a));
  return {
    name: 'RBACEscalation',
    async admit(r) {
      if (r.info.group !== RBAC_GROUP || r.operation === 'DELETE' || !r.object) return;
      let err;
      switch (r.info.plural) {
        case 'roles':
          err = await checkRoleWrite(deps, r.user, { kind: 'Role', namespace: r.namespace, object: r.object as Role, old: r.oldObject as Role | undefined });
          break;
        case 'clusterroles':
          err = await checkRoleWrite(deps, r.user, { kind: 'ClusterRole', object: r.object as ClusterRole, old: r.oldObject as ClusterRole | undefined });
          break;
        case 'rolebindings':
          err = await checkBindingWrite(deps, r.user, { kind: 'RoleBinding', namespace: r.namespace, object: r.object as RoleBinding, old: r.oldObject as RoleBinding | undefined });
          break;
        case 'clusterrolebindings':
          err = await checkBindingWrite(deps, r.user, { kind: 'ClusterRoleBinding', object: r.object as ClusterRoleBinding, old: r.oldObject as ClusterRoleBinding | undefined });
          break;
        default:
          return;
      }
      if (err) throw err;
    },
  };
}
