/** Dispatches a parsed resource path + HTTP method to the verb handlers. */
import { registry } from '@tinykube/api';
import type { RequestContext } from '../http.js';
import type { ApiMetrics } from '../metrics.js';
import { methodNotAllowed, pathNotFound } from '@tinykube/api';
import type { Storage } from '../storage/storage.js';
import type { Target } from '../handlers/common.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleGet, handleList, handlePatch, handleUpdate } from '../handlers/crud.js';
import { handleBinding, handleEviction, handleFinalize, handleScale, handleStreaming, isStreamingSubresource } from '../handlers/subresources.js';
import { handleProxy } from '../handlers/proxy.js';
import { handleWatch } from '../handlers/watch.js';
import { verbFor, type ResourcePath } from './path.js';

/** Kubernetes' verb labels for apiserver_request_total. */
const METRIC_VERBS: Record<string, string> = {
  get: 'GET', list: 'LIST', watch: 'WATCH', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETECOLLECTION',
};

/** Resources with no storage, only a create verb (the review APIs): `group/plural` → handler; and `group/plural/token`. */
export type VirtualResources = Map<string, (ctx: RequestContext, t: Target) => Promise<void>>;

export async function dispatchResource(ctx: RequestContext, storage: Storage, metrics: ApiMetrics, path: ResourcePath, virtual: VirtualResources = new Map()): Promise<void> {
  const store = storage.get(path.group, path.resource, path.version);
  const handler = store ? undefined : virtual.get(`${path.group}/${path.resource}`);
  if (handler) {
    const info = registry.get(path.group, path.resource);
    if (!info || info.version !== path.version || path.name !== undefined || path.subresource) throw pathNotFound();
    if (info.namespaced !== (path.namespace !== undefined)) throw pathNotFound();
    if (ctx.req.method !== 'POST') throw methodNotAllowed();
    ctx.resource = info.plural;
    ctx.verb = 'POST';
    return handler(ctx, { info, namespace: path.namespace });
  }
  if (!store || store.info.version !== path.version) throw pathNotFound();
  const info = store.info;
  // a namespaced resource may be addressed without a namespace only to list/watch across all of them
  if (!info.namespaced && path.namespace !== undefined) throw pathNotFound();
  if (info.namespaced && path.namespace === undefined && path.name !== undefined) throw pathNotFound();
  const t: Target = { info, namespace: path.namespace, name: path.name, subresource: path.subresource };
  const verb = verbFor(ctx.req.method ?? 'GET', path, ctx.query);
  if (!verb) throw methodNotAllowed();
  ctx.resource = path.subresource ? `${info.plural}/${path.subresource}` : info.plural;
  ctx.verb = METRIC_VERBS[verb];

  if (path.subresource) {
    const sub = path.subresource;
    if (!info.subresources.includes(sub)) throw pathNotFound();
    if (isStreamingSubresource(sub)) return handleStreaming(ctx, storage, t);
    switch (sub) {
      case 'status':
      case 'approval': // certificatesigningrequests/approval (kubectl certificate approve|deny)
        if (verb === 'get') return handleGet(ctx, store, t);
        if (verb === 'update') return handleUpdate(ctx, store, t);
        if (verb === 'patch') return handlePatch(ctx, store, t);
        throw methodNotAllowed();
      case 'binding': return handleBinding(ctx, store, t);
      case 'eviction': return handleEviction(ctx, store, t);
      case 'scale': return handleScale(ctx, store, t);
      case 'finalize': return handleFinalize(ctx, store, t);
      case 'proxy': return handleProxy(ctx, storage, t);
      case 'token': { // serviceaccounts/token exists only with a signing key: its handler is registered then
        const h = virtual.get(`${info.group}/${info.plural}/${sub}`);
        if (!h) throw pathNotFound();
        return h(ctx, t);
      }
      default: throw pathNotFound();
    }
  }
  switch (verb) {
    case 'get': return handleGet(ctx, store, t);
    case 'list': return handleList(ctx, store, t);
    case 'watch': return handleWatch(ctx, store, t, metrics);
    case 'create':
      if (path.name !== undefined) throw methodNotAllowed();
      if (info.namespaced && path.namespace === undefined) throw pathNotFound();
      return handleCreate(ctx, store, t);
    case 'update': return handleUpdate(ctx, store, t);
    case 'patch': return handlePatch(ctx, store, t);
    case 'delete': return handleDelete(ctx, storage, store, t);
    case 'deletecollection': return handleDeleteCollection(ctx, store, t);
  }
}
