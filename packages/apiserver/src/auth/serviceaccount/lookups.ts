/**
 * What the token code reads of the cluster (kube's ServiceAccountTokenGetter): the current object by name,
 * `undefined` when there is none. Backed by the apiserver's watch caches; synchronous or not.
 * Objects returned are read, never mutated.
 */
import type { Node, Pod, Secret, ServiceAccount } from '@tinykube/api';

export type Found<T> = T | undefined | Promise<T | undefined>;

export interface ServiceAccountTokenLookups {
  serviceAccount(namespace: string, name: string): Found<ServiceAccount>;
  pod(namespace: string, name: string): Found<Pod>;
  secret(namespace: string, name: string): Found<Secret>;
  node(name: string): Found<Node>;
}

/** Leeway of go-jose's time checks, also applied to deletions: an object deleted longer ago is gone. */
export const LEEWAY_SECONDS = 60;

/** Whether an object's deletionTimestamp is older than now - leeway (kube treats it as deleted then). */
export function deletedBeforeLeeway(obj: { metadata: { deletionTimestamp?: string } }, now: Date): boolean {
  const ts = obj.metadata.deletionTimestamp;
  if (!ts) return false;
  const t = Date.parse(ts);
  return Number.isFinite(t) && t < now.getTime() - LEEWAY_SECONDS * 1000;
}
