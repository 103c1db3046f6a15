/** The RBAC authorizer's view of the four RBAC kinds: the apiserver's own watch caches (no store round trip). */
import { RBAC_GROUP, type ClusterRole, type ClusterRoleBinding, type Role, type RoleBinding } from '@tinykube/api';
import type { Storage } from '../../storage/storage.js';
import type { RbacSource } from './rules.js';

export function cacheRbacSource(storage: Storage): RbacSource {
  const store = (plural: string) => {
    const s = storage.get(RBAC_GROUP, plural);
    if (!s) throw new Error(`RBAC needs the ${plural}.${RBAC_GROUP} resource`);
    return s;
  };
  const crbs = store('clusterrolebindings');
  const rbs = store('rolebindings');
  const crs = store('clusterroles');
  const roles = store('roles');
  return {
    clusterRoleBindings: () => crbs.cache.list().map((e) => e.obj as ClusterRoleBinding),
    roleBindings: (ns) => rbs.cache.list(storage.keys.namespacePrefix('rolebindings', ns)).map((e) => e.obj as RoleBinding),
    clusterRole: (name) => crs.cache.get(storage.keys.objectKey('clusterroles', undefined, name))?.obj as ClusterRole | undefined,
    role: (ns, name) => roles.cache.get(storage.keys.objectKey('roles', ns, name))?.obj as Role | undefined,
  };
}
