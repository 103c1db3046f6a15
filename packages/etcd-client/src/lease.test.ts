import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import { EtcdClient, isLeaseNotFound } from './index.js';
import { sharedEtcd } from './test-support/shared-etcd.js';

const shared = sharedEtcd();
let client: EtcdClient;
beforeAll(() => { client = shared.client(); });

describe('leases', () => {
  it('grants (with a chosen id), lists, reports time-to-live with keys, and revoke deletes attached keys', async () => {
    const l = await client.leaseGrant(30, '4242');
    expect(l).toEqual({ id: '4242', ttl: 30 });
    const random = await client.leaseGrant(30);
    expect(random.id).toMatch(/^[1-9][0-9]*$/);
    expect(await client.leases()).toEqual(expect.arrayContaining(['4242', random.id]));
    await client.put('/lease/a', 'v', { lease: l.id });
    expect((await client.get('/lease/a'))?.lease).toBe('4242');
    const ttl = await client.leaseTimeToLive(l.id, { keys: true });
    expect(ttl.grantedTtl).toBe(30);
    expect(ttl.ttl).toBeGreaterThan(25);
    expect(ttl.keys.map((k) => k.toString())).toEqual(['/lease/a']);
    await client.leaseRevoke(l.id);
    expect(await client.get('/lease/a')).toBeUndefined();
    expect((await client.leaseTimeToLive(l.id)).ttl).toBe(-1);
    const err = await client.leaseRevoke(l.id).catch((e: unknown) => e);
    expect(isLeaseNotFound(err)).toBe(true);
    expect(err).toMatchObject({ grpcCode: 5, httpStatus: 404 });
  });

  it('keepAliveOnce refreshes a live lease and answers ttl 0 for a gone one', async () => {
    const l = await client.leaseGrant(20);
    expect(await client.leaseKeepAliveOnce(l.id)).toEqual({ id: l.id, ttl: 20 });
    await client.leaseRevoke(l.id);
    expect((await client.leaseKeepAliveOnce(l.id)).ttl).toBe(0);
  });

  it('keepAlive keeps a short lease alive past its TTL, and the key expires after stop()', async () => {
    const l = await client.leaseGrant(1);
    await client.put('/ka/a', 'v', { lease: l.id });
    const lost: unknown[] = [];
    const ka = client.keepAlive(l.id, { onLost: (err) => lost.push(err) });
    const granted = Date.now();
    // Outlive the 1 s TTL (etcd's minimum TTL rounds it up, so wait for 3 s of wall clock) with the key present.
    await waitFor(async () => Date.now() - granted > 3_000 && (await client.get('/ka/a')) !== undefined, { what: 'key alive after 3 s' });
    expect(lost).toEqual([]);
    ka.stop();
    await waitFor(async () => (await client.get('/ka/a')) === undefined, { what: 'key expiry', timeoutMs: 15_000 });
  });

  it('keepAlive calls onLost when the lease is revoked', async () => {
    const l = await client.leaseGrant(1);
    const lost: unknown[] = [];
    client.keepAlive(l.id, { onLost: (err) => lost.push(err) });
    await client.leaseRevoke(l.id);
    await waitFor(() => lost.length === 1, { what: 'onLost', timeoutMs: 5_000 });
    expect(isLeaseNotFound(lost[0])).toBe(true);
  });
});
