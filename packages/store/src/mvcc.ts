/**
 * The multi-version key index: every key keeps its revisions (oldest first) until compaction,
 * keys are kept in a sorted array for range scans, and every revision's changes are kept in an
 * event log so watchers can replay history without scanning all keys.
 *
 * Keys are indexed by their 'latin1' string form: each byte becomes one UTF-16 code unit, so JS
 * string comparison is exactly etcd's byte-wise key order.
 */
import { etcdError } from './errors.js';

/** One revision of one key. Immutable once created (encoders may cache on it). */
export interface KeyValue {
  readonly key: Buffer;
  readonly createRev: number;
  readonly modRev: number;
  /** Position of this change inside its revision (a txn writes several keys at one revision). */
  readonly sub: number;
  readonly version: number;
  readonly value: Buffer;
  readonly lease: bigint;
  /** A deletion marker: the key does not exist at modRev. */
  readonly tombstone: boolean;
  /** Lazily cached JSON encodings (see encode.ts). */
  json?: string;
}

interface KeyHistory {
  key: Buffer;
  revs: KeyValue[];
}

export interface RangeOptions {
  /** 0: at the view's revision */
  rev: number;
  /** 0: no limit */
  limit: number;
  countOnly: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  count: number;
  /** The view's revision (the header revision of the answer). */
  rev: number;
}

export const keyStr = (b: Buffer): string => b.toString('latin1');
const EMPTY = Buffer.alloc(0);

export class Mvcc {
  /** Latest applied revision (including writes not yet durable). */
  currentRev = 1;
  /** etcd's compactMainRev: reads below it fail; -1 before the first compaction. */
  compactRev = -1;
  private readonly index = new Map<string, KeyHistory>();
  private keys: string[] = [];
  /** events[i] = changes at revision eventBase + i */
  private events: KeyValue[][] = [];
  private eventBase = 2;

  get keyCount(): number {
    return this.keys.length;
  }

  /** Keys whose latest revision is not a deletion (etcd's keys gauge). O(keys): for scrapes, not hot paths. */
  get liveKeyCount(): number {
    let n = 0;
    for (const h of this.index.values()) if (!h.revs[h.revs.length - 1]!.tombstone) n++;
    return n;
  }

  /** Latest revision of `key` at or before `rev` (may be a tombstone), or undefined. */
  private at(h: KeyHistory, rev: number): KeyValue | undefined {
    const revs = h.revs;
    const last = revs[revs.length - 1];
    if (last.modRev <= rev) return last;
    let lo = 0;
    let hi = revs.length - 1; // revs[hi].modRev > rev
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (revs[mid].modRev <= rev) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : revs[lo - 1];
  }

  /** The live value of one key at `rev`. */
  get(key: Buffer | string, rev = this.currentRev): KeyValue | undefined {
    const h = this.index.get(typeof key === 'string' ? key : keyStr(key));
    if (!h) return undefined;
    const kv = this.at(h, rev);
    return kv && !kv.tombstone ? kv : undefined;
  }

  private lowerBound(k: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Visits live key-values in [key, end) at `rev`, in key order. `end` undefined: just `key`;
   * empty: every key >= key. Stop early by returning false.
   */
  scan(key: Buffer, end: Buffer | undefined, rev: number, visit: (kv: KeyValue) => boolean | void): void {
    if (end === undefined) {
      const kv = this.get(key, rev);
      if (kv) visit(kv);
      return;
    }
    const from = keyStr(key);
    const to = end.length === 0 ? undefined : keyStr(end);
    for (let i = this.lowerBound(from); i < this.keys.length; i++) {
      const k = this.keys[i];
      if (to !== undefined && k >= to) break;
      const kv = this.at(this.index.get(k) as KeyHistory, rev);
      if (kv && !kv.tombstone && visit(kv) === false) break;
    }
  }

  /** etcd's rangeKeys: future/compacted checks, then kvs (up to limit) and the total count. */
  range(key: Buffer, end: Buffer | undefined, opts: RangeOptions, viewRev = this.currentRev): RangeResult {
    let rev = opts.rev;
    if (rev > viewRev) throw etcdError('futureRev');
    if (rev <= 0) rev = viewRev;
    if (rev < this.compactRev) throw etcdError('compacted');
    const kvs: KeyValue[] = [];
    let count = 0;
    this.scan(key, end, rev, (kv) => {
      count++;
      if (!opts.countOnly && (opts.limit <= 0 || kvs.length < opts.limit)) kvs.push(kv);
    });
    return { kvs, count, rev: viewRev };
  }

  /** Starts a write at revision currentRev + 1; nothing is visible to other readers' views until they read at that revision. */
  write(): WriteTxn {
    return new WriteTxn(this);
  }

  /** @internal used by WriteTxn */
  insert(kv: KeyValue): void {
    const k = keyStr(kv.key);
    const h = this.index.get(k);
    if (h) {
      h.revs.push(kv);
      return;
    }
    this.index.set(k, { key: kv.key, revs: [kv] });
    const i = this.lowerBound(k);
    this.keys.splice(i, 0, k);
  }

  /** @internal used by WriteTxn */
  commit(rev: number, changes: KeyValue[]): void {
    this.currentRev = rev;
    if (this.events.length === 0) this.eventBase = rev;
    this.events.push(changes);
  }

  /** Changes at one revision (empty if compacted away or not yet written). */
  eventsAt(rev: number): readonly KeyValue[] {
    return this.events[rev - this.eventBase] ?? [];
  }

  /** Oldest revision whose changes can still be replayed. */
  get firstEventRev(): number {
    return this.events.length === 0 ? this.currentRev + 1 : this.eventBase;
  }

  /**
   * Drops history before `rev`: each key keeps its latest revision at or before `rev` (unless
   * that is a deletion older than `rev`) and everything after. The changes made exactly at `rev`
   * stay replayable. Callers check etcd's preconditions (see compaction.ts).
   */
  compact(rev: number): void {
    this.compactRev = rev;
    const keep: string[] = [];
    for (const k of this.keys) {
      const h = this.index.get(k) as KeyHistory;
      const revs = h.revs;
      let i = revs.length - 1;
      while (i >= 0 && revs[i].modRev > rev) i--;
      // revs[i] is the latest at or before rev
      if (i >= 0 && revs[i].tombstone && revs[i].modRev < rev) i++;
      if (i > 0) h.revs = revs.slice(i);
      if (h.revs.length === 0 || (i >= revs.length)) {
        this.index.delete(k);
        continue;
      }
      keep.push(k);
    }
    this.keys = keep;
    const drop = Math.min(Math.max(0, rev - this.eventBase), this.events.length);
    this.events.splice(0, drop);
    this.eventBase += drop;
  }

  /** Every retained revision of every key, in key order then revision order (for snapshots). */
  *histories(): Generator<readonly KeyValue[]> {
    for (const k of this.keys) yield (this.index.get(k) as KeyHistory).revs;
  }

  /**
   * Rebuilds the index from snapshot data (histories in any order), then the event log from
   * every retained change at or after the compacted revision.
   */
  restore(state: { currentRev: number; compactRev: number; histories: KeyValue[][] }): void {
    this.index.clear();
    for (const revs of state.histories) {
      if (revs.length === 0) continue;
      this.index.set(keyStr(revs[0].key), { key: revs[0].key, revs });
    }
    this.keys = [...this.index.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.currentRev = state.currentRev;
    this.compactRev = state.compactRev;
    const from = Math.max(2, state.compactRev);
    const all: KeyValue[] = [];
    for (const revs of state.histories) for (const kv of revs) if (kv.modRev >= from) all.push(kv);
    all.sort((a, b) => a.modRev - b.modRev || a.sub - b.sub);
    this.events = [];
    this.eventBase = from;
    for (let r = from; r <= this.currentRev; r++) this.events.push([]);
    for (const kv of all) this.events[kv.modRev - from]?.push(kv);
  }
}

/** A change made by a write, with the live value it replaced (for lease bookkeeping). */
export interface Change {
  kv: KeyValue;
  prev: KeyValue | undefined;
}

/**
 * All changes of one request (a put, a delete, a txn, a lease revocation) at one revision.
 * Reads through it see its own earlier changes, as etcd's storeTxnWrite does.
 */
export class WriteTxn {
  readonly rev: number;
  readonly changes: Change[] = [];
  constructor(private readonly mvcc: Mvcc) {
    this.rev = mvcc.currentRev + 1;
  }

  /** The revision reads in this txn see: the new one once something was written. */
  get viewRev(): number {
    return this.changes.length > 0 ? this.rev : this.rev - 1;
  }

  range(key: Buffer, end: Buffer | undefined, opts: RangeOptions): RangeResult {
    return this.mvcc.range(key, end, opts, this.viewRev);
  }

  put(key: Buffer, value: Buffer, lease: bigint): KeyValue {
    const prev = this.mvcc.get(key, this.viewRev);
    const kv: KeyValue = {
      key,
      createRev: prev ? prev.createRev : this.rev,
      modRev: this.rev,
      sub: this.changes.length,
      version: prev ? prev.version + 1 : 1,
      value,
      lease,
      tombstone: false,
    };
    this.mvcc.insert(kv);
    this.changes.push({ kv, prev });
    return kv;
  }

  /** Deletes live keys in [key, end) (see Mvcc.scan for `end`); returns how many. */
  deleteRange(key: Buffer, end: Buffer | undefined): number {
    const victims: KeyValue[] = [];
    this.mvcc.scan(key, end, this.viewRev, (kv) => {
      victims.push(kv);
    });
    for (const prev of victims) {
      const kv: KeyValue = {
        key: prev.key,
        createRev: 0,
        modRev: this.rev,
        sub: this.changes.length,
        version: 0,
        value: EMPTY,
        lease: 0n,
        tombstone: true,
      };
      this.mvcc.insert(kv);
      this.changes.push({ kv, prev });
    }
    return victims.length;
  }

  /** Makes the revision current if anything changed; returns the header revision. */
  end(): number {
    if (this.changes.length === 0) return this.rev - 1;
    this.mvcc.commit(
      this.rev,
      this.changes.map((c) => c.kv),
    );
    return this.rev;
  }
}
