/**
 * pods/log: proxied to the kubelet's /containerLogs/<ns>/<pod>/<container>, streamed as it arrives
 * (`follow` stays open until the client goes away or the kubelet ends it, i.e. the container ended).
 */
import { request, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestContext } from '../http.js';
import { kubeletUnreachable, locateKubelet } from '../kubelet/location.js';
import { ApiError, badRequest, methodNotAllowed, statusError } from '@tinykube/api';
import type { Storage } from '../storage/storage.js';
import { queryBool } from '@tinykube/api';
import { isRecord } from '../util.js';
import type { Target } from './common.js';

/** How long the kubelet may take to start answering (a follow may then stay quiet for hours). */
const RESPONSE_TIMEOUT_MS = 15_000;

const PASSED = ['follow', 'previous', 'timestamps', 'tailLines', 'limitBytes', 'sinceSeconds'] as const;

/** The kubelet query for a pods/log request; throws BadRequest on invalid numbers. */
export function kubeletLogQuery(q: URLSearchParams, now = Date.now()): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of PASSED) {
    const v = q.get(k);
    if (v === null) continue;
    if ((k === 'tailLines' || k === 'limitBytes' || k === 'sinceSeconds') && !/^\d+$/.test(v)) throw badRequest(`${k}: Invalid value: "${v}": must be a non-negative integer`);
    if ((k === 'limitBytes' || k === 'sinceSeconds') && Number(v) < 1) throw badRequest(`${k}: Invalid value: ${v}: must be greater than 0`);
    // booleans as Go parses them (the Python client sends follow=True)
    out.set(k, k === 'follow' || k === 'previous' || k === 'timestamps' ? String(queryBool(q, k)) : v);
  }
  const since = q.get('sinceTime');
  if (since !== null && !out.has('sinceSeconds')) {
    const t = Date.parse(since);
    if (Number.isNaN(t)) throw badRequest(`sinceTime: Invalid value: "${since}": must be an RFC3339 time`);
    out.set('sinceSeconds', String(Math.max(1, Math.ceil((now - t) / 1000))));
  }
  return out;
}

/** Kubernetes' answer for a container that has not started: the kubelet only knows it has no log. */
function waitingError(pod: Record<string, unknown>, podName: string, container: string): ApiError | undefined {
  const status = isRecord(pod.status) ? pod.status : {};
  const all = [...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []), ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : [])];
  const cs = all.find((c) => isRecord(c) && c.name === container);
  const state = isRecord(cs) && isRecord(cs.state) ? cs.state : undefined;
  if (!cs || (state && isRecord(state.waiting))) {
    const reason = state && isRecord(state.waiting) && typeof state.waiting.reason === 'string' ? state.waiting.reason : 'ContainerCreating';
    return badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  }
  return undefined;
}

export async function handleLog(ctx: RequestContext, storage: Storage, t: Target): Promise<void> {
  if (ctx.req.method !== 'GET') throw methodNotAllowed();
  const query = kubeletLogQuery(ctx.query);
  const target = await locateKubelet(storage, t.namespace!, t.name!, ctx.query.get('container'));
  const container = target.container!;
  if (query.get('previous') !== 'true') {
    const waiting = waitingError(target.pod, t.name!, container);
    if (waiting) throw waiting;
  }
  const path = `/containerLogs/${[t.namespace!, t.name!, container].map(encodeURIComponent).join('/')}?${query}`;
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (err?: ApiError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err); else resolve();
    };
    const opts = { host: target.host, port: target.port, path, method: 'GET', headers: { accept: 'text/plain' } };
    const tls = target.tls;
    const send = (cb: (res: IncomingMessage) => void) => (tls ? httpsRequest({ ...opts, ca: tls.ca, cert: tls.cert, key: tls.key }, cb) : request(opts, cb));
    const up = send((res) => {
      clearTimeout(timer);
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const msg = Buffer.concat(chunks).toString().trim() || `the kubelet answered ${res.statusCode}`;
          const code = res.statusCode ?? 500;
          done(code === 404 ? statusError(404, 'NotFound', msg) : code < 500 ? badRequest(msg) : statusError(500, 'InternalError', msg));
        });
        return;
      }
      ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
      ctx.res.flushHeaders();
      res.pipe(ctx.res);
      res.on('end', () => done());
      res.on('error', () => { ctx.res.end(); done(); });
    });
    const timer = setTimeout(() => up.destroy(new Error(`no answer within ${RESPONSE_TIMEOUT_MS / 1000}s`)), RESPONSE_TIMEOUT_MS);
    up.on('error', (err) => {
      if (ctx.res.headersSent) { ctx.res.end(); done(); } else done(kubeletUnreachable(target, err));
    });
    // The client went away (kubectl logs -f interrupted): stop following at the kubelet too.
    ctx.res.on('close', () => { up.destroy(); done(); });
    up.end();
  });
}
