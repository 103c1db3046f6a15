/**
 * managedFields on the apiserver's write paths and server-side apply (kube's fieldmanager): who the
 * manager is (query `fieldManager`, else the User-Agent's product), the kind's list semantics (one
 * function, so custom resources can plug their schemas in), Update bookkeeping as a store hook, and
 * the apply of a configuration over the live object.
 */
import {
  ApiError, applyConfiguration, applyConflict, builtinSemantics, conflictsAllowedByLastApplied, decodeManagers,
  encodeManagers, isResetManagedFields, trackUpdate, withLastApplied, type KubeObject, type Manager, type ResourceInfo, type SemanticsForKind,
  statusError, type TypeSemantics, type WriteIdentity,
} from '@tinykube/api';
import type { RequestContext } from '../http.js';
import type { ManageFields } from '../storage/resource-store.js';
import { formatTime } from '../util.js';

const MAX_MANAGER_LENGTH = 128;

/** The list semantics of a kind: the one place CRDs will plug their schemas' list types in. */
export function semanticsFor(info: ResourceInfo, forKind: SemanticsForKind = builtinSemantics): TypeSemantics {
  return forKind(info.kind);
}

/** 422 for bad request options, as kube's `PatchOptions.meta.k8s.io "" is invalid: ...`. */
function invalidOptions(kind: string, field: string, reason: string, message: string): ApiError {
  return statusError(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`,
    { group: 'meta.k8s.io', kind, name: '', causes: [{ reason, message, field }] });
}

/**
 * The request's field manager: `?fieldManager=`, else the User-Agent up to its first '/', as kube.
 * `options` names the verb's options kind (PatchOptions, CreateOptions, UpdateOptions) in errors.
 */
export function fieldManagerOf(ctx: RequestContext, options: string, required = false): string | undefined {
  const q = ctx.query.get('fieldManager');
  if (q !== null && q.length > MAX_MANAGER_LENGTH) {
    throw invalidOptions(options, 'fieldManager', 'FieldValueTooLong', `Too long: may not be more than ${MAX_MANAGER_LENGTH} bytes`);
  }
  if (q) return q;
  if (required) throw invalidOptions(options, 'fieldManager', 'FieldValueRequired', 'Required value: is required for apply patch');
  const ua = String(ctx.req.headers['user-agent'] ?? '').split('/')[0];
  return ua === '' ? undefined : ua.slice(0, MAX_MANAGER_LENGTH);
}

/** kube refuses `force` on patches that are not apply patches. */
export function checkNoForce(ctx: RequestContext): void {
  if (ctx.query.has('force')) throw invalidOptions('PatchOptions', 'force', 'FieldValueForbidden', 'Forbidden: may not be specified for non-apply patch');
}

function identity(info: ResourceInfo, manager: string, subresource: string | undefined): WriteIdentity {
  return { manager, apiVersion: info.apiVersion, subresource: subresource || undefined, now: formatTime(new Date()) };
}

function withoutManagedFields(o: KubeObject | undefined): KubeObject | undefined {
  if (!o) return undefined;
  const { managedFields: _mf, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/**
 * The store hook for create/update/patch (operation Update): managedFields the client sent are used
 * when it sent any (a subresource always keeps the live ones); `[{}]` clears them.
 */
export function updateTracker(ctx: RequestContext, options: string, info: ResourceInfo, subresource: string | undefined): ManageFields | undefined {
  const manager = fieldManagerOf(ctx, options);
  if (!manager) return undefined;
  return (next, cur) => {
    const given = next.metadata.managedFields;
    if (isResetManagedFields(given)) { delete next.metadata.managedFields; return; }
    const usable = !subresource && Array.isArray(given) && given.length > 0;
    const managers = decodeManagers(usable ? given : cur?.metadata.managedFields);
    const ms = encodeManagers(applyUpdate(info, withoutManagedFields(cur), withoutManagedFields(next)!, managers, identity(info, manager, subresource)));
    if (ms.length > 0) next.metadata.managedFields = ms; else delete next.metadata.managedFields;
  };
}

function applyUpdate(info: ResourceInfo, before: KubeObject | undefined, after: KubeObject, ms: Manager[], who: WriteIdentity): Manager[] {
  return trackUpdate(before, after, ms, who, semanticsFor(info));
}

/**
 * The object after `manager` applies `config` over `live` (undefined: it does not exist yet), its
 * managedFields updated; a 409 with kube's causes when it conflicts and `force` is false.
 */
export function applyObject(info: ResourceInfo, live: KubeObject | undefined, config: Record<string, unknown>, manager: string, force: boolean, subresource?: string): Record<string, unknown> {
  const s = semanticsFor(info);
  const who = identity(info, manager, subresource);
  const base = withoutManagedFields(live);
  const managers = decodeManagers(live?.metadata.managedFields);
  let r = applyConfiguration(base, config, managers, who, force, s);
  if (!r.ok && conflictsAllowedByLastApplied(manager, base, r.conflicts, s)) r = applyConfiguration(base, config, managers, who, true, s);
  if (!r.ok) throw applyConflict(r.conflicts);
  const obj = withLastApplied(manager, base, r.object, config) as { metadata?: Record<string, unknown> };
  const meta = (obj.metadata ??= {});
  const ms = encodeManagers(r.managers);
  if (ms.length > 0) meta.managedFields = ms; else delete meta.managedFields;
  return obj as Record<string, unknown>;
}
