/**
 * The standard verbs on a resource: get, list, create, update (PUT), patch, delete, deletecollection.
 * Subresources with their own shapes (binding, eviction, scale, ...) live in subresources.ts; `status` is
 * the same object with status-only update semantics and is handled here.
 */
import { applyPatch, type KubeObject, statusError } from '@tinykube/api';
import { APPLY_PATCH_TYPE, decodeApplyBody, decodePatchBody, mediaType, parseJson, readBody } from '../body.js';
import { checkFields } from './field-validation.js';
import { sendJson, type RequestContext } from '../http.js';
import { parseFilter } from '../selectors.js';
import { ApiError, badRequest, conflict, isApiError, queryBool, successStatus } from '@tinykube/api';
import { etcdReached, listObjects } from '../storage/list.js';
import type { ResourceStore } from '../storage/resource-store.js';
import type { Storage } from '../storage/storage.js';
import { cloneObject } from '../storage/codec.js';
import { intParam } from '../util.js';
import { checkObject, deleteOptions, dryRun, readObject, sendList, sendObject, type Target } from './common.js';
import { applyObject, checkNoForce, fieldManagerOf, updateTracker } from './field-manager.js';

export async function handleGet(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  // a get at resourceVersion N may not be older than N: etcd's read is current, so only "not reached yet" matters
  const rv = ctx.query.get('resourceVersion') ?? '';
  if (rv !== '' && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  if (rv !== '' && rv !== '0') await etcdReached(store, Number(rv));
  sendObject(ctx, t.info, 200, await store.get(t.namespace, t.name!));
}

export async function handleList(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  const q = ctx.query;
  const filter = parseFilter(t.info, q, t.namespace);
  const result = await listObjects(store, {
    namespace: t.namespace, filter, limit: intParam(q, 'limit'),
    continueToken: q.get('continue') ?? undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
  });
  sendList(ctx, t.info, result);
}

export async function handleCreate(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  const obj = await readObject(ctx, { apiVersion: t.info.apiVersion, kind: t.info.kind, namespace: t.namespace });
  const created = await store.create(t.namespace, obj, { dryRun: dryRun(ctx.query), manageFields: updateTracker(ctx, 'CreateOptions', t.info, undefined) });
  sendObject(ctx, t.info, 201, created);
}

/** The client's resourceVersion, when it gave one, must equal the current one (optimistic concurrency). */
function precondition(store: ResourceStore, name: string, wanted: unknown, cur: KubeObject): void {
  if (typeof wanted === 'string' && wanted !== '' && wanted !== cur.metadata.resourceVersion) throw conflict(store.gr, name);
}

export async function handleUpdate(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  const body = await readObject(ctx, { apiVersion: t.info.apiVersion, kind: t.info.kind, namespace: t.namespace, name: t.name });
  const isDry = dryRun(ctx.query);
  const wanted = body.metadata.resourceVersion;
  const manageFields = updateTracker(ctx, 'UpdateOptions', t.info, t.subresource);
  try {
    const updated = await store.update(t.namespace, t.name!, (cur) => {
      precondition(store, t.name!, wanted, cur);
      return cloneObject(body); // the store mutates its candidate; a retry needs the original again
    }, { dryRun: isDry, subresource: t.subresource, manageFields });
    sendObject(ctx, t.info, 200, updated);
  } catch (err) {
    // PUT creates for a few kinds (endpoints, events, leases), as in Kubernetes
    if (isApiError(err) && err.reason === 'NotFound' && store.strategy.allowCreateOnUpdate && !t.subresource) {
      const created = await store.create(t.namespace, body, { dryRun: isDry, manageFields });
      sendObject(ctx, t.info, 201, created);
      return;
    }
    throw err;
  }
}

/** Applies a decoded patch of `type` to a copy of `cur` and checks the result is still the same object. */
export function patchObject(store: ResourceStore, t: Target, type: Parameters<typeof applyPatch>[0], patch: unknown, cur: KubeObject, kind = t.info.kind): KubeObject {
  const res = applyPatch(type, cur, patch, kind);
  if (!res.ok) throw statusError(res.error.status, res.error.status === 400 ? 'BadRequest' : 'Invalid', res.error.message);
  return checkObject(res.value, { apiVersion: t.info.apiVersion, kind: t.info.kind, namespace: t.namespace, name: t.name });
}

export async function handlePatch(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  if (mediaType(ctx.req.headers['content-type']) === APPLY_PATCH_TYPE) return handleApply(ctx, store, t);
  checkNoForce(ctx);
  const { type, patch } = decodePatchBody(ctx.req.headers['content-type'], await readBody(ctx.req));
  if (type !== 'application/json-patch+json') checkFields(ctx, t.info.apiVersion, t.info.kind, patch);
  const updated = await store.update(t.namespace, t.name!, (cur) => {
    const next = patchObject(store, t, type, patch, cur);
    // a resourceVersion in the patch is a precondition (kubectl apply sends none; `kubectl edit` does)
    precondition(store, t.name!, next.metadata.resourceVersion, cur);
    return next;
  }, { dryRun: dryRun(ctx.query), subresource: t.subresource, manageFields: updateTracker(ctx, 'PatchOptions', t.info, t.subresource) });
  sendObject(ctx, t.info, 200, updated);
}

/** Server-side apply: PATCH with application/apply-patch+yaml; creates the object when it is missing. */
async function handleApply(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  const manager = fieldManagerOf(ctx, 'PatchOptions', true)!;
  const force = queryBool(ctx.query, 'force');
  const config = decodeApplyBody(await readBody(ctx.req));
  ctx.audit?.setRequestObject(config);
  const expect = { apiVersion: t.info.apiVersion, kind: t.info.kind, namespace: t.namespace, name: t.name };
  checkObject(structuredClone(config), expect);
  const meta = (config.metadata ?? {}) as Record<string, unknown>;
  const wanted = meta.resourceVersion;
  delete meta.resourceVersion; delete meta.managedFields;
  const isDry = dryRun(ctx.query);
  try {
    const updated = await store.update(t.namespace, t.name!, (cur) => {
      precondition(store, t.name!, wanted, cur);
      return checkObject(applyObject(t.info, cur, config, manager, force, t.subresource), expect);
    }, { dryRun: isDry, subresource: t.subresource });
    sendObject(ctx, t.info, 200, updated);
  } catch (err) {
    if (!(isApiError(err) && err.reason === 'NotFound') || t.subresource) throw err;
    const created = await store.create(t.namespace, checkObject(applyObject(t.info, undefined, config, manager, force), expect), { dryRun: isDry });
    sendObject(ctx, t.info, 201, created);
  }
}

async function readDeleteOptions(ctx: RequestContext): Promise<ReturnType<typeof deleteOptions>> {
  const raw = await readBody(ctx.req);
  const body = raw.length > 0 ? parseJson(raw) : undefined;
  return deleteOptions(body, ctx.query);
}

export async function handleDelete(ctx: RequestContext, storage: Storage, store: ResourceStore, t: Target): Promise<void> {
  const opts = await readDeleteOptions(ctx);
  if (t.info.group === '' && t.info.plural === 'namespaces') {
    sendObject(ctx, t.info, 200, await storage.namespaces.delete(t.name!, opts.dryRun));
    return;
  }
  const { obj, deleted } = await store.delete(t.namespace, t.name!, opts);
  if (deleted && !store.strategy.returnDeletedObject) {
    const details: Record<string, string> = { name: t.name!, kind: t.info.plural };
    if (t.info.group) details.group = t.info.group;
    if (obj.metadata.uid) details.uid = obj.metadata.uid;
    sendJson(ctx, 200, successStatus(200, details));
    return;
  }
  sendObject(ctx, t.info, 200, obj);
}

/** DELETE on a collection: deletes every matching object (each with the usual graceful/finalizer rules). */
export async function handleDeleteCollection(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  if (!t.info.verbs.includes('deletecollection')) throw statusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const opts = await readDeleteOptions(ctx);
  const filter = parseFilter(t.info, ctx.query, t.namespace);
  const listed = await listObjects(store, { namespace: t.namespace, filter });
  const items: KubeObject[] = [];
  for (const o of listed.items) {
    try {
      const { obj } = await store.delete(o.metadata.namespace, o.metadata.name!, opts);
      items.push(obj);
    } catch (err) {
      if (isApiError(err) && err.reason === 'NotFound') continue; // deleted meanwhile
      throw err;
    }
  }
  sendJson(ctx, 200, { kind: t.info.listKind, apiVersion: t.info.apiVersion, metadata: { resourceVersion: listed.resourceVersion }, items });
}
