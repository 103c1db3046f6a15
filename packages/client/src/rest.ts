import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { realClock, sleep, type Clock } from './clock.js';
import { ApiError, type Status } from '@tinykube/api';
import { RequestTimeoutError } from './errors.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';
import type {
  DeleteCollectionOptions, DeleteOptions, GetOptions, LogOptions, PatchOptions, PatchType, RequestOptions, RestClientOptions, WriteOptions,
} from './rest-options.js';
import { patchContentTypes } from './rest-options.js';
import { listQuery, queryString, resourcePath, selectorString, type ListOptions, type QueryValue, type Selector } from './rest-url.js';
import { decodeWatch, type WatchOptions } from './watch.js';
import type { ObjectLike, ObjectList, ResourceRef, WatchEvent } from './types.js';

const podsResource: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

/** Seconds or an HTTP date → milliseconds from now; undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A typed Kubernetes REST client over one keep-alive undici Agent. Errors come back as ApiError
 * rebuilt from the server's Status; 429 and 503 are retried honouring Retry-After, within a bound.
 */
export class RestClient {
  readonly server: string;
  readonly userAgent: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly opts: RestClientOptions;
  private tokenCache: { token: string; readAt: number } | undefined;

  constructor(opts: RestClientOptions) {
    this.opts = opts;
    this.server = opts.server.replace(/\/+$/, '');
    this.userAgent = opts.userAgent ?? 'tinykube-client/0.1';
    this.clock = opts.clock ?? realClock;
    this.logger = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'rest-client' });
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxRetries = opts.maxRetries ?? 3;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 10_000;
    this.ownsDispatcher = opts.dispatcher === undefined;
    this.dispatcher =
      opts.dispatcher ??
      new Agent({
        keepAliveTimeout: 30_000,
        connect: {
          ca: opts.tls?.ca,
          cert: opts.tls?.cert,
          key: opts.tls?.key,
          rejectUnauthorized: opts.tls?.insecureSkipTlsVerify !== true,
          servername: opts.tls?.servername,
        },
      });
  }

  /** A client for the cluster a resolved kubeconfig points at. */
  static fromKubeconfig(cfg: ResolvedKubeconfig, extra: Omit<RestClientOptions, 'server' | 'tls'> = {}): RestClient {
    return new RestClient({
      server: cfg.server,
      tls: cfg.tls,
      token: cfg.token,
      tokenFile: cfg.tokenFile,
      username: cfg.username,
      password: cfg.password,
      ...extra,
    });
  }

  /** Closes pooled connections (only when this client created the dispatcher). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  // ---- typed verbs --------------------------------------------------------------------------

  get<T extends ObjectLike = ObjectLike>(res: ResourceRef, name: string, o: GetOptions = {}): Promise<T> {
    const path = resourcePath(res, { namespace: o.namespace, name, subresource: o.subresource });
    return this.request<T>('GET', path, undefined, { query: { resourceVersion: o.resourceVersion }, signal: o.signal });
  }

  list<T extends ObjectLike = ObjectLike>(res: ResourceRef, o: ListOptions = {}): Promise<ObjectList<T>> {
    return this.request<ObjectList<T>>('GET', resourcePath(res, { namespace: o.namespace }), undefined, {
      query: listQuery(o),
      signal: o.signal,
    });
  }

  /** Lists every page (following `continue`) and returns one list with the first page's resourceVersion. */
  async listAll<T extends ObjectLike = ObjectLike>(res: ResourceRef, o: ListOptions = {}): Promise<ObjectList<T>> {
    const first = await this.list<T>(res, o);
    const items = [...first.items];
    let cont = first.metadata.continue;
    while (cont) {
      const page = await this.list<T>(res, { ...o, continue: cont });
      items.push(...page.items);
      cont = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  create<T extends ObjectLike = ObjectLike>(res: ResourceRef, obj: ObjectLike, o: WriteOptions = {}): Promise<T> {
    const namespace = o.namespace ?? obj.metadata?.namespace;
    // POST goes to the collection, except subresources (pods/x/binding, pods/x/eviction).
    const name = o.subresource ? (o.name ?? obj.metadata?.name) : undefined;
    const path = resourcePath(res, { namespace, name, subresource: o.subresource });
    return this.request<T>('POST', path, obj, { query: writeQuery(o), signal: o.signal });
  }

  /** PUT; optimistic concurrency comes from metadata.resourceVersion (409 Conflict when stale). */
  update<T extends ObjectLike = ObjectLike>(res: ResourceRef, obj: ObjectLike, o: WriteOptions = {}): Promise<T> {
    const name = o.name ?? obj.metadata?.name;
    if (!name) throw new TypeError('update needs metadata.name');
    const path = resourcePath(res, { namespace: o.namespace ?? obj.metadata?.namespace, name, subresource: o.subresource });
    return this.request<T>('PUT', path, obj, { query: writeQuery(o), signal: o.signal });
  }

  patch<T extends ObjectLike = ObjectLike>(res: ResourceRef, name: string, patch: unknown, type: PatchType, o: PatchOptions = {}): Promise<T> {
    const path = resourcePath(res, { namespace: o.namespace, name, subresource: o.subresource });
    // The apiserver requires a field manager for server-side apply.
    const fieldManager = o.fieldManager ?? (type === 'apply' ? this.userAgent.split('/')[0] : undefined);
    return this.request<T>('PATCH', path, patch, {
      contentType: patchContentTypes[type],
      query: { ...writeQuery({ ...o, fieldManager }), force: type === 'apply' ? o.force : undefined },
      signal: o.signal,
    });
  }

  /** Returns what the server answers: the object (graceful/finalized deletes) or a Success Status. */
  delete<T extends ObjectLike = ObjectLike>(res: ResourceRef, name: string, o: DeleteOptions = {}): Promise<T | Status> {
    const path = resourcePath(res, { namespace: o.namespace, name, subresource: o.subresource });
    return this.request<T | Status>('DELETE', path, deleteBody(o), { query: { dryRun: o.dryRun ? 'All' : undefined }, signal: o.signal });
  }

  deleteCollection<T extends ObjectLike = ObjectLike>(res: ResourceRef, o: DeleteCollectionOptions = {}): Promise<ObjectList<T> | Status> {
    return this.request<ObjectList<T> | Status>('DELETE', resourcePath(res, { namespace: o.namespace }), deleteBody(o), {
      query: listQuery(o),
      signal: o.signal,
    });
  }

  /** Opens a watch and decodes it; see WatchOptions. The connection closes when iteration stops. */
  async *watch<T extends ObjectLike = ObjectLike>(res: ResourceRef, o: WatchOptions = {}): AsyncGenerator<WatchEvent<T>, void, undefined> {
    const path = resourcePath(res, { namespace: o.namespace });
    const query = {
      watch: 'true',
      resourceVersion: o.resourceVersion || undefined,
      allowWatchBookmarks: o.allowWatchBookmarks ? 'true' : undefined,
      timeoutSeconds: o.timeoutSeconds,
      labelSelector: selectorString(o.labelSelector as Selector | undefined),
      fieldSelector: selectorString(o.fieldSelector as Selector | undefined),
    };
    let body: Dispatcher.ResponseData['body'];
    try {
      body = (await this.send('GET', path, undefined, { query, signal: o.signal }, true)).body;
    } catch (err) {
      if (o.signal?.aborted) return;
      throw err;
    }
    try {
      yield* decodeWatch<T>(body, o.signal);
    } finally {
      body.destroy();
    }
  }

  /** A pod's log as text (all of it, or up to the server's end of a follow). */
  async log(namespace: string, pod: string, o: LogOptions = {}): Promise<string> {
    let out = '';
    for await (const chunk of this.logStream(namespace, pod, o)) out += chunk;
    return out;
  }

  /** A pod's log as it arrives; with `follow` the stream stays open until the container ends or `signal` aborts. */
  async *logStream(namespace: string, pod: string, o: LogOptions = {}): AsyncGenerator<string, void, undefined> {
    const path = resourcePath(podsResource, { namespace, name: pod, subresource: 'log' });
    const query = { container: o.container, follow: o.follow, tailLines: o.tailLines, previous: o.previous, timestamps: o.timestamps, sinceSeconds: o.sinceSeconds };
    const { body } = await this.send('GET', path, undefined, { query, signal: o.signal, accept: '*/*' }, true);
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) yield decoder.decode(chunk as Uint8Array, { stream: true });
      const tail = decoder.decode();
      if (tail) yield tail;
    } catch (err) {
      if (o.signal?.aborted) return;
      throw err;
    } finally {
      body.destroy();
    }
  }

  // ---- any path -------------------------------------------------------------------------------

  /**
   * Calls any path (e.g. '/version', '/api/v1/nodes/n/proxy/...'). JSON answers are parsed, others
   * returned as text. Non-2xx answers throw ApiError.
   */
  async request<T = unknown>(method: string, path: string, body?: unknown, o: RequestOptions = {}): Promise<T> {
    const timeoutMs = o.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    try {
      const res = await this.send(method, path, body, { ...o, signal }, false);
      const text = await res.body.text();
      return (isJson(res.headers['content-type']) && text ? JSON.parse(text) : text) as T;
    } catch (err) {
      if (timeout.aborted && !o.signal?.aborted) throw new RequestTimeoutError(method, path, timeoutMs);
      throw err;
    }
  }

  /**
   * One HTTP exchange with retries for 429/503. Resolves with a 2xx response whose body is still
   * unread; throws ApiError otherwise. Streaming requests get no body timeout (watches idle).
   */
  private async send(method: string, path: string, body: unknown, o: RequestOptions, streaming: boolean): Promise<Dispatcher.ResponseData> {
    const url = this.server + path + queryString(o.query ?? {});
    const headers: Record<string, string> = {
      accept: o.accept ?? 'application/json',
      'user-agent': this.userAgent,
      ...this.authHeader(),
      ...o.headers,
    };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] = o.contentType ?? 'application/json';
    }
    for (let attempt = 0; ; attempt++) {
      const res = await undiciRequest(url, {
        dispatcher: this.dispatcher,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: payload,
        signal: o.signal,
        headersTimeout: streaming ? this.timeoutMs : undefined,
        bodyTimeout: streaming ? 0 : undefined,
      });
      if (res.statusCode < 400) return res;
      const text = await res.body.text();
      const retryable = res.statusCode === 429 || res.statusCode === 503;
      if (retryable && attempt < this.maxRetries) {
        const delay = Math.min(retryAfterMs(res.headers['retry-after'], this.clock.now()) ?? 1000, this.maxRetryDelayMs);
        this.logger.info({ method, path, code: res.statusCode, attempt, delayMs: delay }, 'server asked to retry');
        await sleep(this.clock, delay, o.signal);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      throw ApiError.fromResponse(res.statusCode, parsed, text);
    }
  }

  private authHeader(): Record<string, string> {
    const token = this.currentToken();
    if (token) return { authorization: `Bearer ${token}` };
    if (this.opts.username !== undefined) {
      const basic = Buffer.from(`${this.opts.username}:${this.opts.password ?? ''}`).toString('base64');
      return { authorization: `Basic ${basic}` };
    }
    return {};
  }

  private currentToken(): string | undefined {
    if (this.opts.token) return this.opts.token;
    if (!this.opts.tokenFile) return undefined;
    const now = this.clock.now();
    if (!this.tokenCache || now - this.tokenCache.readAt > 60_000) {
      this.tokenCache = { token: readFileSync(this.opts.tokenFile, 'utf8').trim(), readAt: now };
    }
    return this.tokenCache.token;
  }
}

function isJson(contentType: string | string[] | undefined): boolean {
  const ct = Array.isArray(contentType) ? contentType[0] : contentType;
  return ct !== undefined && /[/+]json\b/.test(ct);
}

function writeQuery(o: { dryRun?: boolean; fieldManager?: string }): Record<string, QueryValue> {
  return { dryRun: o.dryRun ? 'All' : undefined, fieldManager: o.fieldManager };
}

function deleteBody(o: { propagationPolicy?: string; gracePeriodSeconds?: number; preconditions?: object }): object | undefined {
  if (o.propagationPolicy === undefined && o.gracePeriodSeconds === undefined && o.preconditions === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    propagationPolicy: o.propagationPolicy,
    gracePeriodSeconds: o.gracePeriodSeconds,
    preconditions: o.preconditions,
  };
}
