import { LabelSelectorError, labelSelectorAsSelectorOrError } from '../labels.js';
import { isDNS1123Subdomain } from '../names.js';
import type { LabelSelectorSpec } from '../schemas/primitives.js';
import {
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  RBAC_GROUP,
  type Role,
  type RoleBinding,
  type RoleRef,
  type Subject,
} from '../schemas/rbac.js';
import { type FieldCause, child, index, invalid, invalidRendered, notSupported, required } from './field-errors.js';

// pkg/apis/rbac/validation: ValidateRole, ValidateClusterRole, ValidateRoleBinding,
// ValidateClusterRoleBinding and the roleRef rule of their updates. Messages are Kubernetes'.

export const RBAC_KINDS: ReadonlySet<string> = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/**
 * path.IsValidPathSegmentName: RBAC names only have to be usable in a URL path, so
 * `system:controller:foo` is fine where a DNS subdomain would not be.
 */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errors: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errors.push(`may not contain '${bad}'`);
  return errors;
}

/** Go's %#v of a []string, as field.Invalid prints slices: `[]string{"/healthz"}`. */
function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** Go's %#v of an rbac.RoleRef. */
export function goRoleRef(ref: RoleRef): string {
  return `rbac.RoleRef{APIGroup:${JSON.stringify(ref.apiGroup)}, Kind:${JSON.stringify(ref.kind)}, Name:${JSON.stringify(ref.name)}}`;
}

function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (rule.verbs.length === 0) causes.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    const rendered = goStringSlice(urls);
    if (namespaced) {
      causes.push(invalidRendered(child(path, 'nonResourceURLs'), rendered, 'namespaced rules cannot apply to non-resource URLs'));
    }
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
      causes.push(
        invalidRendered(child(path, 'nonResourceURLs'), rendered, 'rules cannot apply to both regular resources and non-resource URLs'),
      );
    }
    return causes;
  }
  if ((rule.apiGroups ?? []).length === 0) {
    causes.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  }
  if ((rule.resources ?? []).length === 0) {
    causes.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  }
  if ((rule.resourceNames ?? []).length > 0 && (rule.resources ?? []).length > 1) {
    causes.push(required(child(path, 'resourceNames'), 'resource names cannot apply to multiple resources'));
  }
  return causes;
}

function validateRules(rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldCause[] {
  return (rules ?? []).flatMap((r, i) => validatePolicyRule(r, namespaced, index('rules', i)));
}

export function validateRole(role: Role): FieldCause[] {
  return validateRules(role.rules, true);
}

export function validateClusterRole(role: ClusterRole): FieldCause[] {
  const causes = validateRules(role.rules, false);
  const agg = role.aggregationRule;
  if (agg) {
    const selectors = agg.clusterRoleSelectors ?? [];
    if (selectors.length === 0) {
      causes.push(
        required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'),
      );
    }
    selectors.forEach((sel: LabelSelectorSpec, i) => {
      const parsed = labelSelectorAsSelectorOrError(sel);
      if (parsed instanceof LabelSelectorError) {
        causes.push(invalidRendered(index('aggregationRule.clusterRoleSelectors', i), JSON.stringify(sel), parsed.message));
      }
    });
  }
  return causes;
}

function validateSubject(subject: Subject, namespaced: boolean, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (subject.name === '') causes.push(required(child(path, 'name')));
  // An absent apiGroup is what defaulting (SetDefaults_Subject) would fill in, so it is accepted.
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.name !== '') {
        for (const msg of isDNS1123Subdomain(subject.name)) causes.push(invalid(child(path, 'name'), subject.name, msg));
      }
      if (subject.apiGroup) causes.push(notSupported(child(path, 'apiGroup'), subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace) causes.push(required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (subject.name === '') {
        const what = subject.kind === 'User' ? 'user' : 'group';
        causes.push(invalid(child(path, 'name'), subject.name, `${what} name cannot be empty`));
      }
      if (subject.apiGroup !== undefined && subject.apiGroup !== '' && subject.apiGroup !== RBAC_GROUP) {
        causes.push(notSupported(child(path, 'apiGroup'), subject.apiGroup, [RBAC_GROUP]));
      }
      break;
    default:
      causes.push(notSupported(child(path, 'kind'), subject.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return causes;
}

function validateBinding(binding: RoleBinding | ClusterRoleBinding, namespaced: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  const ref = binding.roleRef;
  if (ref.apiGroup !== RBAC_GROUP) causes.push(notSupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) causes.push(notSupported('roleRef.kind', ref.kind, kinds));
  if (ref.name === '') causes.push(required('roleRef.name'));
  else for (const msg of isValidPathSegmentName(ref.name)) causes.push(invalid('roleRef.name', ref.name, msg));
  (binding.subjects ?? []).forEach((s, i) => causes.push(...validateSubject(s, namespaced, index('subjects', i))));
  return causes;
}

export function validateRoleBinding(binding: RoleBinding): FieldCause[] {
  return validateBinding(binding, true);
}

export function validateClusterRoleBinding(binding: ClusterRoleBinding): FieldCause[] {
  return validateBinding(binding, false);
}

/** ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate: a binding's roleRef never changes. */
export function validateBindingUpdate(binding: RoleBinding | ClusterRoleBinding, old: RoleBinding | ClusterRoleBinding): FieldCause[] {
  const a = binding.roleRef;
  const b = old.roleRef;
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  return [invalidRendered('roleRef', goRoleRef(a), 'cannot change roleRef')];
}
