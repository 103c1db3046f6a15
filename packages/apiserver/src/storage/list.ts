/**
 * Serving lists with Kubernetes' resourceVersion semantics:
 * - limit (with resourceVersion "" or an exact match) and continue: read etcd in key order at ONE revision;
 *   the continue token holds the next key and that revision; a compacted revision answers 410 Expired.
 * - resourceVersion "0": whatever the watch cache holds (no limit applied, as Kubernetes' cache does).
 * - resourceVersion "": a consistent read, from the watch cache once it is proven current, else from etcd.
 * - resourceVersion N (NotOlderThan): from the cache once it has reached N, from etcd when only etcd has; a
 *   revision etcd has not reached after 3 s answers 504 ResourceVersionTooLarge, as kube's watch cache.
 */
import { isCompacted, isFutureRevision } from '@tinykube/etcd-client';
import type { KubeObject } from '@tinykube/api';
import type { ObjectFilter } from '../selectors.js';
import { ApiError, badRequest, expired, tooLargeResourceVersion } from '@tinykube/api';
import { CONTINUE_EXPIRED_MESSAGE, decodeContinue, encodeContinue } from './continue.js';
import type { ResourceStore } from './resource-store.js';

export interface ListParams {
  namespace?: string;
  filter: ObjectFilter;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
  /** true when items come from the watch cache (their JSON is memoised there) */
  fromCache: boolean;
}

const ETCD_PAGE_MAX = 1000;
/** How long a read at a resourceVersion the store has not reached waits (kube's watch cache blockTimeout). */
export const FRESHNESS_WAIT_MS = 3_000;

/**
 * Waits (up to `waitMs`) until etcd has reached revision `wanted` and returns its head; a revision etcd has not
 * reached by then is kube's 504 ResourceVersionTooLarge. One head read per try; the cache's events wake it early.
 */
export async function etcdReached(store: ResourceStore, wanted: number, waitMs = FRESHNESS_WAIT_MS): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const head = (await store.etcd.range(store.prefix, { countOnly: true })).header.revision;
    if (head >= wanted) return head;
    const left = deadline - Date.now();
    if (left <= 0) throw tooLargeResourceVersion(wanted, head);
    await store.cache.waitForRev(wanted, Math.min(left, 100));
  }
}

/**
 * resourceVersion N with NotOlderThan semantics: the revision to report once the cache is proven at or past N,
 * undefined when etcd has reached N but the cache lags (the caller reads etcd). The cache only advances on its
 * own prefix's events, so N (often another resource's revision) is checked against etcd's head, and the cache is
 * proven current only once etcd is past N.
 */
export async function freshAt(store: ResourceStore, wanted: number, waitMs = FRESHNESS_WAIT_MS): Promise<number | undefined> {
  const cache = store.cache;
  if (cache.rev >= wanted) return cache.rev;
  await etcdReached(store, wanted, waitMs);
  if (cache.rev >= wanted) return cache.rev;
  const consistent = await cache.consistentRev();
  return consistent !== undefined && consistent >= wanted ? consistent : undefined;
}

export async function listObjects(store: ResourceStore, p: ListParams): Promise<ListResult> {
  if (p.resourceVersionMatch && !['NotOlderThan', 'Exact'].includes(p.resourceVersionMatch)) {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${p.resourceVersionMatch}": supported values: "Exact", "NotOlderThan"`);
  }
  if (p.continueToken) {
    if (p.resourceVersion && p.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    const tok = decodeContinue(p.continueToken);
    return listFromEtcd(store, p, tok.rv, store.prefix + tok.start);
  }
  const rv = p.resourceVersion ?? '';
  if (rv !== '' && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  const limit = p.limit && p.limit > 0 ? p.limit : undefined;
  if (p.resourceVersionMatch === 'Exact') {
    if (rv === '' || rv === '0') throw badRequest('resourceVersionMatch "Exact" requires a non-zero resourceVersion');
    return listFromEtcd(store, p, Number(rv), store.listPrefix(p.namespace));
  }
  if (limit !== undefined && rv === '') return listFromEtcd(store, p, undefined, store.listPrefix(p.namespace));

  const cache = store.cache;
  await cache.whenReady();
  let reportRev: number;
  if (rv === '0') {
    reportRev = cache.rev;
  } else if (rv === '') {
    const consistent = await cache.consistentRev();
    if (consistent === undefined) return listFromEtcd(store, p, undefined, store.listPrefix(p.namespace));
    reportRev = consistent;
  } else {
    const fresh = await freshAt(store, Number(rv));
    if (fresh === undefined) return listFromEtcd(store, p, undefined, store.listPrefix(p.namespace));
    reportRev = fresh;
  }
  const items: KubeObject[] = [];
  for (const e of cache.list(store.listPrefix(p.namespace))) if (p.filter.matches(e.obj)) items.push(e.obj);
  return { items, resourceVersion: String(reportRev), fromCache: true };
}

/** Key-ordered read of etcd at one revision, filling `limit` matching items (or everything). */
async function listFromEtcd(store: ResourceStore, p: ListParams, revision: number | undefined, startKey: string): Promise<ListResult> {
  const rangeEnd = prefixEnd(store.listPrefix(p.namespace));
  const limit = p.limit && p.limit > 0 ? p.limit : undefined;
  const items: KubeObject[] = [];
  let start: string | Buffer = startKey;
  let rev = revision;
  let nextKey: Buffer | undefined;
  let remaining: number | undefined;
  try {
    for (;;) {
      const want = limit === undefined ? ETCD_PAGE_MAX : Math.min(ETCD_PAGE_MAX, Math.max(limit - items.length, 1));
      const r = await store.etcd.range(start, { rangeEnd, limit: want, ...(rev !== undefined ? { revision: rev } : {}) });
      rev ??= r.header.revision;
      let i = 0;
      for (; i < r.kvs.length; i++) {
        const kv = r.kvs[i];
        let obj: KubeObject;
        try { obj = store.codec.decode(kv); } catch { continue; }
        if (p.filter.matches(obj)) items.push(obj);
        if (limit !== undefined && items.length >= limit) { i++; break; }
      }
      const morePages = r.more || i < r.kvs.length;
      if (limit !== undefined && items.length >= limit) {
        if (morePages) {
          nextKey = Buffer.concat([r.kvs[i - 1].key, Buffer.from([0])]);
          if (p.filter.everything) remaining = r.count - i;
        }
        break;
      }
      if (!r.more || r.kvs.length === 0) break;
      start = Buffer.concat([r.kvs[r.kvs.length - 1].key, Buffer.from([0])]);
    }
  } catch (err) {
    if (isCompacted(err)) throw expired(CONTINUE_EXPIRED_MESSAGE);
    if (isFutureRevision(err)) throw tooLargeResourceVersion(rev ?? 0, (await store.etcd.range(store.prefix, { countOnly: true })).header.revision);
    if (err instanceof ApiError) throw err;
    throw err;
  }
  const out: ListResult = { items, resourceVersion: String(rev ?? 0), fromCache: false };
  if (nextKey) {
    out.continue = encodeContinue(rev!, nextKey.toString('utf8').slice(store.prefix.length));
    if (remaining !== undefined && remaining > 0) out.remainingItemCount = remaining;
  }
  return out;
}

function prefixEnd(prefix: string): Buffer {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] < 0xff) { out[i]++; return out.subarray(0, i + 1); }
  }
  return Buffer.from([0]);
}
