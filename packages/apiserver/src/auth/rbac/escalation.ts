/**
 * kube's privilege-escalation prevention for writes of Roles, ClusterRoles and their bindings
 * (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased and
 * escalation_check.go): a user may only grant what they already hold, unless they may `escalate`
 * (roles) or `bind` (bindings) explicitly. Members of system:masters may always.
 *
 * Call on create and update after validation (names and namespaces filled in), before storing.
 */
import {
  type ClusterRole,
  type ClusterRoleBinding,
  type KubeObject,
  type PolicyRule,
  RBAC_GROUP,
  type Role,
  type RoleBinding,
  type RoleRef,
} from '@tinykube/api';
import { type ApiError, badRequest, forbidden, internal, notFound } from '@tinykube/api';
import { deepEqual } from '@tinykube/api';
import type { Attributes, Decision, UserInfo } from '../types.js';
import { compactRules, compactString, covers, goQuote, goQuoteList } from './covers.js';
import { type RbacSource, type RoleRefRules, type RuleResolution, aggregateErrors, roleRefRules, rulesFor } from './rules.js';

export { covers } from './covers.js';

/** user.SystemPrivilegedGroup: the apiserver's own loopback identity is in it, so it can always grant. */
export const SYSTEM_MASTERS = 'system:masters';

/** What the checks read: the apiserver's authorizer and the RBAC state (watch caches). */
export interface EscalationDeps {
  authorize(a: Attributes): Promise<Decision> | Decision;
  /** every rule `user` holds in `namespace` ('' = ClusterRoleBindings only) */
  rulesFor(user: UserInfo, namespace: string): RuleResolution;
  /** the rules the Role (in `namespace`) or ClusterRole named by a binding holds */
  roleRefRules(ref: RoleRef, namespace: string): RoleRefRules;
}

/** EscalationDeps over an RbacSource, with missing roles worded as kube's registry words them. */
export function escalationDeps(source: RbacSource, authorize: EscalationDeps['authorize']): EscalationDeps {
  return {
    authorize,
    rulesFor: (user, namespace) => rulesFor(source, user, namespace, 'registry'),
    roleRefRules: (ref, namespace) => roleRefRules(source, ref, namespace, 'registry'),
  };
}

/** EscalationAllowed: members of system:masters skip every check. */
export function escalationAllowed(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_MASTERS);
}

/**
 * ConfirmNoEscalation: undefined when `held` covers `requested`, else kube's message, e.g.
 * `user "u" (groups=["a" "b"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["apps"], Resources:["deployments"], Verbs:["create"]}`
 * (missing rules compacted, one per line, sorted).
 */
export function confirmNoEscalation(user: UserInfo, held: RuleResolution, requested: readonly PolicyRule[]): string | undefined {
  const { covered, missing } = covers(held.rules, requested);
  if (covered) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${goQuote(user.username)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (held.errors.length > 0) msg += `; resolution errors: [${aggregateErrors(held.errors)}]`;
  return msg;
}

/**
 * IsOnlyMutatingGCFields: an update that only touches ownerReferences or finalizers is always allowed.
 * Fields the apiserver maintains itself (uid, creationTimestamp, resourceVersion, generation,
 * managedFields, selfLink) are ignored too, since a body may omit them and have them carried over.
 */
export function isOnlyMutatingGCFields(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject): unknown => {
    const {
      ownerReferences: _or, finalizers: _f, selfLink: _sl, uid: _uid, creationTimestamp: _ct,
      resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta
    } = o.metadata;
    return { ...o, metadata: meta };
  };
  return deepEqual(strip(obj), strip(old));
}

async function allowed(deps: EscalationDeps, a: Attributes): Promise<boolean> {
  try {
    return (await deps.authorize(a)).decision === 'allow';
  } catch {
    // kube logs an authorizer error and treats it as "not authorized"
    return false;
  }
}

function attrs(user: UserInfo, verb: string, resource: string, namespace: string, name: string, apiGroup: string, apiVersion: string): Attributes {
  return { user, verb, resourceRequest: true, path: '', apiGroup, apiVersion, resource, subresource: '', namespace, name };
}

/** The full authority that using an aggregationRule requires (it can gather any rule). */
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export type RoleWrite =
  | { kind: 'Role'; namespace: string; object: Role; old?: Role }
  | { kind: 'ClusterRole'; object: ClusterRole; old?: ClusterRole };

function hasAggregationRule(role: ClusterRole | undefined): boolean {
  return (role?.aggregationRule?.clusterRoleSelectors ?? []).length > 0;
}

/**
 * Create (no `old`) or update of a Role / ClusterRole by `user`. Allowed when the user is in
 * system:masters, may `escalate` roles/clusterroles (in that namespace, for that name on update),
 * only changes ownerReferences/finalizers, or already holds every rule (in the namespace for a Role,
 * cluster-wide for a ClusterRole). An aggregationRule (set now or before) needs full authority.
 * Returns the 403 to answer, or undefined.
 */
export async function checkRoleWrite(deps: EscalationDeps, user: UserInfo, w: RoleWrite): Promise<ApiError | undefined> {
  if (escalationAllowed(user)) return undefined;
  const namespace = w.kind === 'Role' ? w.namespace : '';
  const resource = w.kind === 'Role' ? 'roles' : 'clusterroles';
  const name = w.object.metadata.name ?? '';
  // the request's own attributes: a create's URL names no object
  const requestName = w.old ? name : '';
  if (await allowed(deps, attrs(user, 'escalate', resource, namespace, requestName, RBAC_GROUP, '*'))) return undefined;
  if (w.old && isOnlyMutatingGCFields(w.object, w.old)) return undefined;
  const gr = { group: RBAC_GROUP, resource };
  const held = deps.rulesFor(user, namespace);
  const why = confirmNoEscalation(user, held, w.object.rules ?? []);
  if (why) return forbidden(gr, name, why);
  if (w.kind === 'ClusterRole' && (hasAggregationRule(w.object) || hasAggregationRule(w.old))) {
    if (confirmNoEscalation(user, held, FULL_AUTHORITY)) return forbidden(gr, name, 'must have cluster-admin privileges to use the aggregationRule');
  }
  return undefined;
}

export type BindingWrite =
  | { kind: 'RoleBinding'; namespace: string; object: RoleBinding; old?: RoleBinding }
  | { kind: 'ClusterRoleBinding'; object: ClusterRoleBinding; old?: ClusterRoleBinding };

/** BindingAuthorized: `bind` on the referenced role, by name, in the binding's namespace. */
async function bindingAuthorized(deps: EscalationDeps, user: UserInfo, ref: RoleRef, namespace: string): Promise<boolean> {
  if (ref.kind !== 'Role' && ref.kind !== 'ClusterRole') return false;
  const resource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
  return allowed(deps, attrs(user, 'bind', resource, namespace, ref.name, ref.apiGroup, ''));
}

/**
 * Create (no `old`) or update of a RoleBinding / ClusterRoleBinding by `user`. Allowed when the user is
 * in system:masters, only changes ownerReferences/finalizers (updates), may `bind` the referenced role,
 * or already holds every rule of it in the binding's namespace ('' for a ClusterRoleBinding).
 * A referenced role that does not exist is a 404 unless `bind` allowed the write.
 */
export async function checkBindingWrite(deps: EscalationDeps, user: UserInfo, w: BindingWrite): Promise<ApiError | undefined> {
  if (escalationAllowed(user)) return undefined;
  const namespace = w.kind === 'RoleBinding' ? w.namespace : '';
  if (w.kind === 'RoleBinding' && namespace === '') return badRequest('namespace is required');
  if (w.old && isOnlyMutatingGCFields(w.object, w.old)) return undefined;
  const ref = w.object.roleRef;
  if (await bindingAuthorized(deps, user, ref, namespace)) return undefined;
  const resolved = deps.roleRefRules(ref, namespace);
  if (!resolved.ok) {
    if (resolved.reason === 'NotFound') return notFound({ group: RBAC_GROUP, resource: resolved.resource }, resolved.name);
    return internal(resolved.message);
  }
  const why = confirmNoEscalation(user, deps.rulesFor(user, namespace), resolved.rules);
  const resource = w.kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
  return why ? forbidden({ group: RBAC_GROUP, resource }, w.object.metadata.name ?? '', why) : undefined;
}
