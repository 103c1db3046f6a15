import type { ReconcileResult } from '@tinykube/client';
import type { ResourceName, ResourceTypes } from './resources.js';

/**
 * The two doors every controller's sync logic goes through, kept this small so tests can fake
 * them (sample-controller style: pre-fill a cache, call sync(key), assert the exact actions).
 */

/** A read-only view of the informer caches. Returned objects are shared: never mutate them. */
export interface Lister {
  /** Every cached object of a resource, optionally only those in one namespace. */
  list<R extends ResourceName>(resource: R, namespace?: string): readonly ResourceTypes[R][];
  /** One cached object ('' namespace for cluster-scoped resources). */
  get<R extends ResourceName>(resource: R, namespace: string, name: string): ResourceTypes[R] | undefined;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Only delete the object with this uid (guards against deleting a re-created namesake). */
  uid?: string;
  gracePeriodSeconds?: number;
}

export type PatchType = 'merge' | 'json' | 'strategic';

/** Writes (and the few live reads) a controller makes through the API server. */
export interface Actions {
  /** A live GET (bypassing caches); undefined on 404. */
  get<R extends ResourceName>(resource: R, namespace: string, name: string): Promise<ResourceTypes[R] | undefined>;
  /** A live LIST of one namespace (or all when namespace is ''), for resources given by plural + group. */
  listNames(target: CollectionTarget, namespace: string): Promise<string[]>;
  create<R extends ResourceName>(resource: R, namespace: string, obj: ResourceTypes[R]): Promise<ResourceTypes[R]>;
  /** PUT of the object (or of a subresource such as 'status' or 'finalize'); carries resourceVersion, so stale writes conflict. */
  update<R extends ResourceName>(resource: R, obj: ResourceTypes[R], subresource?: 'status' | 'finalize' | 'approval'): Promise<ResourceTypes[R]>;
  patch<R extends ResourceName>(resource: R, namespace: string, name: string, type: PatchType, patch: unknown): Promise<ResourceTypes[R]>;
  /** DELETE; resolves quietly when the object is already gone. */
  delete(resource: ResourceName, namespace: string, name: string, opts?: DeleteOptions): Promise<void>;
  /** DELETE of a whole namespaced collection (namespace deletion). */
  deleteCollection(target: CollectionTarget, namespace: string): Promise<void>;
}

/** Any namespaced resource the apiserver serves (namespace deletion reaches beyond ResourceName). */
export interface CollectionTarget {
  group: string;
  version: string;
  plural: string;
}

/** Emits core/v1 Events about objects (client-go's EventRecorder). */
export interface EventRecorder {
  event(obj: { kind?: string; apiVersion?: string; metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } },
    type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** The result of one sync: optionally ask to be called again later (level-based timers). */
export type SyncResult = ReconcileResult;

/** Time as a dependency (milliseconds since the epoch), compatible with @tinykube/client's Clock.now. */
export type Now = () => number;
