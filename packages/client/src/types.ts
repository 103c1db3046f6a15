/**
 * The shapes the client needs from Kubernetes objects and resources, taken from @tinykube/api's types and
 * kept structural: any `KubeObject` (and a custom kind with no schema) fits, so this package works with any
 * resource without importing the registry.
 */
import type { ListMeta, ObjectMeta, ResourceInfo } from '@tinykube/api';

/** The metadata fields the client reads (@tinykube/api's ObjectMeta). Everything else is carried through untouched. */
export type ObjectMetaLike = ObjectMeta;

/** Any Kubernetes object (a `KubeObject` from @tinykube/api fits). */
export interface ObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaLike;
  [k: string]: unknown;
}

/** Where a resource lives on the wire: the part of @tinykube/api's `ResourceInfo` the client needs. */
export type ResourceRef = Pick<ResourceInfo, 'group' | 'version' | 'plural' | 'namespaced'>;

/** A `<Kind>List` as the apiserver returns it. */
export interface ObjectList<T extends ObjectLike = ObjectLike> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One decoded watch event. ERROR events never surface as values: the decoder throws an ApiError. */
export interface WatchEvent<T extends ObjectLike = ObjectLike> {
  type: WatchEventType;
  object: T;
}

/**
 * The cache key of an object: "namespace/name", or "name" for cluster-scoped objects
 * (client-go's MetaNamespaceKeyFunc).
 */
export function keyOf(obj: ObjectLike): string {
  const name = obj.metadata?.name ?? '';
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

/** Splits a key made by `keyOf` back into namespace ('' when cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The resource version of an object, '' when unset. */
export function resourceVersionOf(obj: ObjectLike): string {
  return obj.metadata?.resourceVersion ?? '';
}

/** The apiVersion string of a resource: 'v1' for core, 'apps/v1' otherwise. */
export function apiVersionOf(res: ResourceRef): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}
