/**
 * Request-level helpers shared by the verb handlers: turning a body into an object of the URL's kind,
 * query options (dryRun, DeleteOptions), and response encodings (List, Table, PartialObjectMetadata).
 */
import { toTable, type IncludeObject, type KubeObject, type ResourceInfo } from '@tinykube/api';
import { decodeObjectBody, readBody } from '../body.js';
import { parseAccept, sendJson, sendRaw, type RequestContext } from '../http.js';
import { badRequest, queryBoolValue } from '@tinykube/api';
import type { DeleteOptions } from '../storage/resource-store.js';
import type { ListResult } from '../storage/list.js';
import { isRecord } from '../util.js';
import { checkFields } from './field-validation.js';
import { objectJson } from '../watchcache.js';

export interface Target {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `?dryRun=All` (the only value Kubernetes accepts). */
export function dryRun(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

/**
 * Checks a decoded body against the URL: an object, of the URL's apiVersion/kind (filled in when absent),
 * whose metadata.name/namespace agree with the URL.
 */
export function checkObject(body: unknown, expect: { apiVersion: string; kind: string; namespace?: string; name?: string }): KubeObject {
  if (!isRecord(body)) throw badRequest('the request body must be a JSON or YAML object');
  if (body.apiVersion !== undefined && body.apiVersion !== expect.apiVersion) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expect.apiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== expect.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${expect.kind})`);
  }
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  if (!isRecord(body.metadata)) throw badRequest('metadata must be an object');
  const meta = body.metadata;
  if (expect.name !== undefined && meta.name !== undefined && meta.name !== '' && meta.name !== expect.name) {
    throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${expect.name})`);
  }
  if (expect.namespace !== undefined && meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== expect.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (meta.name !== undefined && typeof meta.name !== 'string') throw badRequest('metadata.name must be a string');
  if (expect.name !== undefined) meta.name = expect.name;
  body.apiVersion = expect.apiVersion;
  body.kind = expect.kind;
  return body as KubeObject;
}

export async function readObject(ctx: RequestContext, expect: { apiVersion: string; kind: string; namespace?: string; name?: string }): Promise<KubeObject> {
  const raw = await readBody(ctx.req);
  const body = decodeObjectBody(ctx.req.headers['content-type'], raw);
  ctx.audit?.setRequestObject(body);
  checkFields(ctx, expect.apiVersion, expect.kind, body);
  return checkObject(body, expect);
}

const POLICIES = ['Orphan', 'Background', 'Foreground'] as const;

/** DeleteOptions from the body (if any) and the query (query parameters win, as in Kubernetes). */
export function deleteOptions(body: unknown, q: URLSearchParams): DeleteOptions {
  const b = isRecord(body) ? body : {};
  if (b.kind !== undefined && b.kind !== 'DeleteOptions') throw badRequest(`the kind in the data (${String(b.kind)}) does not match DeleteOptions`);
  const opts: DeleteOptions = { dryRun: false };
  const grace = q.get('gracePeriodSeconds') ?? (b.gracePeriodSeconds === undefined || b.gracePeriodSeconds === null ? null : String(b.gracePeriodSeconds));
  if (grace !== null) {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw badRequest(`gracePeriodSeconds: Invalid value: "${grace}"`);
    opts.gracePeriodSeconds = n;
  }
  const policy = q.get('propagationPolicy') ?? (typeof b.propagationPolicy === 'string' ? b.propagationPolicy : undefined);
  if (policy !== undefined && policy !== null) {
    if (!(POLICIES as readonly string[]).includes(policy)) {
      throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
    }
    opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  }
  const orphan = q.get('orphanDependents') ?? (typeof b.orphanDependents === 'boolean' ? String(b.orphanDependents) : undefined);
  if (orphan !== undefined && orphan !== null) {
    if (opts.propagationPolicy) throw badRequest('orphanDependents and deletionPropagation cannot be both set');
    opts.orphanDependents = queryBoolValue(orphan);
  }
  if (isRecord(b.preconditions)) {
    opts.preconditions = {};
    if (typeof b.preconditions.uid === 'string') opts.preconditions.uid = b.preconditions.uid;
    if (typeof b.preconditions.resourceVersion === 'string') opts.preconditions.resourceVersion = b.preconditions.resourceVersion;
  }
  const bodyDry = Array.isArray(b.dryRun) ? b.dryRun : [];
  for (const v of bodyDry) if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${String(v)}": supported values: "All"`);
  opts.dryRun = dryRun(q) || bodyDry.length > 0;
  return opts;
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'Object' || v === 'Metadata' || v === 'None') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

function partialMetadata(obj: KubeObject): unknown {
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: obj.metadata };
}

/** Sends one object, as itself, as a one-row Table, or as PartialObjectMetadata — whatever Accept asks. */
export function sendObject(ctx: RequestContext, info: ResourceInfo, code: number, obj: KubeObject): void {
  const accept = parseAccept(ctx.req.headers.accept);
  if (accept.table) {
    sendJson(ctx, code, toTable(info, [obj], new Date(), { includeObject: includeObject(ctx.query) }));
  } else if (accept.partialMetadata) {
    sendJson(ctx, code, partialMetadata(obj));
  } else {
    sendJson(ctx, code, obj);
  }
}

/** Sends a list; JSON lists are concatenated from memoised object strings (no re-serialisation). */
export function sendList(ctx: RequestContext, info: ResourceInfo, result: ListResult): void {
  const accept = parseAccept(ctx.req.headers.accept);
  const meta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) meta.continue = result.continue;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  if (accept.table) {
    const opts: Parameters<typeof toTable>[3] = { includeObject: includeObject(ctx.query), resourceVersion: result.resourceVersion };
    if (result.continue) opts.continue = result.continue;
    if (result.remainingItemCount !== undefined) opts.remainingItemCount = result.remainingItemCount;
    sendJson(ctx, 200, toTable(info, result.items, new Date(), opts));
    return;
  }
  if (accept.partialMetadata) {
    sendJson(ctx, 200, { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadataList', metadata: meta, items: result.items.map(partialMetadata) });
    return;
  }
  if (accept.yaml) {
    sendJson(ctx, 200, { apiVersion: info.apiVersion, kind: info.listKind, metadata: meta, items: result.items });
    return;
  }
  const head = `{"kind":${JSON.stringify(info.listKind)},"apiVersion":${JSON.stringify(info.apiVersion)},"metadata":${JSON.stringify(meta)},"items":[`;
  const parts: string[] = new Array(result.items.length);
  for (let i = 0; i < result.items.length; i++) parts[i] = objectJson(result.items[i]);
  sendRaw(ctx, 200, `${head}${parts.join(',')}]}`, 'application/json');
}
