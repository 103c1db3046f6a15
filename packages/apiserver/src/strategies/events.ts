/**
 * Events expire: each is attached to a store lease with a TTL of one hour (Kubernetes' --event-ttl).
 * Like Kubernetes' lease manager, one lease is reused for the events written within a short window
 * (its TTL padded by that window), so a burst of events costs one lease grant.
 */
import type { EtcdClient } from '@tinykube/etcd-client';
import type { Strategy } from '../storage/strategy.js';

export class LeaseManager {
  private current?: { id: string; until: number };
  private pending?: Promise<string>;

  constructor(private readonly etcd: EtcdClient, private readonly ttlSeconds: number, private readonly reuseSeconds = 60,
    private readonly now: () => number = Date.now) {}

  async lease(): Promise<string> {
    const t = this.now();
    if (this.current && this.current.until > t) return this.current.id;
    if (this.pending) return this.pending;
    this.pending = (async () => {
      try {
        const { id } = await this.etcd.leaseGrant(this.ttlSeconds + this.reuseSeconds);
        this.current = { id, until: t + this.reuseSeconds * 1000 };
        return id;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }
}

export function eventStrategy(leases: LeaseManager): Strategy {
  return {
    allowCreateOnUpdate: true,
    leaseFor: () => leases.lease(),
  };
}
