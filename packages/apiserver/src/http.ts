/** The per-request context and response helpers. Every request carries the `user` it was authenticated as. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { stringify as toYaml } from 'yaml';
import type { ApiError } from '@tinykube/api';
import type { UserInfo } from './auth/types.js';
import type { AuditRecord } from './audit/auditor.js';


export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  query: URLSearchParams;
  user: UserInfo;
  log: Logger;
  /** The audit record of this request, when the policy logs it. */
  audit?: AuditRecord;
  /** metrics labels, filled in by the router */
  verb: string;
  resource: string;
}

/** What a client accepts, in Kubernetes' media-type parameters (`as=Table;g=meta.k8s.io;v=v1`). */
export interface AcceptInfo { table: boolean; partialMetadata: boolean; yaml: boolean }

export function parseAccept(header: string | undefined): AcceptInfo {
  const out: AcceptInfo = { table: false, partialMetadata: false, yaml: false };
  if (!header) return out;
  for (const clause of header.split(',')) {
    const [type, ...params] = clause.split(';').map((s) => s.trim());
    const p = new Map(params.map((x) => { const i = x.indexOf('='); return [x.slice(0, i).trim(), x.slice(i + 1).trim()] as const; }));
    if (type === 'application/json' && p.get('g') === 'meta.k8s.io' && (p.get('v') === 'v1' || p.get('v') === 'v1beta1')) {
      if (p.get('as') === 'Table') { out.table = true; return out; }
      if (p.get('as') === 'PartialObjectMetadata' || p.get('as') === 'PartialObjectMetadataList') { out.partialMetadata = true; return out; }
      continue;
    }
    if (type === 'application/yaml') { out.yaml = true; return out; }
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return out;
  }
  return out;
}

export function sendJson(ctx: RequestContext, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const accept = parseAccept(ctx.req.headers.accept);
  const yaml = accept.yaml && typeof body !== 'string';
  ctx.audit?.setResponseObject(body);
  const text = typeof body === 'string' ? body : yaml ? toYaml(body) : JSON.stringify(body);
  sendRaw(ctx, code, text, yaml ? 'application/yaml' : 'application/json', headers);
}

export function sendRaw(ctx: RequestContext, code: number, text: string | Buffer, contentType: string, headers: Record<string, string> = {}): void {
  const res = ctx.res;
  if (res.headersSent) { res.end(); return; }
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': String(buf.length), 'Cache-Control': 'no-cache, private', ...headers });
  if (ctx.req.method === 'HEAD') res.end(); else res.end(buf);
}

export function sendError(ctx: RequestContext, err: ApiError): void {
  const headers: Record<string, string> = {};
  const retry = err.status.details?.retryAfterSeconds;
  if (retry !== undefined && (err.code === 429 || err.code === 503 || err.code === 504)) headers['Retry-After'] = String(retry);
  sendRaw(ctx, err.code, JSON.stringify(err.status), 'application/json', headers);
}
