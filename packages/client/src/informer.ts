import { pino, type Logger } from 'pino';
import type { BackoffOptions } from './backoff.js';
import { realClock, type Clock } from './clock.js';
import type { IndexFunc } from './indexer.js';
import { listWatch, runReflector, type ListerWatcher, type ListWatchOptions } from './reflector.js';
import type { RestClient } from './rest.js';
import { deepFreeze, Store, type Lister } from './store.js';
import { resourceVersionOf, type ObjectLike, type ResourceRef, type WatchEvent } from './types.js';

/**
 * Event handlers. They run synchronously on the informer's loop: do no work in them beyond enqueueing
 * a key, and never mutate the objects (they are the cache's own, frozen).
 */
export interface EventHandlers<T> {
  onAdd?(obj: T): void;
  /** Also called with obj === old on periodic resync. */
  onUpdate?(obj: T, old: T): void;
  /** `obj` is the last state known (from the DELETED event, or the cache when a relist found it gone). */
  onDelete?(obj: T): void;
}

export interface InformerOptions {
  /** Re-deliver every cached object as an update this often (0 or unset: never). */
  resyncPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Backoff between failed lists / broken watches. */
  backoff?: BackoffOptions;
  /** Freeze cached objects so accidental mutation throws (default true). */
  freeze?: boolean;
}

/**
 * A shared informer: a reflector keeping a local cache of one resource in step with the apiserver,
 * with indexes and event handlers. Objects handed out are read-only.
 */
export class Informer<T extends ObjectLike = ObjectLike> implements Lister<T> {
  private readonly store = new Store<T>();
  private readonly handlers = new Set<EventHandlers<T>>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly freeze: boolean;
  private isSynced = false;
  private running = false;
  private lastRv = '';
  private resolveSynced!: () => void;
  private rejectSynced!: (err: unknown) => void;
  private readonly syncedPromise: Promise<void>;

  constructor(private readonly lw: ListerWatcher<T>, private readonly opts: InformerOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.log = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'informer' });
    this.freeze = opts.freeze ?? true;
    this.syncedPromise = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    this.syncedPromise.catch(() => {}); // a rejection nobody awaited is not an error
  }

  // ---- handlers ----

  /** Registers handlers; if the cache is already synced, existing objects are replayed as adds. Returns an unsubscribe function. */
  addEventHandler(h: EventHandlers<T>): () => void {
    this.handlers.add(h);
    if (this.isSynced && h.onAdd) for (const obj of this.store.list()) this.call(() => h.onAdd!(obj));
    return () => this.handlers.delete(h);
  }
  onAdd(fn: (obj: T) => void): () => void {
    return this.addEventHandler({ onAdd: fn });
  }
  onUpdate(fn: (obj: T, old: T) => void): () => void {
    return this.addEventHandler({ onUpdate: fn });
  }
  onDelete(fn: (obj: T) => void): () => void {
    return this.addEventHandler({ onDelete: fn });
  }
  /** Any add, update or delete: the usual "enqueue the key" hook. */
  onChange(fn: (obj: T) => void): () => void {
    return this.addEventHandler({ onAdd: fn, onUpdate: (obj) => fn(obj), onDelete: fn });
  }

  // ---- cache (Lister) ----

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }
  get(key: string): T | undefined {
    return this.store.get(key);
  }
  getByName(namespace: string, name: string): T | undefined {
    return this.store.getByName(namespace, name);
  }
  list(): T[] {
    return this.store.list();
  }
  keys(): string[] {
    return this.store.keys();
  }
  byIndex(indexName: string, value: string): T[] {
    return this.store.byIndex(indexName, value);
  }

  // ---- lifecycle ----

  /** Resolves once the first list is in the cache and its events were delivered; rejects if stopped first. */
  synced(): Promise<void> {
    return this.syncedPromise;
  }
  hasSynced(): boolean {
    return this.isSynced;
  }
  /** The last resourceVersion seen from a list or an event. */
  lastSyncResourceVersion(): string {
    return this.lastRv;
  }

  /** Runs until `signal` aborts. Failures are retried inside; this only resolves. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('informer is already running');
    this.running = true;
    const stopResync = this.startResync();
    try {
      await runReflector(this.lw, { replace: (items, rv) => this.replace(items, rv), apply: (ev) => this.apply(ev) }, { clock: this.clock, logger: this.log, backoff: this.opts.backoff }, signal);
    } finally {
      stopResync();
      this.running = false;
      if (!this.isSynced) this.rejectSynced(signal.reason ?? new Error('informer stopped before it synced'));
    }
  }

  /** Starts `run` in the background. */
  start(signal: AbortSignal): void {
    this.run(signal).catch((err: unknown) => this.log.error({ err }, 'informer stopped unexpectedly'));
  }

  // ---- reflector sink ----

  /** A (re)list: diff against the cache so handlers see exactly what changed while we were not watching. */
  private replace(items: T[], rv: string): void {
    const seen = new Set<string>();
    const added: T[] = [];
    const updated: [T, T][] = [];
    for (const raw of items) {
      const obj = this.own(raw);
      const key = this.store.keyOf(obj);
      seen.add(key);
      const old = this.store.get(key);
      if (old !== undefined && resourceVersionOf(old) === resourceVersionOf(obj)) continue;
      this.store.upsert(obj);
      if (old === undefined) added.push(obj);
      else updated.push([obj, old]);
    }
    const deleted: T[] = [];
    for (const key of this.store.keys()) if (!seen.has(key)) deleted.push(this.store.deleteKey(key)!);
    this.lastRv = rv;
    for (const obj of added) this.dispatch((h) => h.onAdd?.(obj));
    for (const [obj, old] of updated) this.dispatch((h) => h.onUpdate?.(obj, old));
    for (const obj of deleted) this.dispatch((h) => h.onDelete?.(obj));
    if (!this.isSynced) {
      this.isSynced = true;
      this.resolveSynced();
    }
  }

  private apply(ev: WatchEvent<T>): void {
    if (ev.type === 'BOOKMARK') {
      this.lastRv = resourceVersionOf(ev.object) || this.lastRv;
      return;
    }
    const obj = this.own(ev.object);
    this.lastRv = resourceVersionOf(obj) || this.lastRv;
    if (ev.type === 'DELETED') {
      this.store.delete(obj);
      this.dispatch((h) => h.onDelete?.(obj));
      return;
    }
    const old = this.store.upsert(obj);
    if (old === undefined) this.dispatch((h) => h.onAdd?.(obj));
    else this.dispatch((h) => h.onUpdate?.(obj, old));
  }

  private own(obj: T): T {
    return this.freeze ? deepFreeze(obj) : obj;
  }

  private dispatch(fn: (h: EventHandlers<T>) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  /** A throwing handler must not stop the informer or the other handlers. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, 'event handler threw');
    }
  }

  private startResync(): () => void {
    const period = this.opts.resyncPeriodMs ?? 0;
    if (period <= 0) return () => {};
    let cancel = (): void => {};
    const tick = (): void => {
      if (this.isSynced) for (const obj of this.store.list()) this.dispatch((h) => h.onUpdate?.(obj, obj));
      cancel = this.clock.setTimer(tick, period);
    };
    cancel = this.clock.setTimer(tick, period);
    return () => cancel();
  }
}

/** An informer for one resource over a REST client. */
export function informerFor<T extends ObjectLike = ObjectLike>(client: RestClient, res: ResourceRef, o: InformerOptions & ListWatchOptions = {}): Informer<T> {
  return new Informer<T>(listWatch<T>(client, res, o), o);
}
