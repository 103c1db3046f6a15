import { describe, expect, it } from 'vitest';
import { FakeEtcd } from '../../test/fake-etcd.js';
import { firstServiceIp, ipToNumber, ipToString, nodePortAllocator, parseIpv4Cidr, parsePortRange, serviceIpAllocator } from './allocator.js';

describe('IPv4 ranges', () => {
  it('parses CIDRs to their network base', () => {
    const r = parseIpv4Cidr('10.96.3.7/16');
    expect(ipToString(r.base)).toBe('10.96.0.0');
    expect(r.size).toBe(65536);
    expect(firstServiceIp(r)).toBe('10.96.0.1');
    expect(ipToNumber('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(ipToNumber('1.2.3')).toBeUndefined();
  });
  it.each(['10.96.0.0', '10.96.0.0/33', '300.1.1.1/16', '10.0.0.0/31'])('rejects %s', (c) => {
    expect(() => parseIpv4Cidr(c)).toThrow();
  });
  it('parses port ranges', () => {
    expect(parsePortRange('30000-32767')).toEqual({ min: 30000, max: 32767 });
    expect(() => parsePortRange('5-1')).toThrow();
  });
});

describe('KeyAllocator', () => {
  it('hands out every service IP once, never network, broadcast or the kubernetes IP', async () => {
    const etcd = new FakeEtcd();
    const a = serviceIpAllocator(etcd.asClient(), '/registry/ranges/serviceips/', parseIpv4Cidr('10.0.0.0/29'));
    await a.load();
    const got: string[] = [];
    for (;;) {
      const ip = await a.allocate({ name: 's' });
      if (!ip) break;
      got.push(ip);
    }
    expect(got.sort()).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    expect(a.inRange('10.0.0.7')).toBe(false);
    expect(a.inRange('10.0.0.0')).toBe(false);
    expect(await a.allocateSpecific('10.0.0.1', { name: 'kubernetes' })).toBe(true);
    expect(await a.allocateSpecific('10.0.0.1', { name: 'other' })).toBe(false);
    await a.release('10.0.0.4');
    expect(await a.allocate({ name: 't' })).toBe('10.0.0.4');
  });

  it('shares state through the store: a second allocator never reuses a value', async () => {
    const etcd = new FakeEtcd();
    const one = nodePortAllocator(etcd.asClient(), '/registry/ranges/servicenodeports/', { min: 30000, max: 30003 });
    const two = nodePortAllocator(etcd.asClient(), '/registry/ranges/servicenodeports/', { min: 30000, max: 30003 });
    await one.load(); await two.load();
    const got = [await one.allocate({ name: 'a' }), await two.allocate({ name: 'b' }), await one.allocate({ name: 'c' }), await two.allocate({ name: 'd' })];
    expect(new Set(got).size).toBe(4);
    expect(await two.allocate({ name: 'e' })).toBeUndefined();
    expect((await one.records()).map((r) => r.owner.name).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
