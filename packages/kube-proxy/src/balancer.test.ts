import { FakeClock } from '@tinykube/testkit';
import { describe, expect, it } from 'vitest';
import { Balancer } from './balancer.js';
import type { Backend } from './endpoints.js';

const a: Backend = { ip: '10.0.0.1', port: 80 };
const b: Backend = { ip: '10.0.0.2', port: 80 };
const c: Backend = { ip: '10.0.0.3', port: 80 };

function clock(start = 1_000_000): FakeClock {
  return new FakeClock(start);
}

describe('Balancer round robin', () => {
  it('returns undefined without backends', () => {
    expect(new Balancer().pick('1.2.3.4')).toBeUndefined();
  });

  it('rotates over the backends in order, whatever the client', () => {
    const lb = new Balancer();
    lb.setBackends([a, b, c]);
    const picks = ['x', 'y', 'x', 'x', 'z', 'y'].map((ip) => lb.pick(ip)!.ip);
    expect(picks).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('keeps its position when the backends change', () => {
    const lb = new Balancer();
    lb.setBackends([a, b, c]);
    lb.pick('x');
    lb.setBackends([a, c]); // next index 1 → c
    expect([lb.pick('x'), lb.pick('x'), lb.pick('x')].map((p) => p!.ip)).toEqual(['10.0.0.3', '10.0.0.1', '10.0.0.3']);
  });

  it('ignores an identical backend list', () => {
    const lb = new Balancer();
    lb.setBackends([a, b]);
    lb.pick('x');
    lb.setBackends([{ ...a }, { ...b }]);
    expect(lb.pick('x')).toEqual(b);
  });
});

describe('Balancer ClientIP affinity', () => {
  it('keeps a client on its backend while others rotate', () => {
    const t = clock();
    const lb = new Balancer({ affinity: { kind: 'ClientIP', timeoutMs: 10_000 }, clock: t });
    lb.setBackends([a, b, c]);
    const first = lb.pick('1.1.1.1')!;
    const other = lb.pick('2.2.2.2')!;
    expect(other).not.toEqual(first);
    for (let i = 0; i < 5; i++) {
      t.advance(1_000);
      expect(lb.pick('1.1.1.1')).toEqual(first);
    }
  });

  it('each use extends the timeout; after the timeout the client rotates on', () => {
    const t = clock();
    const lb = new Balancer({ affinity: { kind: 'ClientIP', timeoutMs: 10_000 }, clock: t });
    lb.setBackends([a, b, c]);
    expect(lb.pick('1.1.1.1')).toEqual(a);
    t.advance(9_000);
    expect(lb.pick('1.1.1.1')).toEqual(a);
    t.advance(9_000); // 18 s after the first use, 9 s after the last
    expect(lb.pick('1.1.1.1')).toEqual(a);
    t.advance(10_001);
    expect(lb.pick('1.1.1.1')).toEqual(b);
  });

  it('repins a client whose backend went away', () => {
    const t = clock();
    const lb = new Balancer({ affinity: { kind: 'ClientIP', timeoutMs: 10_000 }, clock: t });
    lb.setBackends([a, b, c]);
    expect(lb.pick('1.1.1.1')).toEqual(a);
    lb.setBackends([b, c]);
    const repinned = lb.pick('1.1.1.1')!;
    expect([b, c]).toContainEqual(repinned);
    expect(lb.pick('1.1.1.1')).toEqual(repinned);
  });

  it('forgetClient unpins after a failed connect', () => {
    const lb = new Balancer({ affinity: { kind: 'ClientIP', timeoutMs: 10_000 }, clock: clock() });
    lb.setBackends([a, b]);
    expect(lb.pick('1.1.1.1')).toEqual(a);
    lb.forgetClient('1.1.1.1');
    expect(lb.pick('1.1.1.1')).toEqual(b);
  });

  it('sweeps expired clients and drops all pins when affinity is turned off', () => {
    const t = clock();
    const lb = new Balancer({ affinity: { kind: 'ClientIP', timeoutMs: 1_000 }, clock: t });
    lb.setBackends([a, b]);
    lb.pick('1.1.1.1');
    lb.pick('2.2.2.2');
    expect(lb.stickyClients()).toBe(2);
    t.advance(5_000);
    lb.pick('3.3.3.3');
    expect(lb.stickyClients()).toBe(1);
    lb.setAffinity({ kind: 'None' });
    expect(lb.stickyClients()).toBe(0);
    expect(lb.pick('3.3.3.3')).not.toEqual(lb.pick('3.3.3.3')); // plain rotation again
  });
});
