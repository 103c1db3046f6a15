/**
 * One watch cache per resource: ONE etcd watch on the resource's key prefix feeds an in-memory map of the
 * current objects and a ring buffer of recent events. Lists at resourceVersion "0" (and consistent lists once
 * the cache is proven current), every watch and every bookmark are served from here, so a thousand watchers
 * cost one etcd watch. Delivery to watchers is synchronous and never waits on a slow one: a sink decides
 * itself to drop its stream when its socket backs up (see watch.ts).
 *
 * Cached objects are shared and never mutated; callers that want to change one must clone it.
 */
import type { EtcdClient, KeyValue, WatchBatch } from '@tinykube/etcd-client';
import { isCompacted } from '@tinykube/etcd-client';
import type { KubeObject } from '@tinykube/api';
import type { Logger } from 'pino';
import { decodeObject, type KeyValueLike } from './storage/codec.js';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEntry {
  readonly key: string;
  readonly obj: KubeObject;
  readonly rev: number;
}

export interface CacheEvent {
  readonly type: CacheEventType;
  readonly key: string;
  readonly rev: number;
  /** The new object (for DELETED: the last state, with resourceVersion = the deletion revision). */
  readonly obj: KubeObject;
  /** The object before this event (undefined for ADDED). Used for selector transitions. */
  readonly prev?: KubeObject;
}

/** Something that receives events in revision order. Returns nothing; it must never throw or block. */
export interface WatchSink {
  deliver(ev: CacheEvent): void;
  bookmark(rev: number): void;
  /** The cache had to re-list (e.g. its etcd watch was compacted away): the stream must end. */
  terminate(reason: string): void;
}

export interface WatchCacheOptions {
  etcd: EtcdClient;
  /** The resource's key prefix, e.g. '/registry/pods/'. */
  prefix: string;
  /** Kind name for logs. */
  resource: string;
  log: Logger;
  /** How many recent events are kept for watches that start at an older resourceVersion. */
  capacity?: number;
  bookmarkIntervalMs?: number;
  pageSize?: number;
  /** Stored value → object (storage/codec.ts decodeObject by default; the resource's codec under encryption). */
  decode?: (kv: KeyValueLike) => KubeObject;
}

/** A stored object with its JSON string memoised: lists and watch lines reuse it. */
const jsonMemo = new WeakMap<object, string>();
export function objectJson(obj: KubeObject): string {
  let s = jsonMemo.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    jsonMemo.set(obj, s);
  }
  return s;
}

export class WatchCache {
  private readonly items = new Map<string, CacheEntry>();
  private sortedKeys: string[] | null = null;
  private readonly ring: (CacheEvent | undefined)[];
  private ringStart = 0;      // index of the oldest event
  private ringLen = 0;
  /** Events with rev > startRev are all in the ring. */
  private startRev = 0;
  private currentRev = 0;
  private readonly sinks = new Set<WatchSink>();
  private readonly waiters = new Set<{ rev: number; resolve: (ok: boolean) => void; timer: NodeJS.Timeout }>();
  private abort = new AbortController();
  private bookmarkTimer?: NodeJS.Timeout;
  private isReady = false;
  private stopped = false;
  private readyPromise: Promise<void>;
  private resolveReady!: () => void;
  private readonly decodeValue: (kv: KeyValueLike) => KubeObject;

  constructor(private readonly opts: WatchCacheOptions) {
    this.decodeValue = opts.decode ?? decodeObject;
    this.ring = new Array(opts.capacity ?? 4096);
    this.readyPromise = new Promise((r) => { this.resolveReady = r; });
  }

  get ready(): boolean { return this.isReady; }
  /** The revision the cache reflects (every event up to it has been applied). */
  get rev(): number { return this.currentRev; }
  get size(): number { return this.items.size; }
  get watcherCount(): number { return this.sinks.size; }
  /** The oldest resourceVersion a watch may start from. */
  get oldestRev(): number { return this.startRev; }
  whenReady(): Promise<void> { return this.readyPromise; }

  /** Starts the list+watch loop in the background; resolves once the first list is applied. */
  async start(): Promise<void> {
    void this.run();
    const interval = this.opts.bookmarkIntervalMs ?? 30_000;
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), interval);
    this.bookmarkTimer.unref();
    await this.readyPromise;
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    for (const w of this.waiters) { clearTimeout(w.timer); w.resolve(false); }
    this.waiters.clear();
    for (const s of [...this.sinks]) s.terminate('apiserver shutting down');
    this.sinks.clear();
  }

  get(key: string): CacheEntry | undefined {
    return this.items.get(key);
  }

  /** Current objects in key order, optionally only those under a key prefix (a namespace). */
  list(keyPrefix?: string): CacheEntry[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.items.keys()].sort();
    const out: CacheEntry[] = [];
    if (keyPrefix === undefined) {
      for (const k of this.sortedKeys) out.push(this.items.get(k)!);
      return out;
    }
    // binary search to the first key ≥ prefix, then walk while keys share it
    let lo = 0; let hi = this.sortedKeys.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (this.sortedKeys[mid] < keyPrefix) lo = mid + 1; else hi = mid; }
    for (let i = lo; i < this.sortedKeys.length && this.sortedKeys[i].startsWith(keyPrefix); i++) out.push(this.items.get(this.sortedKeys[i])!);
    return out;
  }

  /** Resolves true once the cache has applied everything up to `rev`, false after `timeoutMs`. */
  waitForRev(rev: number, timeoutMs: number): Promise<boolean> {
    if (this.currentRev >= rev) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const w = { rev, resolve, timer: setTimeout(() => { this.waiters.delete(w); resolve(false); }, timeoutMs) };
      this.waiters.add(w);
    });
  }

  /**
   * Proves the cache current for a consistent read (etcd 3.4 has no progress requests, and the watch only
   * advances on this prefix's own events). At one etcd revision R read the prefix's key count and greatest
   * mod_revision. Events arrive in revision order, so a cache that applied revision ≥ R is at least as new
   * as R. Otherwise, if it applied that greatest mod_revision and holds as many keys, no put (it would raise
   * the max) and no delete (it would lower the count) happened since, so it equals the store at R.
   * Returns the revision to report, or undefined when the cache is behind (the caller reads etcd).
   */
  async consistentRev(): Promise<number | undefined> {
    // fast path: reading one (absent) key costs etcd nothing and tells its current revision
    const head = await this.opts.etcd.range(this.opts.prefix, { countOnly: true });
    if (this.isReady && this.currentRev >= head.header.revision) return this.currentRev;
    const r = await this.opts.etcd.range(this.opts.prefix, { prefix: true, keysOnly: true, limit: 1, sortOrder: 'DESCEND', sortTarget: 'MOD' });
    const maxMod = r.kvs[0]?.modRevision ?? 0;
    const check = (): number | undefined => {
      if (!this.isReady) return undefined;
      if (this.currentRev >= r.header.revision) return this.currentRev;
      if (this.currentRev >= maxMod && this.items.size === r.count) return r.header.revision;
      return undefined;
    };
    const first = check();
    if (first !== undefined) return first;
    if (!(await this.waitForRev(maxMod, 1_000))) return undefined;
    return check();
  }

  /**
   * Registers a sink and replays every retained event after `fromRev` to it, synchronously (no gap between
   * replay and live delivery). Returns false — and registers nothing — when `fromRev` is older than the ring.
   */
  subscribe(sink: WatchSink, fromRev: number): boolean {
    if (fromRev < this.startRev) return false;
    for (let i = 0; i < this.ringLen; i++) {
      const ev = this.ring[(this.ringStart + i) % this.ring.length]!;
      if (ev.rev > fromRev) sink.deliver(ev);
    }
    this.sinks.add(sink);
    return true;
  }

  unsubscribe(sink: WatchSink): void {
    this.sinks.delete(sink);
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        const rev = await this.relist();
        backoff = 100;
        for await (const batch of this.opts.etcd.watch(this.opts.prefix, { prefix: true, startRevision: rev + 1, signal: this.abort.signal, progressNotify: true })) {
          this.applyBatch(batch);
        }
        if (this.stopped) return;
      } catch (err) {
        if (this.stopped) return;
        this.opts.log.warn({ err, resource: this.opts.resource, compacted: isCompacted(err) }, 'watch cache lost its etcd watch; re-listing');
      }
      // A re-list starts a new history: watchers can no longer be served gap-free, so end their streams
      // (clients re-watch, and get 410 if their resourceVersion is older than the new start).
      for (const s of [...this.sinks]) s.terminate('watch cache re-listed');
      this.sinks.clear();
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 5_000);
    }
  }

  /** Reads the whole prefix at one revision, in pages, and replaces the cache contents. */
  private async relist(): Promise<number> {
    const pageSize = this.opts.pageSize ?? 500;
    const fresh = new Map<string, CacheEntry>();
    let start: string | Buffer = this.opts.prefix;
    let revision: number | undefined;
    const end = prefixEndOf(this.opts.prefix);
    for (;;) {
      const r = await this.opts.etcd.range(start, { rangeEnd: end, limit: pageSize, ...(revision ? { revision } : {}) });
      revision ??= r.header.revision;
      for (const kv of r.kvs) {
        const e = this.decode(kv);
        if (e) fresh.set(e.key, e);
      }
      if (!r.more || r.kvs.length === 0) break;
      start = Buffer.concat([r.kvs[r.kvs.length - 1].key, Buffer.from([0])]);
    }
    this.items.clear();
    for (const [k, v] of fresh) this.items.set(k, v);
    this.sortedKeys = null;
    this.ringStart = 0; this.ringLen = 0; this.ring.fill(undefined);
    this.startRev = revision;
    this.currentRev = revision;
    this.isReady = true;
    this.resolveReady();
    this.wake();
    this.opts.log.debug({ resource: this.opts.resource, revision, count: fresh.size }, 'watch cache listed');
    return revision;
  }

  private decode(kv: KeyValue): CacheEntry | undefined {
    try {
      return { key: kv.key.toString('utf8'), obj: this.decodeValue(kv), rev: kv.modRevision };
    } catch (err) {
      this.opts.log.warn({ err, key: kv.key.toString('utf8') }, 'skipping undecodable stored object');
      return undefined;
    }
  }

  private applyBatch(batch: WatchBatch): void {
    if (batch.progress) {
      if (batch.header.revision > this.currentRev) this.currentRev = batch.header.revision;
      this.wake();
      return;
    }
    for (const e of batch.events) {
      const key = e.kv.key.toString('utf8');
      const rev = e.kv.modRevision;
      const prev = this.items.get(key);
      let ev: CacheEvent | undefined;
      if (e.type === 'DELETE') {
        if (!prev) { this.advance(rev); continue; }
        this.items.delete(key);
        this.sortedKeys = null;
        // The DELETED event carries the last state, stamped with the deletion's revision (as Kubernetes does).
        const obj = { ...prev.obj, metadata: { ...prev.obj.metadata, resourceVersion: String(rev) } };
        ev = { type: 'DELETED', key, rev, obj, prev: prev.obj };
      } else {
        const entry = this.decode(e.kv);
        if (!entry) { this.advance(rev); continue; }
        this.items.set(key, entry);
        if (!prev) this.sortedKeys = null;
        ev = prev ? { type: 'MODIFIED', key, rev, obj: entry.obj, prev: prev.obj } : { type: 'ADDED', key, rev, obj: entry.obj };
      }
      this.push(ev);
      this.advance(rev);
      for (const s of this.sinks) s.deliver(ev);
    }
    this.wake();
  }

  private advance(rev: number): void {
    if (rev > this.currentRev) this.currentRev = rev;
  }

  private push(ev: CacheEvent): void {
    const cap = this.ring.length;
    if (this.ringLen === cap) {
      const evicted = this.ring[this.ringStart]!;
      this.startRev = evicted.rev;
      this.ring[this.ringStart] = ev;
      this.ringStart = (this.ringStart + 1) % cap;
    } else {
      this.ring[(this.ringStart + this.ringLen) % cap] = ev;
      this.ringLen++;
    }
  }

  private wake(): void {
    for (const w of this.waiters) {
      if (this.currentRev >= w.rev) { clearTimeout(w.timer); this.waiters.delete(w); w.resolve(true); }
    }
  }

  private sendBookmarks(): void {
    if (!this.isReady) return;
    for (const s of this.sinks) s.bookmark(this.currentRev);
  }
}

function prefixEndOf(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  const out = Buffer.from(b);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] < 0xff) { out[i]++; return out.subarray(0, i + 1); }
  }
  return Buffer.from([0]);
}
