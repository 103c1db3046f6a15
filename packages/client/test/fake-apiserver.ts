/**
 * A small fake Kubernetes apiserver for this package's tests (node:http, port 0). It implements
 * list/watch/get/create/update/patch/delete(collection) for the resources it is given, with a global
 * resourceVersion counter, an event history for watches, 410 Expired for versions older than the last
 * compact(), chunked one-JSON-per-line watch streams, and knobs to inject failures. Not a validator.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { RestClient } from '../src/rest.js';
import type { RestClientOptions } from '../src/rest-options.js';

export interface FakeResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

type Obj = { apiVersion?: string; kind?: string; metadata: Record<string, unknown> & { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> }; [k: string]: unknown };

interface HistoryEvent { rv: number; res: string; type: 'ADDED' | 'MODIFIED' | 'DELETED'; obj: Obj }
interface Watcher { res: string; ns?: string; bookmarks: boolean; match: (o: Obj) => boolean; out: ServerResponse }
export interface RecordedRequest { method: string; url: string; headers: IncomingMessage['headers']; body: string }
interface Injected { code: number; retryAfter?: string; reason?: string; match?: (r: RecordedRequest) => boolean }

const clone = <T>(x: T): T => structuredClone(x);

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  url = '';
  private rv = 100;
  private compactedRv = 0;
  private readonly objects = new Map<string, Map<string, Obj>>();
  private history: HistoryEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly injected: Injected[] = [];
  private hangs = 0;
  private readonly server: Server;

  constructor(private readonly resources: FakeResource[]) {
    for (const r of resources) this.objects.set(this.resKey(r), new Map());
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.breakWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- test knobs ----
  get resourceVersion(): string { return String(this.rv); }
  /** Forget history: watches from any version before now get 410 Expired. */
  compact(): void { this.compactedRv = this.rv; this.history = []; }
  /** Cut every open watch stream abruptly (socket destroyed, no clean end). */
  breakWatches(): void { for (const w of this.watchers) w.out.destroy(); this.watchers.clear(); }
  /** End every open watch stream cleanly (as a server-side timeout does). */
  endWatches(): void { for (const w of this.watchers) w.out.end(); this.watchers.clear(); }
  /** Open watches, optionally only those scoped to one namespace. */
  watcherCount(ns?: string): number { return [...this.watchers].filter((w) => ns === undefined || w.ns === ns).length; }
  /** Answer the next matching request with this error (Status body). */
  injectError(e: Injected): void { this.injected.push(e); }
  /** Never answer the next n requests (for timeouts). */
  hangNext(n = 1): void { this.hangs += n; }
  /** Send a BOOKMARK with the current version to watchers that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) if (w.bookmarks) this.writeEvent(w, 'BOOKMARK', { metadata: { resourceVersion: String(this.rv) } });
  }
  /** Direct store access that still emits watch events (simulates other writers). */
  put(res: FakeResource, obj: Obj): Obj { return this.store(this.resKey(res), obj, this.find(res, obj) ? 'MODIFIED' : 'ADDED'); }
  remove(res: FakeResource, ns: string | undefined, name: string): void {
    const key = ns ? `${ns}/${name}` : name;
    const o = this.objects.get(this.resKey(res))?.get(key);
    if (o) this.drop(this.resKey(res), key, o);
  }
  get(res: FakeResource, ns: string | undefined, name: string): Obj | undefined {
    return clone(this.objects.get(this.resKey(res))?.get(ns ? `${ns}/${name}` : name));
  }

  // ---- internals ----
  private resKey(r: { group: string; plural: string }): string { return `${r.group}/${r.plural}`; }
  private find(res: FakeResource, obj: Obj): Obj | undefined {
    const key = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : `${obj.metadata.name}`;
    return this.objects.get(this.resKey(res))?.get(key);
  }

  private store(res: string, obj: Obj, type: 'ADDED' | 'MODIFIED'): Obj {
    const o = clone(obj);
    o.metadata.resourceVersion = String(++this.rv);
    const key = o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : `${o.metadata.name}`;
    this.objects.get(res)!.set(key, o);
    this.emit(res, type, o);
    return clone(o);
  }

  private drop(res: string, key: string, o: Obj): Obj {
    this.objects.get(res)!.delete(key);
    const gone = clone(o);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit(res, 'DELETED', gone);
    return gone;
  }

  private emit(res: string, type: HistoryEvent['type'], obj: Obj): void {
    this.history.push({ rv: this.rv, res, type, obj: clone(obj) });
    for (const w of this.watchers) if (w.res === res && (!w.ns || w.ns === obj.metadata.namespace) && w.match(obj)) this.writeEvent(w, type, obj);
  }

  private writeEvent(w: Watcher, type: string, object: unknown): void {
    w.out.write(`${JSON.stringify({ type, object })}\n`);
  }

  private status(out: ServerResponse, code: number, reason: string, message: string, extra: Record<string, string> = {}, details?: object): void {
    out.writeHead(code, { 'content-type': 'application/json', ...extra });
    out.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, details }));
  }

  private json(out: ServerResponse, code: number, body: unknown): void {
    out.writeHead(code, { 'content-type': 'application/json' });
    out.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, out: ServerResponse): Promise<void> {
    let body = '';
    for await (const c of req) body += c;
    const rec: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
    this.requests.push(rec);
    if (this.hangs > 0) { this.hangs--; return; }
    const inj = this.injected.findIndex((e) => !e.match || e.match(rec));
    if (inj >= 0) {
      const e = this.injected.splice(inj, 1)[0];
      return this.status(out, e.code, e.reason ?? 'Injected', 'injected error', e.retryAfter ? { 'retry-after': e.retryAfter } : {});
    }
    const url = new URL(rec.url, 'http://x');
    if (url.pathname === '/version') return this.json(out, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0-fake' });
    const route = this.route(url.pathname);
    if (!route) return this.status(out, 404, 'NotFound', 'the server could not find the requested resource');
    const { res, ns, name, sub } = route;
    const rk = this.resKey(res);
    const key = ns && res.namespaced ? `${ns}/${name}` : `${name}`;
    const q = url.searchParams;
    const current = name !== undefined ? this.objects.get(rk)!.get(key) : undefined;
    const notFound = (): void => this.status(out, 404, 'NotFound', `${res.plural} "${name}" not found`, {}, { name, kind: res.plural });
    let parsed: Obj | undefined;
    try { parsed = body ? (JSON.parse(body) as Obj) : undefined; } catch { return this.status(out, 400, 'BadRequest', 'invalid JSON'); }

    switch (rec.method) {
      case 'GET': {
        if (name === undefined) return q.get('watch') === 'true' || q.get('watch') === '1' ? this.watch(res, ns, q, out) : this.list(res, ns, q, out);
        if (!current) return notFound();
        if (sub === 'log') { out.writeHead(200, { 'content-type': 'text/plain' }); out.end(`log of ${name}\nline 2\n`); return; }
        return this.json(out, 200, current);
      }
      case 'POST': {
        if (!parsed) return this.status(out, 400, 'BadRequest', 'no body');
        if (sub === 'binding') {
          if (!current) return notFound();
          const target = (parsed as { target?: { name?: string } }).target?.name;
          this.store(rk, { ...current, spec: { ...(current.spec as object), nodeName: target } }, 'MODIFIED');
          return this.json(out, 201, { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 });
        }
        const obj: Obj = { ...parsed, metadata: { ...parsed.metadata } };
        if (res.namespaced) obj.metadata.namespace = ns ?? obj.metadata.namespace;
        if (!obj.metadata.name && typeof obj.metadata.generateName === 'string') obj.metadata.name = `${obj.metadata.generateName}${this.rv + 1}`;
        if (!obj.metadata.name) return this.status(out, 422, 'Invalid', 'name is required', {}, { causes: [{ reason: 'FieldValueRequired', field: 'metadata.name' }] });
        if (this.find(res, obj)) return this.status(out, 409, 'AlreadyExists', `${res.plural} "${obj.metadata.name}" already exists`, {}, { name: obj.metadata.name });
        obj.metadata.uid = `uid-${this.rv + 1}`;
        return this.json(out, 201, this.store(rk, obj, 'ADDED'));
      }
      case 'PUT': {
        if (!parsed) return this.status(out, 400, 'BadRequest', 'no body');
        if (!current) return notFound();
        const sent = parsed.metadata?.resourceVersion;
        if (sent && sent !== current.metadata.resourceVersion) {
          return this.status(out, 409, 'Conflict', `Operation cannot be fulfilled on ${res.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
        }
        const next = sub === 'status' ? { ...current, status: parsed.status } : { ...parsed, metadata: { ...parsed.metadata, uid: current.metadata.uid, namespace: current.metadata.namespace } };
        return this.json(out, 200, this.store(rk, next, 'MODIFIED'));
      }
      case 'PATCH': {
        if (!current) return notFound();
        const merged = mergePatch(current, parsed) as Obj;
        return this.json(out, 200, this.store(rk, merged, 'MODIFIED'));
      }
      case 'DELETE': {
        if (name === undefined) {
          const sel = labelMatcher(q.get('labelSelector'));
          const items = [...this.objects.get(rk)!.entries()].filter(([, o]) => (!ns || o.metadata.namespace === ns) && sel(o));
          return this.json(out, 200, { kind: `${res.kind}List`, apiVersion: apiVersion(res), metadata: {}, items: items.map(([k, o]) => this.drop(rk, k, o)) });
        }
        if (!current) return notFound();
        return this.json(out, 200, this.drop(rk, key, current));
      }
      default:
        return this.status(out, 405, 'MethodNotAllowed', 'method not allowed');
    }
  }

  private route(path: string): { res: FakeResource; ns?: string; name?: string; sub?: string } | undefined {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    let group = '';
    let rest: string[];
    if (parts[0] === 'api') { rest = parts.slice(2); }
    else if (parts[0] === 'apis') { group = parts[1]; rest = parts.slice(3); }
    else return undefined;
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) { ns = rest[1]; rest = rest.slice(2); }
    const res = this.resources.find((r) => r.group === group && r.plural === rest[0]);
    return res ? { res, ns, name: rest[1], sub: rest[2] } : undefined;
  }

  private list(res: FakeResource, ns: string | undefined, q: URLSearchParams, out: ServerResponse): void {
    const sel = labelMatcher(q.get('labelSelector'));
    const fsel = fieldMatcher(q.get('fieldSelector'));
    const all = [...this.objects.get(this.resKey(res))!.entries()].sort(([a], [b]) => a.localeCompare(b))
      .map(([, o]) => o).filter((o) => (!ns || o.metadata.namespace === ns) && sel(o) && fsel(o));
    const start = Number(q.get('continue') ?? 0) || 0;
    const limit = Number(q.get('limit') ?? 0) || all.length;
    const page = all.slice(start, start + limit);
    const more = start + limit < all.length;
    this.json(out, 200, {
      kind: `${res.kind}List`, apiVersion: apiVersion(res),
      metadata: { resourceVersion: String(this.rv), ...(more ? { continue: String(start + limit), remainingItemCount: all.length - start - limit } : {}) },
      items: page,
    });
  }

  private watch(res: FakeResource, ns: string | undefined, q: URLSearchParams, out: ServerResponse): void {
    const rvParam = q.get('resourceVersion') ?? '';
    const from = Number(rvParam || 0);
    const rk = this.resKey(res);
    const sel = labelMatcher(q.get('labelSelector'));
    const fsel = fieldMatcher(q.get('fieldSelector'));
    const w: Watcher = { res: rk, ns, bookmarks: q.get('allowWatchBookmarks') === 'true', match: (o) => sel(o) && fsel(o), out };
    out.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    out.flushHeaders();
    if (from !== 0 && from < this.compactedRv) {
      this.writeEvent(w, 'ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${this.compactedRv})`, reason: 'Expired', code: 410 });
      out.end();
      return;
    }
    if (from === 0) {
      for (const o of this.objects.get(rk)!.values()) if ((!ns || o.metadata.namespace === ns) && w.match(o)) this.writeEvent(w, 'ADDED', o);
    } else {
      for (const e of this.history) if (e.rv > from && e.res === rk && (!ns || e.obj.metadata.namespace === ns) && w.match(e.obj)) this.writeEvent(w, e.type, e.obj);
    }
    this.watchers.add(w);
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => out.end(), timeout * 1000) : undefined;
    out.on('close', () => { this.watchers.delete(w); if (timer) clearTimeout(timer); });
  }
}

function apiVersion(r: FakeResource): string { return r.group ? `${r.group}/${r.version}` : r.version; }

function labelMatcher(sel: string | null): (o: Obj) => boolean {
  if (!sel) return () => true;
  const reqs = sel.split(',').map((s) => {
    const ne = s.split('!=');
    if (ne.length === 2) return (l: Record<string, string>) => l[ne[0]] !== ne[1];
    const [k, v] = s.split(/==?/);
    return v === undefined ? (l: Record<string, string>) => k in l : (l: Record<string, string>) => l[k] === v;
  });
  return (o) => reqs.every((r) => r(o.metadata.labels ?? {}));
}

function fieldMatcher(sel: string | null): (o: Obj) => boolean {
  if (!sel) return () => true;
  const reqs = sel.split(',').map((s) => s.split('='));
  return (o) => reqs.every(([path, want]) => {
    let v: unknown = o;
    for (const p of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[p];
    return String(v ?? '') === want;
  });
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export const podsRes: FakeResource = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };
export const nodesRes: FakeResource = { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false };
export const leasesRes: FakeResource = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true };

export function startFakeApiServer(resources: FakeResource[] = [podsRes, nodesRes, leasesRes]): Promise<FakeApiServer> {
  return new FakeApiServer(resources).start();
}

export function pod(name: string, extra: { namespace?: string; nodeName?: string; labels?: Record<string, string> } = {}): Obj {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: extra.namespace ?? 'default', ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'pause' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  };
}

/**
 * One fake apiserver and one RestClient on it for a whole test file: started in beforeAll, closed in afterAll;
 * the getters are for use inside tests and hooks.
 */
export function sharedFakeApiServer(clientOpts: Omit<RestClientOptions, 'server'> = {}): { server(): FakeApiServer; client(): RestClient } {
  let server: FakeApiServer | undefined;
  let client: RestClient | undefined;
  beforeAll(async () => {
    server = await startFakeApiServer();
    client = new RestClient({ server: server.url, ...clientOpts });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });
  return {
    server: () => { if (!server) throw new Error('the fake apiserver is not started'); return server; },
    client: () => { if (!client) throw new Error('the fake apiserver is not started'); return client; },
  };
}
