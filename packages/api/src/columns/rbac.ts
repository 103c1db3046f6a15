import type { TableColumn } from '../registry-types.js';
import type { ClusterRoleBinding, RoleBinding, Subject } from '../schemas/rbac.js';
import { AGE_DESCRIPTION, ageColumn, column, nameColumn } from './common.js';

// kube-apiserver's printers for rbac.authorization.k8s.io/v1 (pkg/printers/internalversion).

type Binding = RoleBinding | ClusterRoleBinding;

/** Go's zero time, which kube prints for an object without a creationTimestamp. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** CREATED AT of Roles and ClusterRoles: the creation time in RFC 3339, UTC, to the second. */
export function createdAt(timestamp: string | undefined): string {
  if (!timestamp) return ZERO_TIME;
  const t = new Date(timestamp);
  if (Number.isNaN(t.getTime())) return timestamp;
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** ROLE: `ClusterRole/admin`, `Role/pod-reader`. */
export function roleRefString(binding: Binding): string {
  return `${binding.roleRef.kind}/${binding.roleRef.name}`;
}

/** rbac.SubjectsStrings: the names of each subject kind; ServiceAccounts as `namespace/name`. */
export function subjectsStrings(subjects: readonly Subject[] | undefined): {
  users: string[];
  groups: string[];
  serviceAccounts: string[];
  others: string[];
} {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[], others: [] as string[] };
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') out.serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') out.users.push(s.name);
    else if (s.kind === 'Group') out.groups.push(s.name);
    else out.others.push(`${s.kind}/${s.namespace ?? ''}/${s.name}`);
  }
  return out;
}

const createdAtColumn: TableColumn = {
  name: 'Created At',
  type: 'date',
  description: AGE_DESCRIPTION,
  priority: 0,
  cell: (obj) => createdAt(obj.metadata.creationTimestamp),
};

export const roleColumns: TableColumn[] = [nameColumn, createdAtColumn];
export const clusterRoleColumns: TableColumn[] = [nameColumn, createdAtColumn];

function bindingColumns(roleRefDescription: string): TableColumn[] {
  return [
    nameColumn,
    column<Binding>('Role', 'string', roleRefDescription, roleRefString),
    ageColumn,
    column<Binding>('Users', 'string', 'Users in the roleBinding', (b) => subjectsStrings(b.subjects).users.join(', '), 1),
    column<Binding>('Groups', 'string', 'Groups in the roleBinding', (b) => subjectsStrings(b.subjects).groups.join(', '), 1),
    column<Binding>(
      'ServiceAccounts',
      'string',
      'ServiceAccounts in the roleBinding',
      (b) => subjectsStrings(b.subjects).serviceAccounts.join(', '),
      1,
    ),
  ];
}

export const roleBindingColumns: TableColumn[] = bindingColumns(
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
);
export const clusterRoleBindingColumns: TableColumn[] = bindingColumns(
  'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
);
