/**
 * An in-memory, binary-safe stand-in for the EtcdClient calls the apiserver's storage, watch cache and allocators
 * make (range with prefix/limit/count/sort, get, create, compare-and-swap update and delete, watch from a revision),
 * for unit tests without a store.
 */
import type { CasResult, EtcdClient, KeyValue, RangeOptions, RangeResult, WatchBatch, WatchOptions } from '@tinykube/etcd-client';

export class FakeEtcd {
  rev = 1;
  readonly data = new Map<string, { value: Buffer; create: number; mod: number; version: number; lease: string }>();
  private readonly history: { rev: number; type: 'PUT' | 'DELETE'; key: string; value: Buffer }[] = [];
  private readonly wakers = new Set<() => void>();
  /** called before every CAS update (tests use it to slip in a concurrent write) */
  beforeUpdate?: (key: string) => Promise<void>;

  private kv(key: string): KeyValue | undefined {
    const e = this.data.get(key);
    return e && { key: Buffer.from(key), value: e.value, createRevision: e.create, modRevision: e.mod, version: e.version, lease: e.lease };
  }
  private header() { return { clusterId: '1', memberId: '1', revision: this.rev, raftTerm: '1' }; }
  raw(key: string): Buffer | undefined { return this.data.get(key)?.value; }

  put(key: string, value: string | Buffer, lease = '0'): number {
    const prev = this.data.get(key);
    this.rev++;
    const v = Buffer.from(value);
    this.data.set(key, { value: v, create: prev?.create ?? this.rev, mod: this.rev, version: (prev?.version ?? 0) + 1, lease });
    this.history.push({ rev: this.rev, type: 'PUT', key, value: v });
    for (const w of this.wakers) w();
    return this.rev;
  }
  /** Deletes `key` at a new revision; false (and no revision) when it is absent. */
  del(key: string): boolean {
    if (!this.data.has(key)) return false;
    this.rev++;
    this.data.delete(key);
    this.history.push({ rev: this.rev, type: 'DELETE', key, value: Buffer.alloc(0) });
    for (const w of this.wakers) w();
    return true;
  }

  async range(key: string | Buffer, o: RangeOptions = {}): Promise<RangeResult> {
    const k = key.toString();
    const end = o.prefix ? undefined : o.rangeEnd?.toString('latin1');
    let keys = [...this.data.keys()].filter((x) => (o.prefix ? x.startsWith(k) : end !== undefined ? x >= k && x < end : x === k)).sort();
    if (o.sortTarget === 'MOD' && o.sortOrder === 'DESCEND') keys.sort((a, b) => this.data.get(b)!.mod - this.data.get(a)!.mod);
    const count = keys.length;
    if (o.countOnly) return { header: this.header(), kvs: [], count, more: false };
    if (o.limit) keys = keys.slice(0, o.limit);
    return { header: this.header(), kvs: keys.map((x) => this.kv(x)!), count, more: keys.length < count };
  }
  async get(key: string | Buffer): Promise<KeyValue | undefined> { return this.kv(key.toString()); }
  async create(key: string | Buffer, value: string | Buffer, o: { lease?: string } = {}): Promise<CasResult> {
    if (this.data.has(key.toString())) return { ok: false, current: this.kv(key.toString()) };
    return { ok: true, revision: this.put(key.toString(), value, o.lease) };
  }
  async update(key: string | Buffer, value: string | Buffer, expected: number, o: { lease?: string } = {}): Promise<CasResult> {
    await this.beforeUpdate?.(key.toString());
    const cur = this.data.get(key.toString());
    if (!cur || cur.mod !== expected) return { ok: false, current: this.kv(key.toString()) };
    return { ok: true, revision: this.put(key.toString(), value, o.lease) };
  }
  async deleteIf(key: string | Buffer, expected?: number): Promise<CasResult> {
    const cur = this.data.get(key.toString());
    if (!cur) return { ok: false };
    if (expected !== undefined && cur.mod !== expected) return { ok: false, current: this.kv(key.toString()) };
    this.del(key.toString());
    return { ok: true, revision: this.rev };
  }
  async delete(key: string | Buffer, o: { prefix?: boolean } = {}) {
    const k = key.toString();
    const keys = [...this.data.keys()].filter((x) => (o.prefix ? x.startsWith(k) : x === k));
    for (const x of keys) this.del(x);
    return { header: this.header(), deleted: keys.length, prevKvs: [] };
  }
  async *watch(key: string | Buffer, o: WatchOptions = {}): AsyncGenerator<WatchBatch> {
    const prefix = key.toString();
    let next = o.startRevision ?? this.rev + 1;
    while (!o.signal?.aborted) {
      const events = this.history.filter((h) => h.rev >= next && h.key.startsWith(prefix));
      if (events.length) {
        next = events[events.length - 1].rev + 1;
        yield {
          header: this.header(), progress: false,
          events: events.map((h) => ({ type: h.type, kv: { key: Buffer.from(h.key), value: h.value, createRevision: 0, modRevision: h.rev, version: 1, lease: '0' } })),
        };
        continue;
      }
      await new Promise<void>((resolve) => {
        const wake = () => { this.wakers.delete(wake); resolve(); };
        this.wakers.add(wake);
        o.signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }
  asClient(): EtcdClient { return this as unknown as EtcdClient; }
}
