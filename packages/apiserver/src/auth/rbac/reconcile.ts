/**
 * kube's reconciliation of the bootstrap policy at every apiserver start
 * (pkg/registry/rbac/reconciliation, in its additive mode): missing objects are created; existing
 * ones gain the expected rules, aggregation selectors, subjects, labels and annotations they lack,
 * and keep everything else (what an admin added stays). An object annotated
 * `rbac.authorization.kubernetes.io/autoupdate: "false"` is never touched. A binding whose roleRef
 * differs (roleRef is immutable) is deleted and created anew.
 *
 * Pure: the caller reads the existing object, applies the action (update with the object's
 * resourceVersion; recreate = delete with a uid precondition, then create) and retries on conflict.
 * Only bootstrap objects are passed in; nothing else is reconciled.
 */
import type { ClusterRole, ClusterRoleBinding, KubeObject, LabelSelectorSpec, PolicyRule, Role, RoleBinding, RoleRef, Subject } from '@tinykube/api';
import { RBAC_GROUP } from '@tinykube/api';
import { deepEqual } from '@tinykube/api';
import { covers } from './covers.js';
import { AUTOUPDATE_ANNOTATION } from './policy-builders.js';

export type ReconcileAction = 'none' | 'create' | 'update' | 'recreate';

export interface RoleReconcileResult<T extends Role | ClusterRole> {
  /** none: leave as is; create: create `object`; update: write `object` (it carries the existing resourceVersion) */
  action: 'none' | 'create' | 'update';
  object: T;
  /** the existing object opted out with autoupdate=false (action is then none) */
  protected: boolean;
  /** expected rules (as single-verb atoms) the existing object lacked */
  missingRules: PolicyRule[];
  missingSelectors: LabelSelectorSpec[];
}

export interface BindingReconcileResult<T extends RoleBinding | ClusterRoleBinding> {
  /** recreate: delete the existing binding (uid precondition), then create `object` */
  action: ReconcileAction;
  object: T;
  protected: boolean;
  missingSubjects: Subject[];
}

function isProtected(o: KubeObject): boolean {
  return o.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false';
}

/** merge(expected, existing): the union of both maps, existing values winning; absent when both are. */
function mergeMaps(expected: Record<string, string> | undefined, existing: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!expected && !existing) return undefined;
  return { ...(expected ?? {}), ...(existing ?? {}) };
}

/** Copies `existing`, merging in the expected labels and annotations; says whether that changed anything. */
function mergeMeta<T extends KubeObject>(existing: T, expected: T): { object: T; changed: boolean } {
  const object = structuredClone(existing);
  const annotations = mergeMaps(expected.metadata.annotations, existing.metadata.annotations);
  const labels = mergeMaps(expected.metadata.labels, existing.metadata.labels);
  if (annotations) object.metadata.annotations = annotations;
  if (labels) object.metadata.labels = labels;
  const changed = !deepEqual(annotations, existing.metadata.annotations) || !deepEqual(labels, existing.metadata.labels);
  return { object, changed };
}

/** The selectors of a ClusterRole's aggregationRule; undefined when it has none (always for a Role). */
function clusterRoleSelectors(role: Role | ClusterRole): LabelSelectorSpec[] | undefined {
  const agg = (role as ClusterRole).aggregationRule;
  return agg ? (agg.clusterRoleSelectors ?? []) : undefined;
}

export function reconcileRole<T extends Role | ClusterRole>(existing: T | undefined, expected: T): RoleReconcileResult<T> {
  if (!existing) {
    return { action: 'create', object: structuredClone(expected), protected: false, missingRules: expected.rules ?? [], missingSelectors: clusterRoleSelectors(expected) ?? [] };
  }
  if (isProtected(existing)) return { action: 'none', object: existing, protected: true, missingRules: [], missingSelectors: [] };
  const { object, changed } = mergeMeta(existing, expected);
  let update = changed;
  const { missing: missingRules } = covers(existing.rules ?? [], expected.rules ?? []);
  if (missingRules.length > 0) {
    object.rules = [...(existing.rules ?? []), ...missingRules];
    update = true;
  }
  const want = clusterRoleSelectors(expected);
  const have = clusterRoleSelectors(existing);
  let missingSelectors: LabelSelectorSpec[] = [];
  if (want === undefined && have !== undefined) {
    // the expected role is no longer aggregated: drop the rule (the controller stops rewriting its rules)
    delete (object as ClusterRole).aggregationRule;
    update = true;
  } else if (want !== undefined) {
    missingSelectors = want.filter((s) => !(have ?? []).some((h) => deepEqual(h, s)));
    if (missingSelectors.length > 0) {
      const agg = (object as ClusterRole).aggregationRule ?? {};
      (object as ClusterRole).aggregationRule = { ...agg, clusterRoleSelectors: [...(have ?? []), ...missingSelectors] };
      update = true;
    }
  }
  return { action: update ? 'update' : 'none', object, protected: false, missingRules, missingSelectors };
}

/** Subjects compare after defaulting: User and Group are in the RBAC group, ServiceAccounts in none. */
function subjectKey(s: Subject): string {
  const apiGroup = s.apiGroup || (s.kind === 'User' || s.kind === 'Group' ? RBAC_GROUP : '');
  return JSON.stringify([s.kind, apiGroup, s.name, s.namespace ?? '']);
}

function sameRoleRef(a: RoleRef, b: RoleRef): boolean {
  return a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name;
}

export function reconcileBinding<T extends RoleBinding | ClusterRoleBinding>(existing: T | undefined, expected: T): BindingReconcileResult<T> {
  if (!existing) return { action: 'create', object: structuredClone(expected), protected: false, missingSubjects: expected.subjects ?? [] };
  if (isProtected(existing)) return { action: 'none', object: existing, protected: true, missingSubjects: [] };
  if (!sameRoleRef(existing.roleRef, expected.roleRef)) {
    return { action: 'recreate', object: structuredClone(expected), protected: false, missingSubjects: expected.subjects ?? [] };
  }
  const { object, changed } = mergeMeta(existing, expected);
  const have = new Set((existing.subjects ?? []).map(subjectKey));
  const missingSubjects: Subject[] = [];
  for (const s of expected.subjects ?? []) {
    const k = subjectKey(s);
    if (!have.has(k)) {
      have.add(k);
      missingSubjects.push(s);
    }
  }
  if (missingSubjects.length > 0) object.subjects = [...(existing.subjects ?? []), ...missingSubjects];
  return { action: changed || missingSubjects.length > 0 ? 'update' : 'none', object, protected: false, missingSubjects };
}
