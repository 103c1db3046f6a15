import type { ResourceRef } from './types.js';

export type Selector = string | Record<string, string>;

/** Query parameters of a list (and of deleteCollection). */
export interface ListOptions {
  namespace?: string;
  labelSelector?: Selector;
  fieldSelector?: Selector;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

/** "a=b,c=d" from a map; strings pass through (they may use !=, in, notin, exists). */
export function selectorString(sel: Selector | undefined): string | undefined {
  if (sel === undefined) return undefined;
  if (typeof sel === 'string') return sel || undefined;
  const parts = Object.entries(sel).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : undefined;
}

/**
 * The URL path of a resource, an object, or an object's subresource:
 * /api/v1/namespaces/ns/pods/name/status, /apis/apps/v1/deployments, /api/v1/nodes/n.
 */
export function resourcePath(res: ResourceRef, where: { namespace?: string; name?: string; subresource?: string } = {}): string {
  const base = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  let path = base;
  // A namespaced resource listed without a namespace means "across all namespaces".
  if (res.namespaced && where.namespace) path += `/namespaces/${encodeURIComponent(where.namespace)}`;
  path += `/${res.plural}`;
  if (where.name !== undefined) path += `/${encodeURIComponent(where.name)}`;
  if (where.subresource) {
    if (where.name === undefined) throw new TypeError('a subresource needs an object name');
    path += `/${where.subresource}`;
  }
  return path;
}

export type QueryValue = string | number | boolean | undefined;

/** "?a=1&b=x" (empty string when nothing is set); undefined values are left out. */
export function queryString(params: Record<string, QueryValue>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function listQuery(o: ListOptions): Record<string, QueryValue> {
  return {
    labelSelector: selectorString(o.labelSelector),
    fieldSelector: selectorString(o.fieldSelector),
    limit: o.limit,
    continue: o.continue || undefined,
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    timeoutSeconds: o.timeoutSeconds,
  };
}
