/**
 * The CRD status the apiextensions controller writes, as kube's naming and establishing controllers
 * word it: acceptedNames and the NamesAccepted / Established / Terminating conditions.
 */
import type { CustomResourceDefinition, CustomResourceDefinitionNames } from '@tinykube/api';

export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

type Status = NonNullable<CustomResourceDefinition['status']>;

/** Sets (or replaces) one condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(status: Status, cond: { type: string; status: string; reason: string; message: string }, now: string): void {
  const list = (status.conditions ??= []);
  const i = list.findIndex((c) => c.type === cond.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next = { ...cond, lastTransitionTime: prev && prev.status === cond.status ? prev.lastTransitionTime : now };
  if (i >= 0) list[i] = next; else list.push(next);
}

export function conditionTrue(crd: CustomResourceDefinition, type: string): boolean {
  return crd.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/**
 * kube's NamingConditionController: names already accepted by another CRD of the same group (or a built-in
 * resource of that group) conflict. Returns the names to accept, or the NamesAccepted=False condition.
 */
export function checkNames(
  crd: CustomResourceDefinition, others: readonly CustomResourceDefinition[], builtinPlurals: ReadonlySet<string>,
): { ok: true; names: CustomResourceDefinitionNames } | { ok: false; reason: string; message: string } {
  const names = crd.spec.names;
  const taken = { plural: new Set<string>(builtinPlurals), singular: new Set<string>(), short: new Set<string>(), kind: new Set<string>(), listKind: new Set<string>() };
  for (const o of others) {
    if (o.spec.group !== crd.spec.group || o.metadata.name === crd.metadata.name) continue;
    const a = o.status?.acceptedNames;
    if (!a) continue;
    taken.plural.add(a.plural); if (a.singular) taken.singular.add(a.singular);
    for (const s of a.shortNames ?? []) taken.short.add(s);
    taken.kind.add(a.kind); if (a.listKind) taken.listKind.add(a.listKind);
  }
  const inUse = (v: string) => `${JSON.stringify(v)} is already in use`;
  if (taken.plural.has(names.plural) || taken.singular.has(names.plural)) return { ok: false, reason: 'PluralConflict', message: inUse(names.plural) };
  const singular = names.singular ?? names.kind.toLowerCase();
  if (taken.plural.has(singular) || taken.singular.has(singular)) return { ok: false, reason: 'SingularConflict', message: inUse(singular) };
  for (const s of names.shortNames ?? []) {
    if (taken.short.has(s) || taken.plural.has(s) || taken.singular.has(s)) return { ok: false, reason: 'ShortNamesConflict', message: inUse(s) };
  }
  if (taken.kind.has(names.kind) || taken.listKind.has(names.kind)) return { ok: false, reason: 'KindConflict', message: inUse(names.kind) };
  const listKind = names.listKind ?? `${names.kind}List`;
  if (taken.kind.has(listKind) || taken.listKind.has(listKind)) return { ok: false, reason: 'ListKindConflict', message: inUse(listKind) };
  return { ok: true, names: { ...names, singular, listKind } };
}
