/**
 * An in-memory stand-in for the parts of EtcdClient that the watch cache and the allocators use
 * (range with prefix/limit/count, create, delete, watch from a revision), for unit tests without a store.
 */
import type { EtcdClient, KeyValue, RangeOptions, RangeResult, WatchBatch, WatchOptions } from '@tinykube/etcd-client';

interface Entry { value: Buffer; createRevision: number; modRevision: number; version: number }

export class FakeEtcd {
  rev = 1;
  private readonly data = new Map<string, Entry>();
  private readonly history: { rev: number; type: 'PUT' | 'DELETE'; key: string; value: Buffer }[] = [];
  private readonly watchers = new Set<() => void>();

  private kv(key: string, e: Entry): KeyValue {
    return { key: Buffer.from(key), value: e.value, createRevision: e.createRevision, modRevision: e.modRevision, version: e.version, lease: '0' };
  }
  private header(): RangeResult['header'] {
    return { clusterId: '1', memberId: '1', revision: this.rev, raftTerm: '1' };
  }
  private notify(): void { for (const w of this.watchers) w(); }

  put(key: string, value: string): number {
    const prev = this.data.get(key);
    this.rev++;
    this.data.set(key, { value: Buffer.from(value), createRevision: prev?.createRevision ?? this.rev, modRevision: this.rev, version: (prev?.version ?? 0) + 1 });
    this.history.push({ rev: this.rev, type: 'PUT', key, value: Buffer.from(value) });
    this.notify();
    return this.rev;
  }

  del(key: string): boolean {
    if (!this.data.has(key)) return false;
    this.rev++;
    this.data.delete(key);
    this.history.push({ rev: this.rev, type: 'DELETE', key, value: Buffer.alloc(0) });
    this.notify();
    return true;
  }

  async range(key: string | Buffer, opts: RangeOptions = {}): Promise<RangeResult> {
    const k = key.toString();
    const end = opts.rangeEnd?.toString();
    let keys = [...this.data.keys()].filter((x) => (opts.prefix ? x.startsWith(k) : end !== undefined ? x >= k && x < end : x === k)).sort();
    if (opts.sortTarget === 'MOD' && opts.sortOrder === 'DESCEND') keys.sort((a, b) => this.data.get(b)!.modRevision - this.data.get(a)!.modRevision);
    const count = keys.length;
    const limited = opts.limit ? keys.slice(0, opts.limit) : keys;
    keys = limited;
    return { header: this.header(), kvs: keys.map((x) => this.kv(x, this.data.get(x)!)), count, more: limited.length < count };
  }

  async get(key: string | Buffer): Promise<KeyValue | undefined> {
    const e = this.data.get(key.toString());
    return e ? this.kv(key.toString(), e) : undefined;
  }

  async create(key: string | Buffer, value: string | Buffer) {
    if (this.data.has(key.toString())) return { ok: false as const, current: await this.get(key) };
    return { ok: true as const, revision: this.put(key.toString(), value.toString()) };
  }

  async delete(key: string | Buffer) {
    const deleted = this.del(key.toString()) ? 1 : 0;
    return { header: this.header(), deleted, prevKvs: [] };
  }

  async *watch(key: string | Buffer, opts: WatchOptions = {}): AsyncGenerator<WatchBatch> {
    const prefix = key.toString();
    let next = opts.startRevision ?? this.rev + 1;
    for (;;) {
      if (opts.signal?.aborted) return;
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
        const wake = () => { this.watchers.delete(wake); resolve(); };
        this.watchers.add(wake);
        opts.signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  asClient(): EtcdClient {
    return this as unknown as EtcdClient;
  }
}
