/**
 * The store: MVCC index + leases + WAL + watchers, with etcd's request semantics.
 *
 * Durability and visibility: a write is applied to the in-memory index at once (so the next
 * write is evaluated after it, in revision order) and its WAL record is appended; the caller is
 * answered only after the record is fdatasync'd. Readers never see writes that are not durable
 * yet: plain reads run at `durableRev` (the MVCC index can read any retained revision), and
 * watchers are fed revisions as they become durable.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { AutoCompactor, type AutoCompactionConfig } from './compaction.js';
import type {
  CompactionRequest, DeleteRangeRequest, LeaseGrantRequest, PutRequest, RangeRequest, TxnRequest,
} from './codec.js';
import { HeaderCodec } from './encode.js';
import { etcdError, EtcdServerError } from './errors.js';
import { Lessor, systemClock, type Clock, type Lease } from './lease.js';
import { keyStr, Mvcc, type Change, type KeyValue, type WriteTxn } from './mvcc.js';
import { decodeWalRecord, encodeWalRecord, type WalEntry, type WalOp, type WalRecord } from './records.js';
import { loadSnapshot, serializeSnapshot, startMember, writeSnapshot } from './snapshot.js';
import {
  applyTxn, checkDelete, checkIntervals, checkPut, checkRange, checkTxn, checkTxnOps, doDelete, doPut, doRange,
  isTxnReadOnly, MAX_TXN_OPS, txnPath, type DeleteResponse, type KvView, type PutResponse, type RangeResponse,
  type TxnResponse,
} from './txn.js';
import { readWal, WalCorruptError, WalWriter, type WalSyncMode } from './wal.js';
import { WatchHub, type Watcher, type WatchSink, type WatchSpec } from './watch.js';
import { StoreMetrics } from './metrics.js';

export const STORE_VERSION = '3.4.23';

export interface StoreOptions {
  dataDir: string;
  logger?: Logger;
  clock?: Clock;
  /** WAL records between snapshots (etcd's --snapshot-count). */
  snapshotCount?: number;
  /** etcd's --max-request-bytes: larger write requests fail with "request is too large". */
  maxRequestBytes?: number;
  autoCompaction?: AutoCompactionConfig;
  /** Overrides how often auto compaction checks (tests). */
  autoCompactionIntervalMs?: number;
  /** Progress notification period for progress_notify watchers (etcd: 10 minutes). */
  watchProgressIntervalMs?: number;
  /** How often expired leases are looked for; 0 disables the timer (tests call expireLeases()). */
  leaseCheckIntervalMs?: number;
  maxTxnOps?: number;
  /** How the WAL syncs (see WalSyncMode); default 'sync'. */
  walSyncMode?: WalSyncMode;
  /** Preallocated WAL segment size (default 16 MiB; tests use less). */
  walSegmentBytes?: number;
}

export interface LeaseTimeToLive { id: bigint; ttl: number; grantedTtl: number; keys: Buffer[] }
export interface StatusInfo { rev: number; dbSize: number; leader: string; raftIndex: number; raftTerm: string; version: string }

export class Store {
  readonly mvcc = new Mvcc();
  readonly lessor: Lessor;
  readonly header: HeaderCodec;
  readonly hub: WatchHub;
  readonly metrics = new StoreMetrics();
  durableRev = 1;
  /** Raft-index stand-in: one per WAL record ever applied. */
  index = 0;
  private wal!: WalWriter;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly waiters: { rev: number; resolve: () => void }[] = [];
  private snapshotting: Promise<void> | undefined;
  private lastSnapshotAt = 0;
  private snapshotBytes = 0;
  private walBytes = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private pendingCompact = -1;
  private closed = false;
  readonly readView: KvView;

  private constructor(
    private readonly opts: StoreOptions,
    readonly meta: { clusterId: string; memberId: string; term: number },
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- getters below need the instance
    const store = this;
    this.log = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'store' });
    this.clock = opts.clock ?? systemClock;
    this.lessor = new Lessor(this.clock, Number(BigInt(meta.memberId) & 0xffffn));
    this.header = new HeaderCodec({ clusterId: meta.clusterId, memberId: meta.memberId, raftTerm: String(meta.term) });
    this.hub = new WatchHub(
      {
        get durableRev() { return store.durableRev; },
        get compactRev() { return store.mvcc.compactRev; },
        eventsAt: (rev) => this.mvcc.eventsAt(rev),
        prevKv: (kv) => this.prevKv(kv),
      },
      this.header,
      { progressIntervalMs: opts.watchProgressIntervalMs },
    );
    this.readView = {
      get viewRev() { return store.durableRev; },
      range: (key, end, o) => this.mvcc.range(key, end, o, this.durableRev),
    };
  }

  /** Opens (or creates) the data directory: snapshot, WAL replay, then ready for requests. */
  static async open(opts: StoreOptions): Promise<Store> {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const store = new Store(opts, startMember(opts.dataDir));
    store.recover();
    store.startTimers();
    return store;
  }

  private get walDir(): string {
    return path.join(this.opts.dataDir, 'wal');
  }

  private get snapDir(): string {
    return path.join(this.opts.dataDir, 'snap');
  }

  private recover(): void {
    const snap = loadSnapshot(this.snapDir);
    if (snap) {
      this.mvcc.restore({ currentRev: snap.rev, compactRev: snap.compactRev, histories: snap.histories });
      for (const l of snap.leases) this.lessor.grant(l.id, l.ttl);
      for (const revs of snap.histories) {
        const kv = revs[revs.length - 1];
        if (!kv.tombstone && kv.lease !== 0n) this.lessor.attach(kv.lease, keyStr(kv.key));
      }
      this.index = snap.index;
    }
    const wal = readWal(this.walDir);
    if (wal.truncated) this.log.warn({ ...wal.truncated }, 'cut off a torn record at the end of the write-ahead log');
    let replayed = 0;
    for (const payload of wal.records) {
      const rec = decodeWalRecord(payload);
      if (rec.i <= this.index) continue; // already in the snapshot
      if (rec.i !== this.index + 1) {
        throw new WalCorruptError(`write-ahead log jumps from record ${this.index} to ${rec.i}; refusing to start`);
      }
      this.replay(rec);
      replayed++;
    }
    this.wal = WalWriter.open(this.walDir, wal.tail, {
      segmentBytes: this.opts.walSegmentBytes, mode: this.opts.walSyncMode, onSync: (s, b) => this.metrics.walSynced(s, b),
    });
    this.durableRev = this.mvcc.currentRev;
    this.lessor.resetExpiries();
    this.log.info(
      { rev: this.durableRev, compactRev: this.mvcc.compactRev, keys: this.mvcc.keyCount, leases: this.lessor.list().length, replayed },
      'store recovered',
    );
  }

  private replay(rec: WalRecord): void {
    this.index = rec.i;
    switch (rec.t) {
      case 'w':
      case 'v': {
        if (rec.t === 'v') this.lessor.remove(BigInt(rec.id));
        if (rec.r === undefined || !rec.ops) return;
        const txn = this.mvcc.write();
        if (txn.rev !== rec.r) throw new WalCorruptError(`write-ahead log skips from revision ${txn.rev - 1} to ${rec.r}`);
        for (const op of rec.ops) {
          const key = Buffer.from(op[0], 'base64');
          if (op.length === 3) txn.put(key, Buffer.from(op[1], 'base64'), BigInt(op[2]));
          else txn.deleteRange(key, undefined);
        }
        txn.end();
        this.trackLeases(txn.changes);
        return;
      }
      case 'g':
        this.lessor.grant(BigInt(rec.id), rec.ttl);
        return;
      case 'c':
        if (rec.r > this.mvcc.compactRev) this.mvcc.compact(rec.r);
        return;
    }
  }

  private startTimers(): void {
    const leaseMs = this.opts.leaseCheckIntervalMs ?? 500;
    if (leaseMs > 0) this.timers.push(setInterval(() => void this.expireLeases(), leaseMs));
    const auto = this.opts.autoCompaction;
    if (auto) {
      const ac = new AutoCompactor(auto, this.clock);
      const every = this.opts.autoCompactionIntervalMs ?? ac.intervalMs;
      this.timers.push(
        setInterval(() => {
          ac.tick(this)
            .then((rev) => rev !== undefined && this.log.info({ rev }, 'auto compaction done'))
            .catch((err: unknown) => this.log.warn({ err }, 'auto compaction failed'));
        }, every),
      );
    }
    for (const t of this.timers) t.unref();
  }

  get compactRev(): number {
    return this.mvcc.compactRev;
  }

  get currentRev(): number {
    return this.mvcc.currentRev;
  }

  // ---- durability ----

  private markDurable(rev: number): void {
    if (rev > this.durableRev) {
      const from = this.durableRev + 1;
      this.durableRev = rev;
      this.hub.notify(from, rev);
    }
    if (this.waiters.length > 0) {
      let i = 0;
      while (i < this.waiters.length && this.waiters[i].rev <= this.durableRev) this.waiters[i++].resolve();
      this.waiters.splice(0, i);
    }
  }

  /** Resolves once everything up to `rev` is durable (answers that reveal `rev` wait for this). */
  private waitDurable(rev: number): Promise<void> {
    if (rev <= this.durableRev) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ rev, resolve }));
  }

  private async persist(entry: WalEntry, rev: number): Promise<void> {
    if (this.closed) throw etcdError('stopped');
    this.index++;
    const payload = encodeWalRecord({ ...entry, i: this.index } as WalRecord);
    this.walBytes += payload.length + 8;
    const done = this.wal.append(payload);
    this.maybeSnapshot();
    try {
      await done;
    } catch (err) {
      this.log.fatal({ err }, 'write-ahead log failed; the store cannot accept writes');
      throw new EtcdServerError('WalFailed', 13, 'etcdserver: write-ahead log failure');
    }
    this.markDurable(rev);
  }

  private maybeSnapshot(): void {
    const every = this.opts.snapshotCount ?? 10_000;
    if (this.snapshotting || this.index - this.lastSnapshotAt < every) return;
    this.snapshotNow();
  }

  /**
   * Captures state now (synchronously: a consistent point covering WAL records up to `index`),
   * writes it atomically, then deletes the WAL segments before the one that was current at the
   * capture (they hold only covered records). Replay skips covered records by index, so the
   * segment in use keeps going instead of being cut short.
   */
  snapshotNow(): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    this.lastSnapshotAt = this.index;
    const seq = this.wal.currentSeq;
    const data = serializeSnapshot(this.mvcc.currentRev, this.mvcc.compactRev, this.index, this.lessor.list(), this.mvcc.histories());
    const started = this.clock.now();
    this.snapshotting = writeSnapshot(this.snapDir, data)
      .then(() => {
        this.wal.removeBefore(seq);
        this.snapshotBytes = data.length;
        this.walBytes = 0;
        this.log.info({ index: this.lastSnapshotAt, bytes: data.length, ms: Math.round(this.clock.now() - started) }, 'snapshot written');
      })
      .catch((err: unknown) => this.log.error({ err }, 'snapshot failed; keeping the old snapshot and WAL'))
      .finally(() => {
        this.snapshotting = undefined;
      });
    return this.snapshotting;
  }

  private trackLeases(changes: Change[]): void {
    for (const { kv, prev } of changes) {
      if (prev && prev.lease !== 0n) this.lessor.detach(prev.lease, keyStr(kv.key));
      if (!kv.tombstone && kv.lease !== 0n) this.lessor.attach(kv.lease, keyStr(kv.key));
    }
  }

  /** Ends a write: no changes → wait until its header revision is durable; else log it. */
  private async finish(txn: WriteTxn, record: (ops: WalOp[], rev: number) => WalEntry | undefined): Promise<number> {
    const rev = txn.end();
    const ops: WalOp[] = txn.changes.map(({ kv }) =>
      kv.tombstone ? [kv.key.toString('base64')] : [kv.key.toString('base64'), kv.value.toString('base64'), kv.lease.toString()],
    );
    this.trackLeases(txn.changes);
    const rec = record(ops, rev);
    if (rec) await this.persist(rec, rev);
    else await this.waitDurable(rev);
    return rev;
  }

  private writeRecord = (ops: WalOp[], rev: number): WalEntry | undefined => (ops.length > 0 ? { t: 'w', r: rev, ops } : undefined);

  private checkSize(raftSize: number): void {
    if (raftSize > (this.opts.maxRequestBytes ?? 1_572_864)) throw etcdError('requestTooLarge');
  }

  private prevKv(kv: KeyValue): KeyValue | undefined {
    try {
      return this.mvcc.range(kv.key, undefined, { rev: kv.modRev - 1, limit: 0, countOnly: false }, this.mvcc.currentRev).kvs[0];
    } catch {
      return undefined; // compacted: etcd leaves prev_kv out
    }
  }

  // ---- KV ----

  range(r: RangeRequest): RangeResponse {
    checkRange(r);
    this.metrics.ranges++;
    return doRange(this.readView, r);
  }

  async put(r: PutRequest, raftSize = 0): Promise<PutResponse> {
    checkPut(r);
    this.checkSize(raftSize);
    if (r.lease !== 0n && !this.lessor.has(r.lease)) throw etcdError('leaseNotFound');
    const txn = this.mvcc.write();
    const resp = doPut(txn, r);
    this.metrics.puts++;
    await this.finish(txn, this.writeRecord);
    return resp;
  }

  async deleteRange(r: DeleteRangeRequest, raftSize = 0): Promise<DeleteResponse> {
    checkDelete(r);
    this.checkSize(raftSize);
    const txn = this.mvcc.write();
    const resp = doDelete(txn, r);
    this.metrics.deletes++;
    await this.finish(txn, this.writeRecord);
    return resp;
  }

  async txn(r: TxnRequest, raftSize = 0): Promise<TxnResponse> {
    checkTxn(r, this.opts.maxTxnOps ?? MAX_TXN_OPS);
    checkIntervals(r.success);
    checkIntervals(r.failure);
    const ctx = { compactRev: this.mvcc.compactRev, leaseExists: (id: bigint) => this.lessor.has(id) };
    if (isTxnReadOnly(r)) {
      const view = this.readView;
      const p = txnPath(view, r);
      this.metrics.countTxn(p[0] ? r.success : r.failure);
      checkTxnOps(view, ctx, r, p, false);
      const out: TxnResponse = { rev: view.viewRev, succeeded: p[0], responses: [] };
      applyTxn(view, undefined, r, p, out);
      return out;
    }
    this.checkSize(raftSize);
    const txn = this.mvcc.write();
    const p = txnPath(txn, r);
    checkTxnOps(txn, ctx, r, p, true);
    this.metrics.countTxn(p[0] ? r.success : r.failure);
    const out: TxnResponse = { rev: 0, succeeded: p[0], responses: [] };
    applyTxn(txn, txn, r, p, out);
    out.rev = await this.finish(txn, this.writeRecord);
    return out;
  }

  /** etcd's compaction preconditions, then compaction once `rev` is durable. Returns the header revision. */
  async compact(r: CompactionRequest | number, raftSize = 0): Promise<number> {
    const rev = typeof r === 'number' ? r : Number(r.revision);
    this.checkSize(raftSize);
    const check = () => {
      if (rev <= Math.max(this.mvcc.compactRev, this.pendingCompact)) throw etcdError('compacted');
      if (rev > this.mvcc.currentRev) throw etcdError('futureRev');
    };
    check();
    this.pendingCompact = Math.max(this.pendingCompact, rev);
    try {
      await this.waitDurable(rev);
      if (rev <= this.mvcc.compactRev) throw etcdError('compacted');
      this.mvcc.compact(rev);
      await this.persist({ t: 'c', r: rev }, this.mvcc.currentRev);
    } finally {
      if (this.pendingCompact === rev) this.pendingCompact = -1;
    }
    this.log.debug({ rev }, 'compacted');
    return this.durableRev;
  }

  // ---- leases ----

  async leaseGrant(r: LeaseGrantRequest, raftSize = 0): Promise<{ rev: number; id: bigint; ttl: number }> {
    Lessor.checkTtl(r.TTL);
    this.checkSize(raftSize);
    const id = r.ID === 0n ? this.lessor.generateId() : r.ID;
    if (this.lessor.has(id)) throw etcdError('leaseExist');
    const lease = this.lessor.grant(id, Number(r.TTL));
    await this.persist({ t: 'g', id: id.toString(), ttl: lease.ttl }, this.mvcc.currentRev);
    return { rev: this.durableRev, id, ttl: lease.ttl };
  }

  async leaseRevoke(id: bigint, raftSize = 0): Promise<number> {
    this.checkSize(raftSize);
    const lease = this.lessor.get(id);
    if (!lease) throw etcdError('leaseNotFound');
    return this.revoke(lease);
  }

  /** Deletes a lease and its keys (sorted, as etcd does) in one revision. */
  private async revoke(lease: Lease): Promise<number> {
    this.lessor.remove(lease.id);
    const txn = this.mvcc.write();
    for (const k of [...lease.keys].sort()) txn.deleteRange(Buffer.from(k, 'latin1'), undefined);
    await this.finish(txn, (ops, rev) =>
      ops.length > 0 ? { t: 'v', id: lease.id.toString(), r: rev, ops } : { t: 'v', id: lease.id.toString() },
    );
    return this.durableRev;
  }

  /** Revokes every expired lease (the timer calls this; tests call it with a fake clock). */
  async expireLeases(): Promise<number> {
    if (this.closed) return 0;
    const expired = this.lessor.takeExpired();
    await Promise.all(
      expired.map(async (l) => {
        this.log.info({ lease: l.id.toString(), keys: l.keys.size }, 'lease expired');
        await this.revoke(l).catch((err: unknown) => this.log.error({ err, lease: l.id.toString() }, 'lease expiry failed'));
      }),
    );
    return expired.length;
  }

  /** Keep-alive: the granted TTL, or 0 when the lease is gone (etcd answers TTL 0, not an error). */
  leaseKeepAlive(id: bigint): { rev: number; ttl: number } {
    return { rev: this.durableRev, ttl: this.lessor.renew(id) ?? 0 };
  }

  leaseTimeToLive(id: bigint, withKeys: boolean): { rev: number; found: LeaseTimeToLive | undefined } {
    const l = this.lessor.get(id);
    if (!l || l.revoking) return { rev: this.durableRev, found: undefined };
    const keys = withKeys ? [...l.keys].sort().map((k) => Buffer.from(k, 'latin1')) : [];
    return { rev: this.durableRev, found: { id, ttl: this.lessor.remaining(l), grantedTtl: l.ttl, keys } };
  }

  leases(): { rev: number; ids: bigint[] } {
    return { rev: this.durableRev, ids: this.lessor.list().map((l) => l.id) };
  }

  // ---- watch / status ----

  watch(spec: WatchSpec, sink: WatchSink): Watcher {
    return this.hub.add(spec, sink);
  }

  status(): StatusInfo {
    return {
      rev: this.durableRev,
      dbSize: this.snapshotBytes + this.walBytes,
      leader: this.meta.memberId,
      raftIndex: this.index,
      raftTerm: String(this.meta.term),
      version: STORE_VERSION,
    };
  }

  /** What `/metrics` reports, etcd's names. */
  metricsText(watchStreams: number): string {
    return this.metrics.render({
      version: STORE_VERSION, currentRev: this.mvcc.currentRev, compactRev: this.mvcc.compactRev, keys: this.mvcc.liveKeyCount,
      watchers: this.hub.size, watchStreams, dbSizeBytes: this.snapshotBytes + this.walBytes, appliedIndex: this.index,
    });
  }

  /** Number of fdatasync calls so far (group-commit observability). */
  get walSyncs(): number {
    return this.wal.syncs;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.hub.close();
    await this.snapshotting;
    await this.wal.close();
  }
}
