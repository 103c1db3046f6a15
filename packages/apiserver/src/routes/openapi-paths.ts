import type { ResourceInfo } from '@tinykube/api';

// What the v2 and v3 documents share about one resource: its URL paths and the operations published on them.

export const PATCH_QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'];

export function docPath(groupVersion: string): string {
  return groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
}

export interface ResourcePaths { collection: string; item: string; status?: string }

export function resourcePaths(r: ResourceInfo): ResourcePaths {
  const collection = `/${docPath(r.apiVersion)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
  const item = `${collection}/{name}`;
  return { collection, item, status: r.subresources.includes('status') ? `${item}/status` : undefined };
}

export function gvkOf(r: ResourceInfo): { group: string; version: string; kind: string } {
  return { group: r.group, version: r.version, kind: r.kind };
}

/** The operations a resource serves, as (path, method, action, operationId, response kind) rows. */
export function resourceOperations(r: ResourceInfo): Array<{ path: string; method: 'get' | 'patch'; action: string; id: string; list: boolean }> {
  const p = resourcePaths(r);
  const ops: Array<{ path: string; method: 'get' | 'patch'; action: string; id: string; list: boolean }> = [];
  if (r.verbs.includes('list')) ops.push({ path: p.collection, method: 'get', action: 'list', id: `list${r.kind}`, list: true });
  if (r.verbs.includes('get')) ops.push({ path: p.item, method: 'get', action: 'get', id: `read${r.kind}`, list: false });
  if (r.verbs.includes('patch')) {
    ops.push({ path: p.item, method: 'patch', action: 'patch', id: `patch${r.kind}`, list: false });
    if (p.status) ops.push({ path: p.status, method: 'patch', action: 'patch', id: `patch${r.kind}Status`, list: false });
  }
  return ops;
}
