/**
 * The HTTP server (node:http: full control over body decoding, streaming and error codes). Non-resource
 * paths (health, metrics, version, discovery, OpenAPI) are answered here; resource paths go to the router.
 * Every failure becomes a Status; bad input never yields a 500 and never crashes the process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { EtcdClient, EtcdError } from '@tinykube/etcd-client';
import type { Logger } from 'pino';
import { bootstrap } from './bootstrap.js';
import { ApiExtensionsController } from './apiextensions/controller.js';
import { ensureBootstrapPolicy } from './auth/rbac/ensure-policy.js';
import { ANONYMOUS_USER, AuthenticationChain } from './auth/authenticate.js';
import { alwaysAllow } from './auth/authorize.js';
import { admitRequest, requestScope, type Security } from './auth/pipeline.js';
import { isOverloaded, OVERLOADED_TEXT } from './flowcontrol/overloaded.js';
import { InflightLimiter, type InflightOptions } from './flowcontrol/inflight.js';
import { trackResponseStart, type Auditor, type AuditRecord } from './audit/auditor.js';
import type { KubeletTls } from './kubelet/location.js';
import { sendError, sendJson, sendRaw, type RequestContext } from './http.js';
import { ApiMetrics } from './metrics.js';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './routes/discovery.js';
import { groupVersionOfDocPath, openApiDocument, openApiDocumentHash, openApiIndex } from './routes/openapi.js';
import { notAcceptableV2, openApiV2 } from './routes/openapi-v2.js';
import { parseResourcePath } from './routes/path.js';
import { dispatchResource } from './routes/resources.js';
import { reviewHandlers } from './handlers/reviews.js';
import { admissionChain } from './admission/chain.js';
import type { AdmissionPlugin } from './admission/types.js';
import { registry } from '@tinykube/api';
import { ApiError, internal, isApiError, methodNotAllowed, pathNotFound, serviceUnavailable, timeout } from '@tinykube/api';
import { parseGroupResource, type EncryptionConfiguration } from './storage/encryption/config.js';
import { rewriteStale } from './storage/encryption/rewrite.js';
import { Storage } from './storage/storage.js';
import { attachStreamProxy } from './streaming/upgrade.js';

export interface ApiServerOptions {
  etcd: EtcdClient;
  log: Logger;
  /** Overload protection (--max-requests-inflight, --max-mutating-requests-inflight); none = no limit. */
  inflight?: InflightOptions;
  etcdPrefix?: string;
  serviceClusterIpRange?: string;
  serviceNodePortRange?: string;
  /** Address advertised in the `kubernetes` Endpoints (defaults to the bind address). */
  advertiseAddress?: string;
  bookmarkIntervalMs?: number;
  watchCacheCapacity?: number;
  eventTtlSeconds?: number;
  /** process-wide metrics (GC, memory...) — off in tests that start several servers */
  defaultMetrics?: boolean;
  /** The serving cert and key (`--tls-cert-file`, `--tls-private-key-file`) and the CA of client certs (`--client-ca-file`), PEM. */
  tls?: { cert: string; key: string; clientCa?: string };
  /** Authentication and authorization; without it every request is anonymous and allowed (in-process tests only). */
  security?: Security | ((storage: Storage) => Security);
  /** Audit logging (`--audit-policy-file`, `--audit-log-path`); none without it, as kube. */
  auditor?: Auditor;
  /** Admission plugins in order (`--enable-admission-plugins`), given the storage and security stages. */
  admission?: (storage: Storage, security: Security) => AdmissionPlugin[];
  kubeletTls?: KubeletTls;
  /** Encryption at rest (`--encryption-provider-config`, see storage/encryption/config.ts); absent = plain JSON. */
  encryption?: EncryptionConfiguration;
}

export interface ApiServer {
  readonly server: Server;
  readonly storage: Storage;
  readonly metrics: ApiMetrics;
  /** Binds the socket; resolves with the bound port (requests wait for the caches until start() is done). */
  listen(port: number, host: string): Promise<number>;
  /** Loads allocators and watch caches, then the bootstrap objects; /readyz turns ok afterwards. */
  start(): Promise<void>;
  /** Whether /readyz would answer ok. */
  isReady(): boolean;
  close(): Promise<void>;
}

/**
 * Objects stored before encryption was configured, or with a key no longer first in the list, are re-written with
 * the current one (the upgrade of a plain-text data dir, and key rotation), in the background after start.
 */
async function rewriteEncrypted(storage: Storage, config: EncryptionConfiguration, log: Logger): Promise<void> {
  for (const entry of config.resources) {
    for (const name of entry.resources) {
      if (name.includes('*')) continue;
      const gr = parseGroupResource(name);
      if (!storage.get(gr.group, gr.resource)) continue;
      try {
        const r = await rewriteStale(storage, gr);
        if (r.rewritten > 0 || r.failed.length > 0) log.info({ resource: name, ...r }, 're-wrote objects with the current encryption key');
      } catch (err) {
        log.warn({ err, resource: name }, 'could not re-write objects with the current encryption key');
      }
    }
  }
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const log = opts.log;
  // The OpenAPI documents (and the definitions fieldValidation reads) are generated once, here, not on a request.
  openApiIndex();
  openApiV2();
  const metrics = new ApiMetrics({ defaultMetrics: opts.defaultMetrics });
  const admissionPlugins: AdmissionPlugin[] = [];
  const storage = new Storage({
    etcd: opts.etcd, log,
    etcdPrefix: opts.etcdPrefix ?? '/registry',
    serviceClusterIpRange: opts.serviceClusterIpRange ?? '10.96.0.0/16',
    serviceNodePortRange: opts.serviceNodePortRange ?? '30000-32767',
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
    watchCacheCapacity: opts.watchCacheCapacity,
    eventTtlSeconds: opts.eventTtlSeconds,
    kubeletTls: opts.kubeletTls,
    encryption: opts.encryption,
    admit: admissionChain(admissionPlugins),
  });
  const apiExtensions = new ApiExtensionsController(storage, log.child({ component: 'apiextensions' }));
  const security: Security = typeof opts.security === 'function' ? opts.security(storage)
    : opts.security ?? { authentication: new AuthenticationChain([], true), authorizer: alwaysAllow };
  admissionPlugins.push(...(opts.admission?.(storage, security) ?? []));
  if (opts.inflight) {
    const limiter = new InflightLimiter(opts.inflight);
    security.limiter = limiter;
    metrics.trackInflight((kind) => limiter.inflight(kind));
  }
  const virtual = reviewHandlers({
    authorizer: security.authorizer,
    rulesFor: security.rulesFor ?? (() => ({ resourceRules: [], nonResourceRules: [], incomplete: true })),
    reviewToken: security.reviewToken,
  }, registry);
  if (security.tokenRequest) virtual.set('/serviceaccounts/token', security.tokenRequest);
  let bootstrapped = false;
  let etcdHealthy = false;
  let serverAddress = '127.0.0.1:6443';
  let boundHost = '127.0.0.1';
  let boundPort = 6443;
  let healthTimer: NodeJS.Timeout | undefined;

  const ready = () => bootstrapped && etcdHealthy && storage.ready;

  async function checkEtcd(): Promise<void> {
    try { await opts.etcd.status(); etcdHealthy = true; } catch { etcdHealthy = false; }
  }

  function health(ctx: RequestContext, name: string, checks: [string, boolean][]): void {
    const ok = checks.every(([, v]) => v);
    if (ctx.query.has('verbose')) {
      const lines = checks.map(([n, v]) => `[${v ? '+' : '-'}]${n} ${v ? 'ok' : 'failed'}`);
      lines.push(`${name} check ${ok ? 'passed' : 'failed'}`);
      sendRaw(ctx, ok ? 200 : 500, `${lines.join('\n')}\n`, 'text/plain; charset=utf-8');
    } else {
      sendRaw(ctx, ok ? 200 : 500, ok ? 'ok' : `${name} check failed`, 'text/plain; charset=utf-8');
    }
  }

  async function route(ctx: RequestContext): Promise<void> {
    const p = ctx.url.pathname.length > 1 ? ctx.url.pathname.replace(/\/+$/, '') : ctx.url.pathname;
    const method = ctx.req.method ?? 'GET';
    const readOnly = method === 'GET' || method === 'HEAD';
    const resourcePath = parseResourcePath(p);
    if (resourcePath) {
      await dispatchResource(ctx, storage, metrics, resourcePath, virtual);
      return;
    }
    if (!readOnly) throw p.startsWith('/api') ? pathNotFound() : methodNotAllowed();
    ctx.verb = 'GET';
    switch (p) {
      case '/healthz': case '/livez':
        health(ctx, p.slice(1), [['ping', true], ['etcd', etcdHealthy]]);
        return;
      case '/readyz':
        health(ctx, 'readyz', [['ping', true], ['etcd', etcdHealthy], ['informer-sync', storage.ready], ['bootstrap', bootstrapped]]);
        return;
      case '/metrics':
        sendRaw(ctx, 200, await metrics.registry.metrics(), metrics.registry.contentType);
        return;
      case '/version': sendJson(ctx, 200, VERSION_INFO); return;
      case '/api': sendJson(ctx, 200, apiVersions(serverAddress)); return;
      case '/apis': sendJson(ctx, 200, apiGroupList()); return;
      case '/openapi/v3': sendJson(ctx, 200, openApiIndex()); return;
      case '/openapi/v2': {
        const refusal = notAcceptableV2(ctx.req.headers.accept);
        if (refusal) throw refusal;
        const v2 = openApiV2();
        sendRaw(ctx, 200, v2.body, 'application/json', { ETag: v2.etag });
        return;
      }
      default: break;
    }
    const doc = security.documents?.get(p);
    if (doc) { sendRaw(ctx, 200, doc.body, doc.contentType, { 'Cache-Control': doc.cacheControl }); return; }
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/([^/]+)$/.exec(p))) {
      const doc = apiResourceList('', m[1]);
      if (doc) { sendJson(ctx, 200, doc); return; }
    } else if ((m = /^\/apis\/([^/]+)$/.exec(p))) {
      const doc = apiGroupDoc(m[1]);
      if (doc) { sendJson(ctx, 200, doc); return; }
    } else if ((m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p))) {
      const doc = apiResourceList(m[1], m[2]);
      if (doc) { sendJson(ctx, 200, doc); return; }
    } else if (p.startsWith('/openapi/v3/')) {
      const gv = groupVersionOfDocPath(p);
      const doc = gv ? openApiDocument(gv) : undefined;
      if (doc && gv) { sendJson(ctx, 200, doc, { 'Cache-Control': 'public, immutable', ETag: `"${openApiDocumentHash(gv)}"` }); return; }
    } else if (p.startsWith('/healthz/') || p.startsWith('/livez/') || p.startsWith('/readyz/')) {
      sendRaw(ctx, 200, 'ok', 'text/plain; charset=utf-8');
      return;
    }
    throw pathNotFound();
  }

  function toApiError(err: unknown): ApiError {
    if (isApiError(err)) return err;
    if (err instanceof EtcdError) {
      if (err.httpStatus === 0 || err.httpStatus >= 500) return serviceUnavailable(`the storage backend is unavailable: ${err.etcdMessage}`);
      if (err.httpStatus === 408 || /timeout|deadline/i.test(err.etcdMessage)) return timeout('the storage backend did not answer in time');
      return internal(err.etcdMessage);
    }
    return internal(err instanceof Error ? err.message : String(err));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://apiserver');
    } catch {
      url = new URL('http://apiserver/');
    }
    const reqLog = log.isLevelEnabled('debug') ? log.child({ method: req.method, path: url.pathname }) : log;
    const ctx: RequestContext = { req, res, url, query: url.searchParams, user: ANONYMOUS_USER, log: reqLog, verb: req.method ?? 'GET', resource: '' };
    let failure: ApiError | undefined;
    try {
      const admitted = await admitRequest(security, req, url, opts.auditor, (record) => {
        ctx.audit = record;
        res.setHeader('Audit-Id', record.auditID);
        trackResponseStart(record, res);
        // a watch's handler returns long before its stream ends: the event is written when the response closes
        res.once('close', () => record.end({ code: res.statusCode, status: failure?.status }));
      });
      ctx.user = admitted.user;
      res.once('close', admitted.release);
      await requestScope.run(admitted, () => route(ctx));
    } catch (err) {
      const apiErr = toApiError(err);
      failure = apiErr;
      if (!isApiError(err) && !(err instanceof EtcdError)) ctx.audit?.panic(err);
      if (apiErr.code >= 500) log.error({ err, method: req.method, path: url.pathname, code: apiErr.code }, 'request failed');
      else if (apiErr.code === 401) log.info({ method: req.method, path: url.pathname, code: 401, errors: (apiErr as { authnErrors?: string[] }).authnErrors }, 'unauthenticated');
      else log.info({ method: req.method, path: url.pathname, code: apiErr.code, reason: apiErr.reason, message: apiErr.message }, 'request rejected');
      if (isOverloaded(err)) {
        metrics.rejected.inc({ priority_level: err.overloaded.level, reason: 'concurrency-limit' });
        sendRaw(ctx, 429, OVERLOADED_TEXT, 'text/plain; charset=utf-8', { 'Retry-After': '1', 'X-Content-Type-Options': 'nosniff' });
      } else if (!res.headersSent) sendError(ctx, apiErr);
      else res.end();
      // drain what the client may still be sending so the connection can be reused
      if (!req.complete) req.resume();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.observe(ctx.verb, ctx.resource, res.statusCode, seconds);
    if (reqLog !== log) reqLog.debug({ code: res.statusCode, seconds }, 'request served');
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => { void handle(req, res); };
  // Client certs are asked for but not required: a request may carry a token instead, or be anonymous; the x509
  // authenticator reads whether the TLS layer verified the chain against the client CA.
  const server: Server = opts.tls
    ? createHttpsServer({ keepAliveTimeout: 65_000, requestTimeout: 0, cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.clientCa, requestCert: opts.tls.clientCa !== undefined, rejectUnauthorized: false }, onRequest)
    : createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, onRequest);
  // pods/exec, attach and portforward arrive as upgrades, which never reach the request handler.
  const streams = attachStreamProxy(server, storage, log, async (req) => {
    let record: AuditRecord | undefined;
    try {
      await admitRequest(security, req, new URL(req.url ?? '/', 'http://apiserver'), opts.auditor, (r) => { record = r; });
    } catch (err) {
      const e = toApiError(err);
      record?.end({ code: e.code, status: e.status });
      throw err;
    }
    const r = record;
    return r && { started: () => r.responseStarted(101), end: (code, status) => r.end({ code, status }) };
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    log.debug({ err }, 'client error');
  });

  return {
    server, storage, metrics,
    async listen(port: number, host: string): Promise<number> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => { server.off('error', reject); resolve(); });
      });
      const bound = (server.address() as AddressInfo).port;
      serverAddress = `${host}:${bound}`;
      boundHost = host; boundPort = bound;
      return bound;
    },
    async start(): Promise<void> {
      await checkEtcd();
      healthTimer = setInterval(() => { void checkEtcd(); }, 5_000);
      healthTimer.unref();
      await storage.start();
      await apiExtensions.start();
      await bootstrap(storage, { address: opts.advertiseAddress ?? (boundHost === '0.0.0.0' ? '127.0.0.1' : boundHost), port: boundPort }, log);
      await ensureBootstrapPolicy(storage, log);
      if (opts.encryption) void rewriteEncrypted(storage, opts.encryption, log);
      bootstrapped = true;
    },
    isReady: ready,
    async close(): Promise<void> {
      if (healthTimer) clearInterval(healthTimer);
      apiExtensions.stop();
      storage.stop();
      streams.close();
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
