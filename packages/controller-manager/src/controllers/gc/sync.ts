import type { KubeObject, OwnerReference } from '@tinykube/api';
import type { Actions, Lister, SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';
import { RESOURCES, resourceForKind, type ResourceName, type ResourceTypes } from '../../core/resources.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface GcSyncDeps {
  lister: Lister;
  actions: Actions;
  /** The kinds whose objects may be dependents (each has an informer). */
  kinds: readonly ResourceName[];
}

/** GC keys are "<resource>/<namespace>/<name>" or "<resource>/<name>" for cluster-scoped objects. */
export function gcKey(resource: ResourceName, obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${resource}/${ns}/${obj.metadata.name}` : `${resource}/${obj.metadata.name}`;
}

export function parseGcKey(key: string): { resource: ResourceName; namespace: string; name: string } {
  const parts = key.split('/');
  const resource = parts[0] as ResourceName;
  return parts.length === 3 ? { resource, namespace: parts[1], name: parts[2] } : { resource, namespace: '', name: parts[1] ?? '' };
}

/** Every cached object that names `owner` in its ownerReferences. */
export function dependentsOf(deps: GcSyncDeps, owner: KubeObject): { resource: ResourceName; obj: KubeObject; ref: OwnerReference }[] {
  const out: { resource: ResourceName; obj: KubeObject; ref: OwnerReference }[] = [];
  const uid = owner.metadata.uid;
  for (const resource of deps.kinds) {
    const objs = RESOURCES[resource].namespaced && owner.metadata.namespace ? deps.lister.list(resource, owner.metadata.namespace) : deps.lister.list(resource);
    for (const obj of objs) {
      const ref = obj.metadata.ownerReferences?.find((r) => r.uid === uid);
      if (ref) out.push({ resource, obj, ref });
    }
  }
  return out;
}

/**
 * The garbage collector for one object (a simplified kube GC without the global graph):
 * - owner being deleted with the `orphan` finalizer: strip its ownerReferences from dependents, drop the finalizer;
 * - owner being deleted with `foregroundDeletion`: delete dependents; once none that block remain, drop the finalizer;
 * - dependent whose owners are all gone (checked live, not just in cache): delete it in the background;
 *   some gone: remove just those ownerReferences.
 */
export async function syncGarbage(deps: GcSyncDeps, key: string): Promise<SyncResult> {
  const { resource, namespace, name } = parseGcKey(key);
  const obj = deps.lister.get(resource, namespace, name);
  if (!obj) return {};
  if (obj.metadata.deletionTimestamp) return finalize(deps, resource, obj);

  const refs = obj.metadata.ownerReferences ?? [];
  if (refs.length === 0) return {};
  const absent: OwnerReference[] = [];
  let present = 0;
  let waiting = 0;
  for (const ref of refs) {
    const ownerRes = resourceForKind(ref.apiVersion, ref.kind);
    if (!ownerRes) {
      present++; // a kind we cannot see: never collect on its account
      continue;
    }
    const ownerNs = RESOURCES[ownerRes].namespaced ? namespace : '';
    let owner: KubeObject | undefined = deps.lister.get(ownerRes, ownerNs, ref.name);
    // The owner's informer may lag the dependent's: confirm absence with a live read before deleting.
    if (!owner || owner.metadata.uid !== ref.uid) owner = await deps.actions.get(ownerRes, ownerNs, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) {
      absent.push(ref);
      continue;
    }
    present++;
    if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FINALIZER_FOREGROUND) && ref.blockOwnerDeletion) waiting++;
  }
  if (absent.length === 0) {
    if (waiting > 0 && waiting === present) await deps.actions.delete(resource, namespace, name, { propagationPolicy: 'Foreground', uid: obj.metadata.uid });
    return {};
  }
  if (present === 0) {
    await deps.actions.delete(resource, namespace, name, { propagationPolicy: 'Background', uid: obj.metadata.uid });
    return {};
  }
  const gone = new Set(absent.map((r) => r.uid));
  const next = clone(obj);
  next.metadata.ownerReferences = refs.filter((r) => !gone.has(r.uid));
  await updateAnyKind(deps.actions, resource, next);
  return {};
}

async function finalize(deps: GcSyncDeps, resource: ResourceName, obj: KubeObject): Promise<SyncResult> {
  const finalizers = obj.metadata.finalizers ?? [];
  if (finalizers.includes(FINALIZER_ORPHAN)) {
    for (const d of dependentsOf(deps, obj)) {
      const next = clone(d.obj);
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid);
      await updateAnyKind(deps.actions, d.resource, next);
    }
    return removeFinalizer(deps, resource, obj, FINALIZER_ORPHAN);
  }
  if (finalizers.includes(FINALIZER_FOREGROUND)) {
    const dependents = dependentsOf(deps, obj);
    for (const d of dependents) {
      if (d.obj.metadata.deletionTimestamp) continue;
      await deps.actions.delete(d.resource, d.obj.metadata.namespace ?? '', d.obj.metadata.name ?? '', { propagationPolicy: 'Foreground', uid: d.obj.metadata.uid });
    }
    // Dependents that block owner deletion must be gone (not just terminating) first; their
    // deletion events bring us back here.
    if (dependents.some((d) => d.ref.blockOwnerDeletion)) return {};
    return removeFinalizer(deps, resource, obj, FINALIZER_FOREGROUND);
  }
  return {};
}

/** The GC handles every kind alike through their common metadata; one cast bridges the per-kind typing. */
function updateAnyKind(actions: Actions, resource: ResourceName, obj: KubeObject): Promise<unknown> {
  return actions.update(resource, obj as ResourceTypes[typeof resource]);
}

async function removeFinalizer(deps: GcSyncDeps, resource: ResourceName, obj: KubeObject, finalizer: string): Promise<SyncResult> {
  const next = clone(obj);
  next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  await updateAnyKind(deps.actions, resource, next);
  return {};
}
