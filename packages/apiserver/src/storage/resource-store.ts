/**
 * The generic store of one resource (Kubernetes' registry/generic Store): create, get, the guaranteed-update
 * loop (read → mutate → validate → compare-and-swap on mod_revision, retried on conflict), and deletion with
 * preconditions, graceful periods, finalizers and propagation policies. Resource-specific behaviour comes in
 * through a Strategy. Reads of single objects go to etcd (consistent); lists and watches use the WatchCache.
 */
import { randomUUID } from 'node:crypto';
import type { EtcdClient, KeyValue } from '@tinykube/etcd-client';
import { applyDefaults, generateNameFrom, validateObject, type KubeObject, type ResourceInfo } from '@tinykube/api';
import type { Logger } from 'pino';
import { alreadyExists, conflict, invalid, notFound, type GroupResource, type StatusCause } from '@tinykube/api';
import { deepEqual } from '@tinykube/api';
import { formatTime } from '../util.js';
import { WatchCache } from '../watchcache.js';
import { cloneObject, jsonCodec, type KeySpace, type ObjectCodec } from './codec.js';
import { NO_RESERVATION, type Reservation, type Strategy, type WriteContext } from './strategy.js';
import type { Admit } from '../admission/types.js';

export interface StoreDeps {
  etcd: EtcdClient;
  keys: KeySpace;
  log: Logger;
  clock: () => Date;
  /** Throws 404 when the namespace does not exist, 403 when it is terminating. */
  checkNamespaceForCreate(namespace: string, gr: GroupResource, name: string): Promise<void>;
  watchCacheCapacity?: number;
  bookmarkIntervalMs?: number;
  /** How objects become stored values (JSON by default; encryption at rest plugs in here). */
  codec?: ObjectCodec;
  /** The admission chain, run on every write a request makes (after defaulting, before validation). */
  admit?: Admit;
  /** The key segment after the prefix: the plural for built-in kinds, `<group>/<plural>` for custom ones. */
  keyName?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

export interface UpdateOptions {
  dryRun: boolean;
  /**
   * 'status' applies status-subresource semantics; 'internal' is the server's own write (pods/binding,
   * namespaces/finalize): the candidate is stored as given, without validation; anything else is a
   * main-resource update.
   */
  subresource?: string;
  /** Records the write in metadata.managedFields (after defaulting); `cur` is undefined on create. */
  manageFields?: ManageFields;
}

export type ManageFields = (next: KubeObject, cur: KubeObject | undefined) => void;

/** Metadata fields only the server sets; restored from the stored object on every update. */
const SYSTEM_META = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const;

const MAX_ATTEMPTS = 32;
const GENERATE_NAME_ATTEMPTS = 8;

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export class ResourceStore {
  readonly gr: GroupResource;
  readonly cache: WatchCache;
  readonly prefix: string;
  /** Every read and write of this resource's stored values goes through it. */
  readonly codec: ObjectCodec;
  private readonly keyName: string;

  constructor(readonly info: ResourceInfo, private readonly deps: StoreDeps, readonly strategy: Strategy = {}) {
    this.gr = { group: info.group, resource: info.plural };
    this.keyName = deps.keyName ?? info.plural;
    this.prefix = deps.keys.resourcePrefix(this.keyName);
    this.codec = deps.codec ?? jsonCodec;
    this.cache = new WatchCache({
      etcd: deps.etcd, prefix: this.prefix, resource: info.plural, log: deps.log,
      capacity: deps.watchCacheCapacity, bookmarkIntervalMs: deps.bookmarkIntervalMs,
      decode: deps.codec ? (kv) => this.codec.decode(kv) : undefined,
    });
  }

  get etcd(): EtcdClient { return this.deps.etcd; }

  key(namespace: string | undefined, name: string): string {
    return this.deps.keys.objectKey(this.keyName, this.info.namespaced ? namespace : undefined, name);
  }

  /** Key prefix of the objects of one namespace (or of all, for cluster-scoped resources or ns undefined). */
  listPrefix(namespace: string | undefined): string {
    return this.info.namespaced && namespace !== undefined ? this.deps.keys.namespacePrefix(this.keyName, namespace) : this.prefix;
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.deps.etcd.get(this.key(namespace, name));
    if (!kv) throw notFound(this.gr, name);
    return this.codec.decode(kv);
  }

  async getOrUndefined(namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const kv = await this.deps.etcd.get(this.key(namespace, name));
    return kv ? this.codec.decode(kv) : undefined;
  }

  private ctx(dryRun: boolean): WriteContext {
    return { dryRun, now: this.deps.clock() };
  }

  /** Validates and returns the parsed object — what is stored: nulls dropped, quantities as strings, as Kubernetes would. */
  private validate(obj: KubeObject, old?: KubeObject): KubeObject {
    const res = validateObject(this.info, obj, old);
    if (!res.ok) {
      const causes: StatusCause[] = res.causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field }));
      throw invalid(this.info.kind, this.info.group, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
    }
    return res.value;
  }

  /** Creates `obj` (freshly decoded from a request; this method owns and mutates it). */
  async create(namespace: string | undefined, obj: KubeObject, opts: { dryRun: boolean; manageFields?: ManageFields }): Promise<KubeObject> {
    const ctx = this.ctx(opts.dryRun);
    obj.apiVersion = this.info.apiVersion;
    obj.kind = this.info.kind;
    const meta = obj.metadata;
    if (this.info.namespaced) meta.namespace = namespace; else delete meta.namespace;
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTime(ctx.now);
    delete meta.resourceVersion; delete meta.deletionTimestamp; delete meta.deletionGracePeriodSeconds; delete meta.selfLink;
    if ('spec' in obj) meta.generation = 1; else delete meta.generation;
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = generateNameFrom(meta.generateName!);
    this.strategy.prepareForCreate?.(obj, ctx);
    applyDefaults(this.info, obj);
    opts.manageFields?.(obj, undefined);
    if (this.info.namespaced && namespace !== undefined) await this.deps.checkNamespaceForCreate(namespace, this.gr, meta.name ?? '');
    await this.deps.admit?.({ operation: 'CREATE', info: this.info, namespace: namespace ?? '', name: meta.name ?? '', subresource: '', object: obj, dryRun: opts.dryRun });
    const reservation = this.strategy.reserveForCreate ? await this.strategy.reserveForCreate(obj, ctx) : NO_RESERVATION;
    try {
      const stored = this.validate(obj);
      if (opts.dryRun) {
        await reservation.rollback();
        return stored;
      }
      const lease = await this.strategy.leaseFor?.(stored);
      for (let attempt = 0; ; attempt++) {
        const key = this.key(namespace, stored.metadata.name!);
        const res = await this.deps.etcd.create(key, this.codec.encode(stored, key), lease ? { lease } : undefined);
        if (res.ok) {
          await reservation.commit();
          stored.metadata.resourceVersion = String(res.revision);
          return stored;
        }
        if (!generated || attempt >= GENERATE_NAME_ATTEMPTS) throw alreadyExists(this.gr, stored.metadata.name!);
        stored.metadata.name = generateNameFrom(stored.metadata.generateName!);
      }
    } catch (err) {
      await reservation.rollback();
      throw err;
    }
  }

  /**
   * Turns a client's candidate into the object to store, given the current one: server-owned metadata is
   * kept, status or spec is taken from the right side for the status subresource, generation follows spec.
   */
  private prepareUpdate(candidate: KubeObject, cur: KubeObject, subresource: string | undefined): KubeObject {
    let next: KubeObject;
    if (subresource === 'internal') {
      next = candidate;
    } else if (subresource === 'status' || subresource === 'approval') {
      // only status (and metadata other than system fields) may change through /status (and CSRs' /approval,
      // whose strategy narrows it to the approval conditions)
      next = { ...cloneObject(cur), metadata: candidate.metadata ?? {} };
      if (candidate.status === undefined) delete next.status; else next.status = candidate.status;
    } else {
      next = candidate;
      if (this.info.hasStatus) {
        if (cur.status === undefined) delete next.status; else next.status = cloneObject(cur.status);
      }
    }
    if (subresource !== 'internal') this.strategy.prepareForUpdate?.(next, cur, subresource ?? '');
    next.apiVersion = this.info.apiVersion;
    next.kind = this.info.kind;
    const meta = (next.metadata ??= {});
    meta.name = cur.metadata.name;
    if (this.info.namespaced) meta.namespace = cur.metadata.namespace;
    for (const f of SYSTEM_META) {
      const v = cur.metadata[f];
      if (v === undefined) delete meta[f]; else (meta as Record<string, unknown>)[f] = v;
    }
    meta.resourceVersion = cur.metadata.resourceVersion;
    delete meta.selfLink;
    if (subresource === 'internal') return next;
    if ('spec' in next && !deepEqual(next.spec, cur.spec)) meta.generation = (cur.metadata.generation ?? 0) + 1;
    applyDefaults(this.info, next);
    return next;
  }

  /**
   * The guaranteed-update loop. `tryUpdate` gets a private copy of the current object and returns the
   * candidate (it may throw, e.g. a 409 when a resourceVersion precondition does not hold).
   */
  async update(namespace: string | undefined, name: string, tryUpdate: (cur: KubeObject) => KubeObject | Promise<KubeObject>,
    opts: UpdateOptions): Promise<KubeObject> {
    const key = this.key(namespace, name);
    let kv = await this.deps.etcd.get(key);
    for (let attempt = 0; ; attempt++) {
      if (!kv) throw notFound(this.gr, name);
      if (attempt >= MAX_ATTEMPTS) throw conflict(this.gr, name);
      // a stale stored form (older encryption provider or key) is re-written even when nothing changed, as kube does
      let cur: KubeObject;
      let stale = false;
      if (this.codec.decodeState) ({ obj: cur, stale } = this.codec.decodeState(kv)); else cur = this.codec.decode(kv);
      const candidate = await tryUpdate(cloneObject(cur));
      let next = this.prepareUpdate(candidate, cur, opts.subresource);
      opts.manageFields?.(next, cur);
      if (opts.subresource !== 'internal') {
        await this.deps.admit?.({ operation: 'UPDATE', info: this.info, namespace: namespace ?? '', name, subresource: opts.subresource ?? '', object: next, oldObject: cur, dryRun: opts.dryRun });
      }
      const ctx = this.ctx(opts.dryRun);
      const reservation = this.strategy.reserveForUpdate ? await this.strategy.reserveForUpdate(next, cur, ctx) : NO_RESERVATION;
      let outcome: { ok: true; revision: number } | { ok: false; current?: KeyValue };
      const finished = shouldDeleteDuringUpdate(next) && (this.strategy.canFinishDeletion?.(next) ?? true);
      try {
        if (opts.subresource !== "internal") next = this.validate(next, cur);
        const unchanged = deepEqual(next, cur);
        if ((unchanged && !stale) || opts.dryRun) {
          // nothing changed (no write, same resourceVersion), or a dry run
          await reservation.rollback();
          return unchanged ? cur : next;
        }
        if (finished) {
          outcome = await this.deps.etcd.deleteIf(key, kv.modRevision);
        } else {
          const lease = kv.lease !== '0' ? kv.lease : undefined;
          outcome = await this.deps.etcd.update(key, this.codec.encode(next, key), kv.modRevision, lease ? { lease } : undefined);
        }
      } catch (err) {
        await reservation.rollback();
        throw err;
      }
      if (outcome.ok) {
        await reservation.commit();
        next.metadata.resourceVersion = String(outcome.revision);
        if (finished) await this.strategy.afterDelete?.(next);
        return next;
      }
      await reservation.rollback();
      kv = outcome.current;
    }
  }

  /** Deletes, or marks for deletion; `deleted` tells whether the object is gone from the store. */
  async delete(namespace: string | undefined, name: string, opts: DeleteOptions): Promise<{ obj: KubeObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    let kv = await this.deps.etcd.get(key);
    for (let attempt = 0; ; attempt++) {
      if (!kv) throw notFound(this.gr, name);
      if (attempt >= MAX_ATTEMPTS) throw conflict(this.gr, name);
      const cur = this.codec.decode(kv);
      checkPreconditions(this.gr, name, cur, opts.preconditions);
      if (attempt === 0) await this.deps.admit?.({ operation: 'DELETE', info: this.info, namespace: namespace ?? '', name, subresource: '', oldObject: cur, dryRun: opts.dryRun });
      const now = this.deps.clock();
      const next = cloneObject(cur);
      const meta = next.metadata;
      let changed = false;

      const finalizers = finalizersForPolicy(meta.finalizers ?? [], opts);
      if (finalizers) { meta.finalizers = finalizers; changed = true; }
      if (meta.finalizers && meta.finalizers.length === 0) delete meta.finalizers;

      const grace = this.strategy.gracePeriodSeconds?.(cur, opts.gracePeriodSeconds) ?? 0;
      const pendingGraceful = grace > 0;
      if (pendingGraceful) {
        const until = new Date(now.getTime() + grace * 1000);
        const existing = meta.deletionTimestamp ? Date.parse(meta.deletionTimestamp) : undefined;
        // a later delete may shorten the grace period, never extend it
        if (existing === undefined || until.getTime() < existing) {
          meta.deletionTimestamp = formatTime(until);
          meta.deletionGracePeriodSeconds = grace;
          changed = true;
        }
      } else if (meta.deletionTimestamp && meta.deletionGracePeriodSeconds !== 0) {
        meta.deletionGracePeriodSeconds = 0;
        changed = true;
      }
      const pendingFinalizers = (meta.finalizers?.length ?? 0) > 0;
      if (pendingFinalizers && !meta.deletionTimestamp) {
        meta.deletionTimestamp = formatTime(now);
        meta.deletionGracePeriodSeconds = 0;
        changed = true;
      }
      if (pendingGraceful || pendingFinalizers) {
        if (!changed || opts.dryRun) return { obj: changed ? next : cur, deleted: false };
        if (meta.deletionTimestamp && !cur.metadata.deletionTimestamp && 'spec' in next) meta.generation = (meta.generation ?? 0) + 1;
        const lease = kv.lease !== '0' ? kv.lease : undefined;
        const res = await this.deps.etcd.update(key, this.codec.encode(next, key), kv.modRevision, lease ? { lease } : undefined);
        if (res.ok) { meta.resourceVersion = String(res.revision); return { obj: next, deleted: false }; }
        kv = res.current;
        continue;
      }
      if (opts.dryRun) return { obj: cur, deleted: true };
      const res = await this.deps.etcd.deleteIf(key, kv.modRevision);
      if (res.ok) {
        await this.strategy.afterDelete?.(cur);
        return { obj: cur, deleted: true };
      }
      kv = res.current;
    }
  }
}

/** An object whose deletion was requested and whose last finalizer just went: remove it (Kubernetes' rule). */
function shouldDeleteDuringUpdate(obj: KubeObject): boolean {
  const m = obj.metadata;
  return !!m.deletionTimestamp && (m.finalizers?.length ?? 0) === 0 && (m.deletionGracePeriodSeconds ?? 0) === 0;
}

function checkPreconditions(gr: GroupResource, name: string, cur: KubeObject, pre: DeleteOptions['preconditions']): void {
  if (pre?.uid && pre.uid !== cur.metadata.uid) {
    throw conflict(gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid ?? ''}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
    throw conflict(gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${cur.metadata.resourceVersion ?? ''}`);
  }
}

/**
 * The garbage collector's finalizers as Kubernetes sets them on delete: Orphan adds `orphan`, Foreground adds
 * `foregroundDeletion`, an explicit Background removes both; no policy keeps what is there.
 * Returns the new list, or undefined when nothing changes.
 */
export function finalizersForPolicy(current: string[], opts: Pick<DeleteOptions, 'propagationPolicy' | 'orphanDependents'>): string[] | undefined {
  let orphan = current.includes(FINALIZER_ORPHAN);
  let foreground = current.includes(FINALIZER_FOREGROUND);
  if (opts.propagationPolicy) {
    orphan = opts.propagationPolicy === 'Orphan';
    foreground = opts.propagationPolicy === 'Foreground';
  } else if (opts.orphanDependents !== undefined) {
    orphan = opts.orphanDependents;
    if (orphan) foreground = false;
  }
  const next = current.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (orphan) next.push(FINALIZER_ORPHAN);
  if (foreground) next.push(FINALIZER_FOREGROUND);
  const same = next.length === current.length && next.every((f) => current.includes(f));
  return same ? undefined : next;
}
