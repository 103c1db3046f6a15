/**
 * Watch streams, served from the resource's WatchCache: chunked HTTP, one `{"type","object"}` JSON per line.
 * - resourceVersion "" or "0": synthetic ADDED events for the current state, then changes.
 * - resourceVersion N: changes after N, replayed from the cache's ring; older than the ring → one ERROR
 *   event (410 Expired) and the stream ends.
 * - selectors apply per watcher, with transitions: an object that stops matching is sent as DELETED, one
 *   that starts matching as ADDED (as Kubernetes does).
 * - allowWatchBookmarks: periodic BOOKMARKs; sendInitialEvents: the initial-events-end bookmark.
 * - timeoutSeconds ends the stream; a watcher whose socket backs up beyond a limit is dropped (its stream is
 *   closed) so it never slows the others.
 */
import { toTable, type KubeObject } from '@tinykube/api';
import { parseAccept, type RequestContext } from '../http.js';
import type { ApiMetrics } from '../metrics.js';
import { parseFilter } from '../selectors.js';
import { badRequest, tooOldResourceVersion } from '@tinykube/api';
import type { ResourceStore } from '../storage/resource-store.js';
import { queryBool } from '@tinykube/api';
import { intParam } from '../util.js';
import { objectJson, type CacheEvent, type WatchSink } from '../watchcache.js';
import type { Target } from './common.js';

/** Bytes a watcher may have queued on its socket before it is dropped. */
export const MAX_WATCH_BACKLOG = 16 * 1024 * 1024;
const DEFAULT_TIMEOUT_MIN_S = 1800;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export async function handleWatch(ctx: RequestContext, store: ResourceStore, t: Target, metrics: ApiMetrics): Promise<void> {
  const { info } = t;
  const q = ctx.query;
  const filter = parseFilter(info, q, t.namespace, t.name);
  const rv = q.get('resourceVersion') ?? '';
  if (rv !== '' && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  const bookmarks = queryBool(q, 'allowWatchBookmarks');
  const sendInitial = queryBool(q, 'sendInitialEvents');
  const timeoutS = intParam(q, 'timeoutSeconds') ?? DEFAULT_TIMEOUT_MIN_S * (1 + Math.random());
  const table = parseAccept(ctx.req.headers.accept).table;
  const includeObject = (q.get('includeObject') ?? 'Metadata') as 'Object' | 'Metadata' | 'None';
  const cache = store.cache;
  await cache.whenReady();

  const res = ctx.res;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let closed = false;
  let firstTable = true;
  let fromRev = 0;
  let lastRev = 0;
  const keyPrefix = store.listPrefix(t.namespace);

  const write = (line: string): void => {
    if (closed) return;
    const ok = res.write(line);
    if (!ok && res.writableLength > MAX_WATCH_BACKLOG) {
      ctx.log.warn({ resource: info.plural, backlog: res.writableLength }, 'dropping slow watcher');
      finish();
    }
  };
  const encode = (type: string, obj: KubeObject): string => {
    if (!table) return `{"type":"${type}","object":${objectJson(obj)}}\n`;
    const tbl = toTable(info, [obj], new Date(), { includeObject });
    if (!firstTable) tbl.columnDefinitions = [];
    firstTable = false;
    return `${JSON.stringify({ type, object: tbl })}\n`;
  };
  const send = (type: EventType, obj: KubeObject, rev: number): void => {
    lastRev = rev;
    write(encode(type, obj));
  };

  const sink: WatchSink = {
    deliver(ev: CacheEvent) {
      if (closed || ev.rev <= fromRev) return;
      if (!ev.key.startsWith(keyPrefix)) return;
      if (filter.everything) { send(ev.type, ev.obj, ev.rev); return; }
      const now = filter.matches(ev.obj);
      const before = ev.prev !== undefined && filter.matches(ev.prev);
      if (ev.type === 'DELETED') { if (before) send('DELETED', ev.obj, ev.rev); return; }
      if (now && before) send('MODIFIED', ev.obj, ev.rev);
      else if (now) send('ADDED', ev.obj, ev.rev);
      else if (before) send('DELETED', ev.obj, ev.rev);
    },
    bookmark(rev: number) {
      if (!bookmarks || closed || rev < lastRev) return;
      lastRev = rev;
      write(`{"type":"BOOKMARK","object":{"kind":"${info.kind}","apiVersion":"${info.apiVersion}","metadata":{"resourceVersion":"${rev}"}}}\n`);
    },
    terminate() { finish(); },
  };

  let timer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    if (closed) return;
    closed = true;
    cache.unsubscribe(sink);
    metrics.watchers.dec({ resource: info.plural });
    if (timer) clearTimeout(timer);
    res.end();
  };
  metrics.watchers.inc({ resource: info.plural });
  res.on('close', finish);
  timer = setTimeout(finish, Math.max(0, timeoutS) * 1000);

  if (rv === '' || rv === '0' || sendInitial) {
    // synthetic ADDED events for the current state, then live changes — all synchronous, so nothing slips between
    fromRev = cache.rev;
    for (const e of cache.list(keyPrefix)) if (filter.matches(e.obj)) send('ADDED', e.obj, e.rev);
    lastRev = fromRev;
    if (sendInitial && bookmarks) {
      write(`{"type":"BOOKMARK","object":{"kind":"${info.kind}","apiVersion":"${info.apiVersion}","metadata":{"resourceVersion":"${fromRev}","annotations":{"k8s.io/initial-events-end":"true"}}}}\n`);
    }
    cache.subscribe(sink, fromRev);
    return;
  }
  fromRev = Number(rv);
  lastRev = fromRev;
  if (!cache.subscribe(sink, fromRev)) {
    const err = tooOldResourceVersion(fromRev, cache.oldestRev);
    write(`${JSON.stringify({ type: 'ERROR', object: err.status })}\n`);
    finish();
  }
}
