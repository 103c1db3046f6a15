import { describe, expect, it } from 'vitest';
import { ETCD_ERRORS, etcdError, httpStatusFromGrpc } from './errors.js';
import { Lessor, MIN_LEASE_TTL } from './lease.js';
import { FakeClock } from './testutil.js';

describe('Lessor', () => {
  it('raises tiny TTLs to the minimum and reports whole seconds remaining', () => {
    const clock = new FakeClock();
    const l = new Lessor(clock);
    expect(l.grant(1n, 0).ttl).toBe(MIN_LEASE_TTL);
    const lease = l.grant(2n, 60);
    clock.advance(500);
    expect(l.remaining(lease)).toBe(59); // etcd truncates
  });

  it('hands out each expired lease once, and generated IDs never collide', () => {
    const clock = new FakeClock();
    const l = new Lessor(clock, 7);
    const a = l.generateId();
    l.grant(a, 5);
    expect(l.generateId()).not.toBe(a);
    clock.advance(5_000);
    expect(l.takeExpired().map((x) => x.id)).toEqual([a]);
    expect(l.takeExpired()).toEqual([]);
    expect(l.renew(a)).toBeUndefined();
  });

  it('rejects TTLs above etcd\'s maximum', () => {
    expect(() => Lessor.checkTtl(9_000_000_001n)).toThrow('etcdserver: too large lease TTL');
    expect(() => Lessor.checkTtl(9_000_000_000n)).not.toThrow();
  });
});

describe('error registry', () => {
  it('maps every etcd error to the gateway\'s HTTP status for its gRPC code', () => {
    const expected: Record<number, number> = { 3: 400, 5: 404, 9: 412, 11: 400, 14: 503 };
    for (const name of Object.keys(ETCD_ERRORS) as (keyof typeof ETCD_ERRORS)[]) {
      const err = etcdError(name);
      expect(err.message.startsWith('etcdserver: ')).toBe(true);
      expect(err.httpStatus).toBe(expected[err.grpcCode]);
      expect(JSON.parse(err.body())).toEqual({ error: err.message, message: err.message, code: err.grpcCode });
    }
    expect(httpStatusFromGrpc(8)).toBe(429);
  });
});
