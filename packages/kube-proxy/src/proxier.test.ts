import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@tinykube/testkit';
import { connectLines, connectOutcome, startEchoServer, whoAnswers, type EchoServer } from '../test/echo.js';
import { ClusterIPAddresses, type ClusterIPHost } from './ip.js';
import { Proxier, type ProxierOptions } from './proxier.js';

const KEY = 'default/web';
let echo: EchoServer[] = [];
const proxiers: Proxier[] = [];

beforeAll(async () => {
  echo = await Promise.all([startEchoServer('a', '127.0.0.2'), startEchoServer('b', '127.0.0.3'), startEchoServer('c', '127.0.0.4')]);
});
afterAll(async () => {
  await Promise.all(echo.map((e) => e.close()));
});
afterEach(async () => {
  await Promise.all(proxiers.splice(0).map((p) => p.shutdown()));
});

/** The informer caches, as plain maps the test edits. */
function caches(): { services: Map<string, unknown>; endpoints: Map<string, unknown> } {
  return { services: new Map(), endpoints: new Map() };
}

function proxier(c: ReturnType<typeof caches>, extra: Partial<ProxierOptions> = {}): Proxier {
  const p = new Proxier({ services: c.services, endpoints: c.endpoints, ...extra });
  proxiers.push(p);
  return p;
}

function service(clusterIP: string, port: number, extra: { nodePort?: number; protocol?: string } = {}): unknown {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: extra.nodePort ? 'NodePort' : 'ClusterIP', clusterIP,
      ports: [{ name: 'http', port, protocol: extra.protocol ?? 'TCP', ...(extra.nodePort ? { nodePort: extra.nodePort } : {}) }],
    },
  };
}

function endpoints(...es: EchoServer[]): unknown {
  const byPort = new Map<number, EchoServer[]>();
  for (const e of es) byPort.set(e.port, [...(byPort.get(e.port) ?? []), e]);
  return {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' },
    subsets: [...byPort].map(([port, list]) => ({ addresses: list.map((e) => ({ ip: e.ip })), ports: [{ name: 'http', port }] })),
  };
}

describe('Proxier.sync', () => {
  it('serves the ClusterIP and the NodePort, round robin over ready endpoints', async () => {
    const c = caches();
    const [ip, nodeIP] = ['127.96.0.11', '127.0.1.11'];
    const [port, nodePort] = [await freePort(ip), await freePort(nodeIP)];
    c.services.set(KEY, service(ip, port, { nodePort }));
    c.endpoints.set(KEY, endpoints(...echo));
    const p = proxier(c, { nodeIP });
    expect(await p.sync(KEY)).toEqual({ pending: 0 });
    expect(p.snapshot().map((l) => [l.address, l.state, l.backends])).toEqual([
      [`${nodeIP}:${nodePort}`, 'active', 3],
      [`${ip}:${port}`, 'active', 3],
    ]);
    const seen = [await whoAnswers(ip, port), await whoAnswers(ip, port), await whoAnswers(ip, port)];
    expect(seen).toEqual(['a', 'b', 'c']);
    // ClusterIP and NodePort share one rotation per service port.
    expect([await whoAnswers(nodeIP, nodePort), await whoAnswers(ip, port)]).toEqual(['a', 'b']);
  });

  it('refuses at once while a service has no ready endpoint, and serves once one is ready', async () => {
    const c = caches();
    const ip = '127.96.0.12';
    const port = await freePort(ip);
    c.services.set(KEY, service(ip, port));
    c.endpoints.set(KEY, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ notReadyAddresses: [{ ip: '127.0.0.2' }], ports: [{ name: 'http', port: echo[0]!.port }] }] });
    const p = proxier(c);
    expect(await p.sync(KEY)).toEqual({ pending: 0 });
    expect(await connectOutcome(ip, port)).toBe('ECONNREFUSED');

    c.endpoints.set(KEY, endpoints(echo[0]!));
    await p.sync(KEY);
    const conn = await connectLines(ip, port);
    expect(await conn.line()).toBe('a');

    // The last endpoint goes away: new connections are refused, the established one carries on.
    c.endpoints.delete(KEY);
    await p.sync(KEY);
    expect(await connectOutcome(ip, port)).toBe('ECONNREFUSED');
    conn.send('ping\n');
    expect(await conn.line()).toBe('ping');
    conn.close();
  });

  it('moves new connections to the new endpoints without cutting established ones', async () => {
    const c = caches();
    const ip = '127.96.0.13';
    const port = await freePort(ip);
    c.services.set(KEY, service(ip, port));
    c.endpoints.set(KEY, endpoints(echo[0]!));
    const p = proxier(c);
    await p.sync(KEY);
    const conn = await connectLines(ip, port);
    expect(await conn.line()).toBe('a');
    c.endpoints.set(KEY, endpoints(echo[1]!, echo[2]!));
    await p.sync(KEY);
    expect([await whoAnswers(ip, port), await whoAnswers(ip, port)].sort()).toEqual(['b', 'c']);
    conn.send('still a\n');
    expect(await conn.line()).toBe('still a');
    conn.close();
  });

  it('stops listening when the service is deleted; established connections may finish', async () => {
    const c = caches();
    const ip = '127.96.0.14';
    const port = await freePort(ip);
    c.services.set(KEY, service(ip, port));
    c.endpoints.set(KEY, endpoints(echo[0]!));
    const p = proxier(c);
    await p.sync(KEY);
    const conn = await connectLines(ip, port);
    expect(await conn.line()).toBe('a');
    c.services.delete(KEY);
    c.endpoints.delete(KEY);
    expect(await p.sync(KEY)).toEqual({ pending: 0 });
    expect(p.snapshot()).toEqual([]);
    expect(p.serviceKeys()).toEqual([]);
    expect(await connectOutcome(ip, port)).toBe('ECONNREFUSED');
    conn.send('bye\n');
    expect(await conn.line()).toBe('bye');
    conn.close();
  });

  it('stands by while another proxy holds the ClusterIP:port and takes over when it goes away', async () => {
    const c = caches();
    const ip = '127.96.0.15';
    const port = await freePort(ip);
    c.services.set(KEY, service(ip, port));
    c.endpoints.set(KEY, endpoints(echo[0]!));
    const first = proxier(c);
    const second = proxier(c);
    expect(await first.sync(KEY)).toEqual({ pending: 0 });
    expect(await second.sync(KEY)).toEqual({ pending: 1 });
    expect(second.snapshot().map((l) => l.state)).toEqual(['standby']);

    await first.shutdown();
    expect(await second.sync(KEY)).toEqual({ pending: 0 });
    expect(second.snapshot().map((l) => l.state)).toEqual(['active']);
    expect(await whoAnswers(ip, port)).toBe('a');
  });

  it('skips UDP ports and moves NodePorts when the node IP changes', async () => {
    const c = caches();
    const ip = '127.96.0.16';
    const [oldNode, newNode] = ['127.0.1.21', '127.0.1.22'];
    const nodePort = await freePort(newNode);
    c.services.set(KEY, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', clusterIP: ip, ports: [{ name: 'http', port: await freePort(ip), nodePort }, { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }] },
    });
    c.endpoints.set(KEY, {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: echo[1]!.ip }], ports: [{ name: 'http', port: echo[1]!.port }, { name: 'dns', port: 53, protocol: 'UDP' }] }],
    });
    const p = proxier(c, { nodeIP: oldNode });
    await p.sync(KEY);
    expect(p.snapshot().map((l) => l.address).filter((a) => a.startsWith('127.0.1.'))).toEqual([`${oldNode}:${nodePort}`]);
    expect(p.snapshot()).toHaveLength(2); // no UDP listener

    expect(p.setNodeIP(newNode)).toBe(true);
    expect(p.setNodeIP(newNode)).toBe(false);
    await p.sync(KEY);
    expect(p.snapshot().map((l) => l.address).filter((a) => a.startsWith('127.0.1.'))).toEqual([`${newNode}:${nodePort}`]);
    expect(await whoAnswers(newNode, nodePort)).toBe('b');
    expect(await connectOutcome(oldNode, nodePort)).toBe('ECONNREFUSED');
  });

  it('dummy mode: holds the ClusterIP on the node for the service\'s life and releases it after the connections drained', async () => {
    const calls: string[] = [];
    const host: ClusterIPHost = {
      init: async () => {},
      add: async (a) => void calls.push(`add ${a}`),
      remove: async (a) => void calls.push(`remove ${a}`),
    };
    const c = caches();
    const ip = '127.96.0.17';
    const port = await freePort(ip);
    c.services.set(KEY, service(ip, port));
    const p = proxier(c, { addresses: new ClusterIPAddresses(host) });
    await p.sync(KEY); // no endpoints yet: the address is still added so connections are refused locally
    expect(calls).toEqual([`add ${ip}`]);

    c.endpoints.set(KEY, endpoints(echo[2]!));
    await p.sync(KEY);
    const conn = await connectLines(ip, port);
    expect(await conn.line()).toBe('c');
    c.services.delete(KEY);
    await p.sync(KEY);
    expect(calls).toEqual([`add ${ip}`]); // a connection still uses it
    conn.close();
    await waitFor(() => calls.length === 2, { what: 'ClusterIP removal' });
    expect(calls).toEqual([`add ${ip}`, `remove ${ip}`]);
  });

  it('ignores a malformed Service like a missing one', async () => {
    const c = caches();
    c.services.set(KEY, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: 'eighty' } });
    const p = proxier(c);
    expect(await p.sync(KEY)).toEqual({ pending: 0 });
    expect(p.serviceKeys()).toEqual([]);
  });
});
