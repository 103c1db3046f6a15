import type { Node } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '@tinykube/hostnet';
import { desiredRoutes, ROUTE_PROTO, syncRoutes } from './routes.js';

const node = (name: string, podCIDR?: string, ip?: string): Node => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name },
  spec: podCIDR ? { podCIDR } : {},
  status: ip ? { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] } : {},
}) as Node;

/** Records every `ip` call; answers `route show` with the given routes and fails `replace` for one gateway. */
function fakeIp(shown: { dst: string; gateway: string }[], unreachable?: string) {
  const calls: string[] = [];
  const run: CommandRunner = async (_cmd, args) => {
    calls.push(args.join(' '));
    if (args[1] === 'route' && args[2] === 'show') return { code: 0, stdout: JSON.stringify(shown.map((r) => ({ ...r, dev: 'eth0', flags: [] }))), stderr: '' };
    if (args[1] === 'replace' && args[4] === unreachable) return { code: 2, stdout: '', stderr: 'Error: Nexthop has invalid gateway.' };
    return { code: 0, stdout: '', stderr: '' };
  };
  return { run, calls };
}

describe('desiredRoutes', () => {
  it("routes every other node's podCIDR via its InternalIP, skipping itself and nodes not ready for it", () => {
    const nodes = [node('worker-2', '10.244.2.0/24', '172.28.0.13'), node('worker-1', '10.244.1.0/24', '172.28.0.12'), node('control-plane', '10.244.0.0/24', '172.28.0.11'), node('new', undefined, '172.28.0.20'), node('no-ip', '10.244.9.0/24')];
    expect(desiredRoutes(nodes, 'worker-1')).toEqual([
      { dst: '10.244.0.0/24', via: '172.28.0.11' },
      { dst: '10.244.2.0/24', via: '172.28.0.13' },
    ]);
  });
});

describe('syncRoutes', () => {
  it('adds missing and changed routes, deletes its own routes to nodes that are gone, and leaves correct ones alone', async () => {
    const { run, calls } = fakeIp([
      { dst: '10.244.0.0/24', gateway: '172.28.0.11' }, // right
      { dst: '10.244.2.0/24', gateway: '172.28.0.99' }, // node changed IP
      { dst: '10.244.7.0/24', gateway: '172.28.0.17' }, // node deleted
    ]);
    const r = await syncRoutes(run, [
      { dst: '10.244.0.0/24', via: '172.28.0.11' }, { dst: '10.244.2.0/24', via: '172.28.0.13' }, { dst: '10.244.3.0/24', via: '172.28.0.14' },
    ]);
    expect(calls).toEqual([
      `-j route show proto ${ROUTE_PROTO}`,
      `route replace 10.244.2.0/24 via 172.28.0.13 proto ${ROUTE_PROTO}`,
      `route replace 10.244.3.0/24 via 172.28.0.14 proto ${ROUTE_PROTO}`,
      `route del 10.244.7.0/24 proto ${ROUTE_PROTO}`,
    ]);
    expect(r.removed).toEqual([{ dst: '10.244.7.0/24', via: '172.28.0.17' }]);
  });

  it('reports a route it cannot install and still installs the others', async () => {
    const { run, calls } = fakeIp([], '10.0.0.9');
    const r = await syncRoutes(run, [{ dst: '10.244.1.0/24', via: '10.0.0.9' }, { dst: '10.244.2.0/24', via: '172.28.0.13' }]);
    expect(r.failed.map((f) => f.route.dst)).toEqual(['10.244.1.0/24']);
    expect(r.failed[0]!.err.message).toContain('invalid gateway');
    expect(r.added).toEqual([{ dst: '10.244.2.0/24', via: '172.28.0.13' }]);
    expect(calls).toHaveLength(3);
  });
});
