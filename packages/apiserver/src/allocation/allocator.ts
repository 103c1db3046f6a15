/**
 * Allocation of unique values (Service ClusterIPs, NodePorts) shared by every apiserver on the same store.
 * Each allocated value is one key, /<prefix>/ranges/<what>/<value>, created with create-if-absent: two
 * apiservers can never hand out the same value, and a release is a delete. Kubernetes keeps a CAS-guarded
 * bitmap in one key instead; per-value keys avoid a hot key and make leaks visible and repairable.
 * `used` is this process's view (loaded at start, updated by its own allocations); a value another apiserver
 * took is discovered by the failed create and skipped.
 */
import type { EtcdClient } from '@tinykube/etcd-client';

export interface Owner { namespace?: string; name: string }

export interface AllocationRecord { value: string; owner: Owner; at: number }

export class KeyAllocator {
  private used = new Set<string>();

  /**
   * @param candidates all values of the range in allocation order (the allocator starts at a random offset)
   */
  constructor(
    private readonly etcd: EtcdClient,
    private readonly prefix: string,
    private readonly size: number,
    private readonly valueAt: (index: number) => string,
    private readonly contains: (value: string) => boolean,
    private readonly reservedValues: ReadonlySet<string> = new Set(),
  ) {}

  /** Loads the allocated values from the store. */
  async load(): Promise<AllocationRecord[]> {
    const records = await this.records();
    this.used = new Set(records.map((r) => r.value));
    return records;
  }

  async records(): Promise<AllocationRecord[]> {
    const r = await this.etcd.range(this.prefix, { prefix: true });
    const out: AllocationRecord[] = [];
    for (const kv of r.kvs) {
      const value = kv.key.toString('utf8').slice(this.prefix.length);
      let owner: Owner = { name: '' }; let at = 0;
      try {
        const parsed = JSON.parse(kv.value.toString('utf8')) as { owner?: Owner; at?: number };
        if (parsed.owner) owner = parsed.owner;
        at = parsed.at ?? 0;
      } catch { /* a record we cannot read still marks the value as used */ }
      out.push({ value, owner, at });
    }
    return out;
  }

  inRange(value: string): boolean {
    return this.contains(value);
  }

  /** Takes a specific value; false when someone holds it already. */
  async allocateSpecific(value: string, owner: Owner): Promise<boolean> {
    const res = await this.etcd.create(this.prefix + value, JSON.stringify({ owner, at: Date.now() }));
    this.used.add(value);
    return res.ok;
  }

  /** Takes any free value; undefined when the range is full. */
  async allocate(owner: Owner): Promise<string | undefined> {
    for (let pass = 0; pass < 2; pass++) {
      const start = Math.floor(Math.random() * this.size);
      for (let i = 0; i < this.size; i++) {
        const v = this.valueAt((start + i) % this.size);
        if (this.used.has(v) || this.reservedValues.has(v)) continue;
        if (await this.allocateSpecific(v, owner)) return v;
      }
      // our view may be stale (another apiserver released values): reload once
      await this.load();
    }
    return undefined;
  }

  async release(value: string): Promise<void> {
    await this.etcd.delete(this.prefix + value);
    this.used.delete(value);
  }

  /** Whether the value is held (by this process's view). */
  isUsed(value: string): boolean {
    return this.used.has(value);
  }
}

// --- IPv4 ranges ---

export interface Ipv4Range { base: number; size: number; cidr: string }

export function parseIpv4Cidr(cidr: string): Ipv4Range {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) throw new Error(`invalid IPv4 CIDR: ${cidr}`);
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits < 8 || bits > 30) throw new Error(`invalid or unsupported IPv4 CIDR: ${cidr}`);
  const ip = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - bits);
  const base = ip - (ip % size);
  return { base, size, cidr };
}

export function ipToString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function ipToNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const o = m.slice(1, 5).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0] << 24) >>> 0) + (o[1] << 16) + (o[2] << 8) + o[3];
}

/** The address Kubernetes gives the `kubernetes` Service: the first one after the network address. */
export function firstServiceIp(r: Ipv4Range): string {
  return ipToString(r.base + 1);
}

/** Allocatable service IPs: not the network or broadcast address. */
export function serviceIpAllocator(etcd: EtcdClient, prefix: string, r: Ipv4Range): KeyAllocator {
  const size = r.size - 2;
  const first = firstServiceIp(r);
  return new KeyAllocator(etcd, prefix, size, (i) => ipToString(r.base + 1 + i), (v) => {
    const n = ipToNumber(v);
    return n !== undefined && n > r.base && n < r.base + r.size - 1;
  }, new Set([first]));
}

export interface PortRange { min: number; max: number }

export function parsePortRange(s: string): PortRange {
  const m = /^(\d+)-(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`invalid port range: ${s}`);
  const min = Number(m[1]); const max = Number(m[2]);
  if (min < 1 || max > 65535 || min > max) throw new Error(`invalid port range: ${s}`);
  return { min, max };
}

export function nodePortAllocator(etcd: EtcdClient, prefix: string, r: PortRange): KeyAllocator {
  return new KeyAllocator(etcd, prefix, r.max - r.min + 1, (i) => String(r.min + i), (v) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= r.min && n <= r.max;
  });
}
