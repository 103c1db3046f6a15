/**
 * Which PolicyRules apply to a user in a namespace: those of every ClusterRoleBinding naming the user,
 * plus, in a namespace, those of its RoleBindings (kube's DefaultRuleResolver in
 * pkg/registry/rbac/validation/rule.go). Used by the authorizer, SelfSubjectRulesReview and the
 * escalation checks.
 */
import { type ClusterRole, type ClusterRoleBinding, type PolicyRule, RBAC_GROUP, type Role, type RoleBinding, type RoleRef, type Subject } from '@tinykube/api';
import type { UserInfo } from '../types.js';

/**
 * Synchronous reads of the four RBAC kinds (backed by the apiserver's watch caches). Returned objects
 * are shared: callers never mutate them.
 */
export interface RbacSource {
  clusterRoleBindings(): readonly ClusterRoleBinding[];
  roleBindings(namespace: string): readonly RoleBinding[];
  clusterRole(name: string): ClusterRole | undefined;
  role(namespace: string, name: string): Role | undefined;
}

/**
 * How a missing role is worded: kube's authorizer reads listers (`clusterrole.rbac.authorization.k8s.io "x"
 * not found`), its escalation checks read the registry (`clusterroles.rbac.authorization.k8s.io ...`).
 */
export type NotFoundWording = 'lister' | 'registry';

export type RoleRefRules =
  | { ok: true; rules: readonly PolicyRule[] }
  | { ok: false; reason: 'NotFound'; resource: 'roles' | 'clusterroles'; name: string; message: string }
  | { ok: false; reason: 'Unsupported'; message: string };

function notFoundMessage(kind: 'Role' | 'ClusterRole', name: string, wording: NotFoundWording): string {
  const resource = wording === 'lister' ? kind.toLowerCase() : `${kind.toLowerCase()}s`;
  return `${resource}.${RBAC_GROUP} ${JSON.stringify(name)} not found`;
}

/** GetRoleReferenceRules: the rules of the Role (in the binding's namespace) or ClusterRole a binding names. */
export function roleRefRules(source: RbacSource, ref: RoleRef, bindingNamespace: string, wording: NotFoundWording = 'lister'): RoleRefRules {
  if (ref.kind === 'Role' || ref.kind === 'ClusterRole') {
    const role = ref.kind === 'Role' ? (bindingNamespace ? source.role(bindingNamespace, ref.name) : undefined) : source.clusterRole(ref.name);
    if (!role) {
      const resource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
      return { ok: false, reason: 'NotFound', resource, name: ref.name, message: notFoundMessage(ref.kind, ref.name, wording) };
    }
    return { ok: true, rules: role.rules ?? [] };
  }
  return { ok: false, reason: 'Unsupported', message: `unsupported role reference kind: ${JSON.stringify(ref.kind)}` };
}

export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

/**
 * appliesToUser: User by name, Group by membership, ServiceAccount by its username; a ServiceAccount
 * subject without a namespace means the binding's own namespace (none for a ClusterRoleBinding).
 */
export function subjectMatches(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && user.username === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

/** The index of the first subject naming the user, or -1. */
export function appliesTo(user: UserInfo, subjects: readonly Subject[] | undefined, bindingNamespace: string): number {
  return (subjects ?? []).findIndex((s) => subjectMatches(user, s, bindingNamespace));
}

/** Where a rule came from; turned into text only when a reason is needed. */
export type RuleOrigin =
  | { kind: 'ClusterRoleBinding'; binding: ClusterRoleBinding; subject: Subject }
  | { kind: 'RoleBinding'; binding: RoleBinding; subject: Subject };

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

/** kube's describers: `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`, `RoleBinding "name/ns" of Role "r" to User "u"`. */
export function describeOrigin(o: RuleOrigin): string {
  const ref = o.binding.roleRef;
  if (o.kind === 'ClusterRoleBinding') {
    return `ClusterRoleBinding ${JSON.stringify(o.binding.metadata.name ?? '')} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(o.subject, '')}`;
  }
  const ns = o.binding.metadata.namespace ?? '';
  return `RoleBinding ${JSON.stringify(`${o.binding.metadata.name ?? ''}/${ns}`)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(o.subject, ns)}`;
}

/** Called per rule (with its origin) and per resolution error; returning false stops the walk. */
export type RuleVisitor = (origin: RuleOrigin | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

/** VisitRulesFor: ClusterRoleBindings first, then (in a namespace) that namespace's RoleBindings. */
export function visitRulesFor(
  source: RbacSource,
  user: UserInfo,
  namespace: string,
  visit: RuleVisitor,
  wording: NotFoundWording = 'lister',
): void {
  for (const binding of source.clusterRoleBindings()) {
    const i = appliesTo(user, binding.subjects, '');
    if (i < 0) continue;
    const resolved = roleRefRules(source, binding.roleRef, '', wording);
    if (!resolved.ok) {
      if (!visit(undefined, undefined, resolved.message)) return;
      continue;
    }
    const origin: RuleOrigin = { kind: 'ClusterRoleBinding', binding, subject: binding.subjects![i]! };
    for (const rule of resolved.rules) if (!visit(origin, rule, undefined)) return;
  }
  if (namespace === '') return;
  for (const binding of source.roleBindings(namespace)) {
    const i = appliesTo(user, binding.subjects, namespace);
    if (i < 0) continue;
    const resolved = roleRefRules(source, binding.roleRef, namespace, wording);
    if (!resolved.ok) {
      if (!visit(undefined, undefined, resolved.message)) return;
      continue;
    }
    const origin: RuleOrigin = { kind: 'RoleBinding', binding, subject: binding.subjects![i]! };
    for (const rule of resolved.rules) if (!visit(origin, rule, undefined)) return;
  }
}

/** Every rule found, plus what could not be resolved (rules are additive, so a partial answer is still usable). */
export interface RuleResolution {
  rules: PolicyRule[];
  errors: string[];
}

export function rulesFor(source: RbacSource, user: UserInfo, namespace: string, wording: NotFoundWording = 'lister'): RuleResolution {
  const out: RuleResolution = { rules: [], errors: [] };
  visitRulesFor(
    source,
    user,
    namespace,
    (_origin, rule, error) => {
      if (rule) out.rules.push(rule);
      if (error !== undefined) out.errors.push(error);
      return true;
    },
    wording,
  );
  return out;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several de-duplicated in brackets. */
export function aggregateErrors(errors: readonly string[]): string {
  if (errors.length === 0) return '';
  if (errors.length === 1) return errors[0]!;
  const seen = [...new Set(errors)];
  return seen.length === 1 ? seen[0]! : `[${seen.join(', ')}]`;
}

/**
 * The rules of a SelfSubjectRulesReview status, split as kube's RBAC authorizer splits them: rules with
 * resources are resource rules, rules with nonResourceURLs non-resource rules (a rule may be neither).
 */
export function splitRulesForReview(rules: readonly PolicyRule[]): {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
} {
  const resourceRules: PolicyRule[] = [];
  const nonResourceRules: PolicyRule[] = [];
  for (const r of rules) {
    if ((r.resources ?? []).length > 0) {
      const { nonResourceURLs: _urls, ...rest } = r;
      resourceRules.push(rest);
    }
    if ((r.nonResourceURLs ?? []).length > 0) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
  }
  return { resourceRules, nonResourceRules };
}
