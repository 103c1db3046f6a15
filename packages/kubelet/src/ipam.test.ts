import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PodIpam, parseCidr } from './ipam.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-ipam-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PodIpam', () => {
  it('has nothing to give before it knows the podCIDR', () => {
    expect(new PodIpam().allocate('a')).toBeUndefined();
  });

  it('skips the network, .1 and broadcast addresses and gives each pod one stable IP', () => {
    const ipam = new PodIpam();
    ipam.setCidr('127.1.3.0/30'); // .0 network, .1 gateway, .2 usable, .3 broadcast
    expect(ipam.allocate('a')).toBe('127.1.3.2');
    expect(ipam.allocate('a')).toBe('127.1.3.2');
    expect(ipam.allocate('b')).toBeUndefined();
    ipam.release('a');
    expect(ipam.allocate('b')).toBe('127.1.3.2');
  });

  it('persists allocations across restarts and never hands one out twice', () => {
    const file = join(dir, 'ipam.json');
    const one = new PodIpam(file);
    one.setCidr('127.1.4.0/24');
    const a = one.allocate('a');
    const b = one.allocate('b');
    const two = new PodIpam(file);
    expect(two.podCIDR).toBe('127.1.4.0/24');
    expect(two.get('a')).toBe(a);
    const c = two.allocate('c');
    expect([a, b]).not.toContain(c);
    two.retain(new Set(['c']));
    expect(new PodIpam(file).allocations()).toEqual({ c });
  });

  it('rejects malformed CIDRs', () => {
    expect(() => parseCidr('127.1.0.0')).toThrow();
    expect(() => parseCidr('300.1.0.0/24')).toThrow();
    expect(parseCidr('127.1.0.77/24')).toEqual({ base: parseCidr('127.1.0.0/24').base, prefix: 24, size: 256 });
  });
});
