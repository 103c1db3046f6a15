// Leases: grant / revoke / keep-alive / time-to-live / list, and a background keep-alive loop.
// Lease IDs are int64 and travel as decimal strings end to end (never through a JS number).
import { z } from 'zod';
import { fromB64, num, str64, wireHeader } from './codec.js';
import { EtcdError, GrpcCode, MSG_LEASE_NOT_FOUND } from './errors.js';
import type { Transport } from './transport.js';
import type { LeaseInfo, LeaseTimeToLive } from './types.js';

const int64 = z.union([z.string(), z.number()]).optional();
const wireGrant = z.object({ header: wireHeader.optional(), ID: int64, TTL: int64, error: z.string().optional() });
const wireKeepAlive = z.object({ result: z.object({ header: wireHeader.optional(), ID: int64, TTL: int64 }).optional() });
const wireTimeToLive = z.object({ header: wireHeader.optional(), ID: int64, TTL: int64, grantedTTL: int64, keys: z.array(z.string()).optional() });
const wireLeases = z.object({ header: wireHeader.optional(), leases: z.array(z.object({ ID: int64 })).optional() });
const wireRevoke = z.object({ header: wireHeader.optional() });

export async function leaseGrant(t: Transport, ttlSeconds: number, id?: string): Promise<LeaseInfo> {
  const body: Record<string, unknown> = { TTL: String(ttlSeconds) };
  if (id !== undefined && id !== '0') body.ID = id;
  const r = await t.post('/v3/lease/grant', body, wireGrant);
  if (r.error) throw new EtcdError({ grpcCode: GrpcCode.UNKNOWN, httpStatus: 200, etcdMessage: r.error });
  return { id: str64(r.ID), ttl: num(r.TTL) };
}

export async function leaseRevoke(t: Transport, id: string): Promise<void> {
  await t.post('/v3/lease/revoke', { ID: id }, wireRevoke);
}

/** One keep-alive round trip; ttl 0 means the lease is gone (etcd answers 200 with no TTL for unknown leases). */
export async function leaseKeepAliveOnce(t: Transport, id: string): Promise<LeaseInfo> {
  const r = await t.post('/v3/lease/keepalive', { ID: id }, wireKeepAlive);
  return { id: str64(r.result?.ID ?? id), ttl: num(r.result?.TTL) };
}

export async function leaseTimeToLive(t: Transport, id: string, opts: { keys?: boolean } = {}): Promise<LeaseTimeToLive> {
  const body: Record<string, unknown> = { ID: id };
  if (opts.keys) body.keys = true;
  const r = await t.post('/v3/lease/timetolive', body, wireTimeToLive);
  return { id: str64(r.ID ?? id), ttl: num(r.TTL), grantedTtl: num(r.grantedTTL), keys: (r.keys ?? []).map((k) => fromB64(k)) };
}

export async function leaseList(t: Transport): Promise<string[]> {
  const r = await t.post('/v3/lease/leases', {}, wireLeases);
  return (r.leases ?? []).map((l) => str64(l.ID));
}

export interface KeepAliveHandle {
  stop(): void;
}

/**
 * Refreshes the lease every ttl/3 seconds until stop(). The lease counts as lost — onLost is called once and the
 * loop ends — when the server says it is gone (ttl 0 / not found), or when no refresh has succeeded for a whole
 * TTL (after that the server has certainly expired it). Transient errors are retried every second meanwhile.
 */
export function keepAliveLoop(t: Transport, id: string, opts: { onLost?: (err: unknown) => void } = {}): KeepAliveHandle {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ttlMs = 0;
  let lastOk = Date.now();

  const lost = (err: unknown) => {
    if (stopped) return;
    stopped = true;
    opts.onLost?.(err);
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref?.();
  };
  async function tick(): Promise<void> {
    try {
      const r = await leaseKeepAliveOnce(t, id);
      if (stopped) return;
      if (r.ttl <= 0) {
        lost(new EtcdError({ grpcCode: GrpcCode.NOT_FOUND, httpStatus: 404, etcdMessage: `etcdserver: ${MSG_LEASE_NOT_FOUND}` }));
        return;
      }
      ttlMs = r.ttl * 1000;
      lastOk = Date.now();
      schedule(Math.max(100, Math.floor(ttlMs / 3)));
    } catch (err) {
      if (stopped) return;
      const gone = err instanceof EtcdError && err.grpcCode === GrpcCode.NOT_FOUND;
      if (gone || (ttlMs > 0 && Date.now() - lastOk >= ttlMs)) lost(err);
      else schedule(1_000);
    }
  }
  void tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
