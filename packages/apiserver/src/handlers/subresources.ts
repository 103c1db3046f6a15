/**
 * Subresources with their own request/response kinds:
 * - pods/binding (POST Binding): sets spec.nodeName once (409 when already bound), marks PodScheduled.
 * - pods/eviction (POST Eviction): deletes the pod with the Eviction's deleteOptions. There are no
 *   PodDisruptionBudgets yet, so no eviction is ever refused with 429.
 * - deployments|replicasets/scale (autoscaling/v1 Scale: GET, PUT, PATCH).
 * - namespaces/finalize (PUT): replaces spec.finalizers; a terminating namespace left without any goes.
 * - pods/log: proxied to the pod's kubelet (logs.ts); pods/exec|attach|portforward are WebSocket
 *   upgrades (streaming/upgrade.ts): a plain request for them is a 400.
 * - serviceaccounts/token (POST TokenRequest): mints a bound token (auth/serviceaccount/token-request.ts).
 */
import { jsonPathValues, labelSelectorAsSelector, setJsonPath, type KubeObject, type ResourceInfo } from '@tinykube/api';
import { decodeObjectBody, decodePatchBody, readBody } from '../body.js';
import { sendJson, type RequestContext } from '../http.js';
import { badRequest, conflict, invalid, methodNotAllowed, successStatus } from '@tinykube/api';
import type { ResourceStore } from '../storage/resource-store.js';
import type { Storage } from '../storage/storage.js';
import { cloneObject } from '../storage/codec.js';
import { formatTime, isRecord } from '../util.js';
import { deleteOptions, dryRun, readObject, sendObject, type Target } from './common.js';
import { patchObject } from './crud.js';
import { handleLog } from './logs.js';
import { requestToken, type TokenRequestOptions } from '../auth/serviceaccount/token-request.js';

const STREAMING = new Set(['log', 'exec', 'attach', 'portforward']);

export function isStreamingSubresource(sub: string): boolean {
  return STREAMING.has(sub);
}

/** A streaming subresource reached without an upgrade (upgrades never get here: see streaming/upgrade.ts). */
export async function handleStreaming(ctx: RequestContext, storage: Storage, t: Target): Promise<void> {
  if (t.subresource === 'log') return handleLog(ctx, storage, t);
  throw badRequest('Upgrade request required');
}

export async function handleBinding(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  if (ctx.req.method !== 'POST') throw methodNotAllowed();
  const body = await readObject(ctx, { apiVersion: 'v1', kind: 'Binding', namespace: t.namespace });
  if (body.metadata.name && body.metadata.name !== t.name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${t.name})`);
  const target = isRecord(body.target) ? body.target : {};
  const node = typeof target.name === 'string' ? target.name : '';
  if (!node) throw invalid('Binding', '', t.name!, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  const gr = { group: '', resource: 'pods/binding' };
  await store.update(t.namespace, t.name!, (pod) => {
    if (pod.metadata.deletionTimestamp) throw conflict(gr, t.name!, `pod ${t.name} is being deleted, cannot be assigned to a host`);
    const spec = isRecord(pod.spec) ? pod.spec : (pod.spec = {});
    if (spec.nodeName) throw conflict(gr, t.name!, `pod ${t.name} is already assigned to node "${String(spec.nodeName)}"`);
    spec.nodeName = node;
    if (body.metadata.annotations) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...body.metadata.annotations };
    const status = isRecord(pod.status) ? pod.status : (pod.status = {});
    const conditions = Array.isArray(status.conditions) ? (status.conditions as Record<string, unknown>[]).filter((c) => c.type !== 'PodScheduled') : [];
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: formatTime(new Date()) });
    status.conditions = conditions;
    return pod;
  }, { dryRun: dryRun(ctx.query), subresource: 'internal' });
  sendJson(ctx, 201, successStatus(201));
}

export async function handleEviction(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  if (ctx.req.method !== 'POST') throw methodNotAllowed();
  const raw = await readBody(ctx.req);
  const body = decodeObjectBody(ctx.req.headers['content-type'], raw);
  if (!isRecord(body) || (body.kind !== undefined && body.kind !== 'Eviction')) throw badRequest('the request body must be an Eviction');
  if (isRecord(body.metadata) && body.metadata.name !== undefined && body.metadata.name !== t.name) {
    throw badRequest(`name in URL does not match name in Eviction object`);
  }
  const opts = deleteOptions(body.deleteOptions, ctx.query);
  await store.delete(t.namespace, t.name!, opts);
  sendJson(ctx, 201, successStatus(201));
}

/** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
/** The Scale of a custom object: its replicas and selector read at the CRD's scale paths. */
function customScaleOf(obj: KubeObject, paths: NonNullable<ResourceInfo['scale']>): KubeObject {
  const num = (path: string): number => { const v = jsonPathValues(obj, path)[0]; return typeof v === 'number' ? v : 0; };
  const sel = paths.labelSelectorPath ? jsonPathValues(obj, paths.labelSelectorPath)[0] : undefined;
  const m = obj.metadata;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: num(paths.specReplicasPath) },
    status: { replicas: num(paths.statusReplicasPath), selector: typeof sel === 'string' ? sel : '' },
  };
}

export function scaleOf(obj: KubeObject, info?: ResourceInfo): KubeObject {
  if (info?.scale) return customScaleOf(obj, info.scale);
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const status = isRecord(obj.status) ? obj.status : {};
  let selector = '';
  try {
    selector = labelSelectorAsSelector(isRecord(spec.selector) ? spec.selector : undefined).toString();
  } catch { /* an invalid selector cannot be stored; keep '' */ }
  const m = obj.metadata;
  const metadata: KubeObject['metadata'] = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1', metadata,
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0, selector },
  };
}

function replicasOf(scale: unknown, name: string): number {
  const spec = isRecord(scale) && isRecord(scale.spec) ? scale.spec : {};
  const r = spec.replicas ?? 0;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) {
    throw invalid('Scale', 'autoscaling', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(r)}: must be greater than or equal to 0` }]);
  }
  return r;
}

export async function handleScale(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  const scaleTarget: Target = { ...t, info: { ...t.info, apiVersion: 'autoscaling/v1', kind: 'Scale' } };
  const setReplicas = (cur: KubeObject, replicas: number): KubeObject => {
    if (t.info.scale) { setJsonPath(cur, t.info.scale.specReplicasPath, replicas); return cur; }
    const spec = isRecord(cur.spec) ? cur.spec : (cur.spec = {});
    spec.replicas = replicas;
    return cur;
  };
  let result: KubeObject;
  switch (ctx.req.method) {
    case 'GET':
      result = await store.get(t.namespace, t.name!);
      break;
    case 'PUT': {
      const body = await readObject(ctx, { apiVersion: 'autoscaling/v1', kind: 'Scale', namespace: t.namespace, name: t.name });
      const replicas = replicasOf(body, t.name!);
      const wanted = body.metadata.resourceVersion;
      result = await store.update(t.namespace, t.name!, (cur) => {
        if (wanted && wanted !== cur.metadata.resourceVersion) throw conflict(store.gr, t.name!);
        return setReplicas(cur, replicas);
      }, { dryRun: dryRun(ctx.query) });
      break;
    }
    case 'PATCH': {
      const { type, patch } = decodePatchBody(ctx.req.headers['content-type'], await readBody(ctx.req));
      result = await store.update(t.namespace, t.name!, (cur) => {
        const patched = patchObject(store, scaleTarget, type, patch, scaleOf(cur, t.info), 'Scale');
        const wanted = patched.metadata.resourceVersion;
        if (wanted && wanted !== cur.metadata.resourceVersion) throw conflict(store.gr, t.name!);
        return setReplicas(cur, replicasOf(patched, t.name!));
      }, { dryRun: dryRun(ctx.query) });
      break;
    }
    default:
      throw methodNotAllowed();
  }
  sendJson(ctx, 200, scaleOf(result, t.info));
}

export async function handleFinalize(ctx: RequestContext, store: ResourceStore, t: Target): Promise<void> {
  if (ctx.req.method !== 'PUT') throw methodNotAllowed();
  const body = await readObject(ctx, { apiVersion: 'v1', kind: 'Namespace', name: t.name });
  const finalizers = isRecord(body.spec) && Array.isArray(body.spec.finalizers) ? body.spec.finalizers : [];
  const updated = await store.update(undefined, t.name!, (cur) => {
    const next = cloneObject(cur);
    next.spec = { ...(isRecord(next.spec) ? next.spec : {}), finalizers };
    return next;
  }, { dryRun: dryRun(ctx.query), subresource: 'internal' });
  sendObject(ctx, t.info, 200, updated);
}

/** serviceaccounts/NAME/token: register as `virtual.set('/serviceaccounts/token', (ctx, t) => handleTokenRequest(ctx, t, opts))`. */
export async function handleTokenRequest(ctx: RequestContext, t: Target, opts: TokenRequestOptions): Promise<void> {
  if (ctx.req.method !== 'POST') throw methodNotAllowed();
  // name and namespace are checked by requestToken, with kube's 422s
  const body = await readObject(ctx, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', namespace: t.namespace });
  const { tokenRequest, warnings } = await requestToken(body, { namespace: t.namespace!, name: t.name! }, opts);
  const headers: Record<string, string> = warnings.length > 0 ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') } : {};
  sendJson(ctx, 201, tokenRequest, headers);
}
