/**
 * Watchers, in etcd's watchable_store style: "synced" watchers get each durable revision's
 * events as it happens; a watcher whose consumer is backed up (its socket stopped accepting
 * writes) is parked as "unsynced" and later catches up from the MVCC event log, so a slow
 * watcher never blocks writers or other watchers, and never loses or repeats an event. A
 * watcher that must replay history that was compacted away is cancelled with compact_revision.
 */
import type { HeaderCodec } from './encode.js';
import { encodeEvent, encodeWatchLine } from './encode.js';
import { keyStr, type KeyValue } from './mvcc.js';

export interface WatchSource {
  readonly durableRev: number;
  readonly compactRev: number;
  eventsAt(rev: number): readonly KeyValue[];
  /** The key's value just before `kv` (etcd reads it at modRev - 1; absent if compacted). */
  prevKv(kv: KeyValue): KeyValue | undefined;
}

/** Where a watcher's lines go (one HTTP response). */
export interface WatchSink {
  /** Returns false when the consumer is backed up; the hub then waits for drained(). */
  write(line: string): boolean;
  /** Called after a compaction cancel; the sink decides whether to end the stream. */
  canceled(w: Watcher): void;
}

export interface WatchSpec {
  key: Buffer;
  /** undefined: just `key`; empty: every key >= key; else [key, end). */
  end: Buffer | undefined;
  /** 0: from the next revision */
  startRev: number;
  prevKv: boolean;
  noPut: boolean;
  noDelete: boolean;
  progressNotify: boolean;
  id: bigint;
}

export class Watcher {
  nextRev = 0;
  synced = false;
  blocked = false;
  closed = false;
  readonly from: string;
  readonly to: string | undefined;
  constructor(
    readonly spec: WatchSpec,
    readonly sink: WatchSink,
  ) {
    this.from = keyStr(spec.key);
    this.to = spec.end === undefined ? undefined : spec.end.length === 0 ? '' : keyStr(spec.end);
  }

  matches(k: string, kv: KeyValue): boolean {
    if (this.to === undefined) {
      if (k !== this.from) return false;
    } else if (k < this.from || (this.to !== '' && k >= this.to)) return false;
    return kv.tombstone ? !this.spec.noDelete : !this.spec.noPut;
  }
}

export interface WatchHubOptions {
  /** How often progress_notify watchers get an empty notification (etcd: 10 minutes). */
  progressIntervalMs?: number;
  /** Most revisions replayed in one catch-up message (etcd's watchBatchMaxRevs). */
  batchMaxRevs?: number;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly progressTimer: NodeJS.Timeout;
  private readonly batchMaxRevs: number;

  constructor(
    private readonly source: WatchSource,
    private readonly header: HeaderCodec,
    opts: WatchHubOptions = {},
  ) {
    this.batchMaxRevs = opts.batchMaxRevs ?? 1000;
    this.progressTimer = setInterval(() => this.progress(), opts.progressIntervalMs ?? 10 * 60_000);
    this.progressTimer.unref();
  }

  get size(): number {
    return this.watchers.size;
  }

  get unsyncedCount(): number {
    let n = 0;
    for (const w of this.watchers) if (!w.synced) n++;
    return n;
  }

  /** Registers a watcher: writes the `created` line, then replays history if it starts in the past. */
  add(spec: WatchSpec, sink: WatchSink): Watcher {
    const w = new Watcher(spec, sink);
    const current = this.source.durableRev;
    w.nextRev = spec.startRev > 0 ? spec.startRev : current + 1;
    this.watchers.add(w);
    w.blocked = !sink.write(encodeWatchLine({ header: this.header.full(current), watchId: spec.id, created: true }));
    if (w.nextRev > current) w.synced = true;
    else if (!w.blocked) this.catchUp(w);
    return w;
  }

  remove(w: Watcher): void {
    w.closed = true;
    this.watchers.delete(w);
  }

  /** The sink can take more: resume a parked watcher from history. */
  drained(w: Watcher): void {
    if (w.closed) return;
    w.blocked = false;
    if (!w.synced) this.catchUp(w);
  }

  /** Revisions up to `rev` became durable: deliver them to synced watchers. */
  notify(fromRev: number, toRev: number): void {
    if (this.watchers.size === 0) return;
    for (let rev = fromRev; rev <= toRev; rev++) {
      const events = this.source.eventsAt(rev);
      if (events.length === 0) continue;
      const keys = events.map((kv) => keyStr(kv.key));
      for (const w of this.watchers) {
        if (!w.synced || w.nextRev > rev) continue;
        if (w.blocked) {
          // Its socket is full: park it and let it catch up from history later.
          w.synced = false;
          continue;
        }
        const out: string[] = [];
        for (let i = 0; i < events.length; i++) if (w.matches(keys[i], events[i])) out.push(this.event(w, events[i]));
        w.nextRev = rev + 1;
        if (out.length > 0) this.send(w, rev, out);
      }
    }
  }

  private event(w: Watcher, kv: KeyValue): string {
    if (!w.spec.prevKv || (!kv.tombstone && kv.createRev === kv.modRev)) return encodeEvent(kv, undefined);
    return encodeEvent(kv, this.source.prevKv(kv));
  }

  private send(w: Watcher, headerRev: number, events: string[]): void {
    const ok = w.sink.write(encodeWatchLine({ header: this.header.full(headerRev), watchId: w.spec.id, events }));
    if (!ok) w.blocked = true;
  }

  /** Replays from w.nextRev while the sink accepts, then marks the watcher synced. */
  private catchUp(w: Watcher): void {
    const src = this.source;
    if (w.nextRev < src.compactRev) {
      this.remove(w);
      w.sink.write(
        encodeWatchLine({ header: this.header.full(0), watchId: w.spec.id, canceled: true, compactRevision: src.compactRev }),
      );
      w.sink.canceled(w);
      return;
    }
    while (!w.blocked && !w.closed && w.nextRev <= src.durableRev) {
      const last = Math.min(src.durableRev, w.nextRev + this.batchMaxRevs - 1);
      const out: string[] = [];
      for (let rev = w.nextRev; rev <= last; rev++) {
        for (const kv of src.eventsAt(rev)) if (w.matches(keyStr(kv.key), kv)) out.push(this.event(w, kv));
      }
      w.nextRev = last + 1;
      if (out.length > 0) this.send(w, src.durableRev, out);
    }
    if (!w.closed && w.nextRev > src.durableRev) w.synced = true;
  }

  /** Empty notifications for synced progress_notify watchers (etcd sends them on a timer). */
  progress(): void {
    const rev = this.source.durableRev;
    for (const w of this.watchers) {
      if (!w.spec.progressNotify || !w.synced || w.blocked) continue;
      this.send(w, rev, []);
    }
  }

  close(): void {
    clearInterval(this.progressTimer);
    for (const w of this.watchers) w.closed = true;
    this.watchers.clear();
  }
}
