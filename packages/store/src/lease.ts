/**
 * Leases: TTLs, attached keys and expiry, with an injected clock so tests never sleep.
 * The lessor only keeps state; the store decides when to revoke (and logs it in the WAL).
 * As in etcd, a lease's remaining TTL is not persisted: after a restart it starts over.
 */
import { etcdError } from './errors.js';

export interface Clock {
  /** Milliseconds, monotonic enough for TTLs. */
  now(): number;
}

export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };

/** etcd's MaxLeaseTTL. */
export const MAX_LEASE_TTL = 9_000_000_000n;
/** etcd's minimum TTL with default election settings (1.5 s rounded up). */
export const MIN_LEASE_TTL = 2;

export interface Lease {
  readonly id: bigint;
  /** Granted TTL in seconds (after raising to the minimum). */
  readonly ttl: number;
  /** Absolute expiry, clock milliseconds. */
  expiry: number;
  /** Attached keys, as latin1 strings (see mvcc.keyStr). */
  readonly keys: Set<string>;
  /** Set once an expiry revocation was started, so it is not started twice. */
  revoking: boolean;
}

export class Lessor {
  private readonly leases = new Map<bigint, Lease>();
  private nextGenerated: bigint;

  constructor(
    private readonly clock: Clock,
    idPrefix = 0,
  ) {
    // etcd's ID generator: member bits on top, then time, then a counter.
    const t = BigInt(Math.floor(clock.now())) & 0xff_ffff_ffffn;
    this.nextGenerated = ((BigInt(idPrefix & 0x7fff) << 48n) | (t << 8n)) + 1n;
  }

  /** Checks a grant request as etcd's server does before it reaches the lessor. */
  static checkTtl(ttl: bigint): void {
    if (ttl > MAX_LEASE_TTL) throw etcdError('leaseTTLTooLarge');
  }

  /** A fresh unused ID for a grant that asked for ID 0. */
  generateId(): bigint {
    while (this.leases.has(this.nextGenerated) || this.nextGenerated === 0n) this.nextGenerated++;
    return this.nextGenerated++;
  }

  has(id: bigint): boolean {
    return this.leases.has(id);
  }

  get(id: bigint): Lease | undefined {
    return this.leases.get(id);
  }

  /** Adds a lease (the caller checked it does not exist). TTLs below the minimum are raised. */
  grant(id: bigint, ttlSeconds: number): Lease {
    const ttl = Math.max(ttlSeconds, MIN_LEASE_TTL);
    const lease: Lease = { id, ttl, expiry: this.clock.now() + ttl * 1000, keys: new Set(), revoking: false };
    this.leases.set(id, lease);
    return lease;
  }

  /** Removes a lease; returns it (with its keys) or undefined. */
  remove(id: bigint): Lease | undefined {
    const l = this.leases.get(id);
    if (l) this.leases.delete(id);
    return l;
  }

  /** Keep-alive: the granted TTL, or undefined when the lease is gone or already expired. */
  renew(id: bigint): number | undefined {
    const l = this.leases.get(id);
    if (!l || l.revoking || l.expiry <= this.clock.now()) return undefined;
    l.expiry = this.clock.now() + l.ttl * 1000;
    return l.ttl;
  }

  /** Whole seconds left (etcd truncates), never negative. */
  remaining(l: Lease): number {
    return Math.max(0, Math.trunc((l.expiry - this.clock.now()) / 1000));
  }

  attach(id: bigint, key: string): void {
    this.leases.get(id)?.keys.add(key);
  }

  detach(id: bigint, key: string): void {
    this.leases.get(id)?.keys.delete(key);
  }

  /** Leases past their expiry that nobody is revoking yet; marks them as being revoked. */
  takeExpired(): Lease[] {
    const now = this.clock.now();
    const out: Lease[] = [];
    for (const l of this.leases.values()) {
      if (!l.revoking && l.expiry <= now) {
        l.revoking = true;
        out.push(l);
      }
    }
    return out;
  }

  /** Milliseconds until the next expiry, or undefined with no leases. */
  nextExpiryIn(): number | undefined {
    let min: number | undefined;
    for (const l of this.leases.values()) if (!l.revoking && (min === undefined || l.expiry < min)) min = l.expiry;
    return min === undefined ? undefined : Math.max(0, min - this.clock.now());
  }

  /** After a restart every lease gets its full TTL again (etcd does the same on promotion). */
  resetExpiries(): void {
    const now = this.clock.now();
    for (const l of this.leases.values()) l.expiry = now + l.ttl * 1000;
  }

  list(): Lease[] {
    return [...this.leases.values()];
  }
}
