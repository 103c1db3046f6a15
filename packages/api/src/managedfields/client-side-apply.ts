// Upgrading objects made by client-side apply (kube's last-applied manager and updater): when
// `kubectl apply --server-side` (manager "kubectl") conflicts only on fields the last-applied
// annotation still describes, it takes them over; and it keeps that annotation in step with what it
// applies, so client-side and server-side apply can be mixed.

import { isJsonObject } from '../patch/json-value.js';
import type { Conflict } from './field-manager.js';
import { FieldSet } from './field-set.js';
import type { TypeSemantics } from './semantics.js';
import { compareObjects, fieldSetOf } from './walk.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Only kubectl's own server-side manager upgrades client-side apply (others opt out by their name). */
export const KUBECTL_APPLY_MANAGER = 'kubectl';

function lastApplied(obj: unknown): unknown {
  const raw = isJsonObject(obj) && isJsonObject(obj.metadata) && isJsonObject(obj.metadata.annotations)
    ? obj.metadata.annotations[LAST_APPLIED_ANNOTATION] : undefined;
  if (typeof raw !== 'string' || raw === '') return undefined;
  try { return JSON.parse(raw); } catch { return undefined; }
}

/** The fields of the last-applied configuration whose live value is still the one it applied. */
function allowedConflicts(live: unknown, s: TypeSemantics): FieldSet | undefined {
  const last = lastApplied(live);
  if (last === undefined) return undefined;
  return fieldSetOf(last, s).difference(compareObjects(last, live, s).modified);
}

/** True when every conflict is a field client-side apply set and kubectl may take over. */
export function conflictsAllowedByLastApplied(manager: string, live: unknown, conflicts: readonly Conflict[], s: TypeSemantics): boolean {
  if (manager !== KUBECTL_APPLY_MANAGER) return false;
  const allowed = allowedConflicts(live, s);
  return allowed !== undefined && conflicts.every((c) => allowed.has(c.path));
}

/** `object` with the last-applied annotation set to `config`, when `live` had one (kubectl's apply only). */
export function withLastApplied(manager: string, live: unknown, object: unknown, config: unknown): unknown {
  if (manager !== KUBECTL_APPLY_MANAGER || lastApplied(live) === undefined || !isJsonObject(object) || !isJsonObject(object.metadata)) return object;
  const cfg = structuredClone(config) as Record<string, unknown>;
  if (isJsonObject(cfg.metadata) && isJsonObject(cfg.metadata.annotations)) {
    delete cfg.metadata.annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(cfg.metadata.annotations).length === 0) delete cfg.metadata.annotations;
  }
  const annotations = { ...(isJsonObject(object.metadata.annotations) ? object.metadata.annotations : {}), [LAST_APPLIED_ANNOTATION]: JSON.stringify(cfg) };
  return { ...object, metadata: { ...object.metadata, annotations } };
}
