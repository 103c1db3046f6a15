import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startCluster, stores, type Cluster } from './harness.js';
import type { Proc } from '@tinykube/testkit';

const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });

describe.each(stores)('apiserver restart and two apiservers on one store (%s)', (_name, startStore) => {
  let c: Cluster;
  let second: { api: Proc; url: string } | undefined;
  beforeAll(async () => { c = await startCluster(startStore, ['--service-cluster-ip-range', '10.96.0.0/28', '--service-node-port-range', '30000-30011']); });
  afterAll(async () => {
    await second?.api.stop();
    await c?.close();
  });

  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${url}/api/v1/namespaces/default/services`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('two apiservers never hand out the same ClusterIP or NodePort, and see each other\'s writes', async () => {
    second = await startApiServer(c.store, ['--service-cluster-ip-range', '10.96.0.0/28', '--service-node-port-range', '30000-30011']);
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 ? c.url : second!.url, svc(`s${i}`))));
    expect(made.map((m) => m.status)).toEqual(Array(10).fill(201));
    const ips = made.map((m) => m.body.spec.clusterIP);
    const ports = made.map((m) => m.body.spec.ports[0].nodePort);
    expect(new Set(ips).size).toBe(10);
    expect(new Set(ports).size).toBe(10);
    expect(ips).not.toContain('10.96.0.1');
    // /28 has 14 usable addresses, one is the kubernetes Service's: 3 are left
    const more = await Promise.all(['x1', 'x2', 'x3', 'x4'].map((n) => post(c.url, svc(n))));
    expect(more.filter((m) => m.status === 201)).toHaveLength(2); // NodePorts run out first: 12 in range
    expect(more.filter((m) => m.status === 422)).toHaveLength(2);
    const list = await fetch(`${second.url}/api/v1/namespaces/default/services`).then((r) => r.json()) as any;
    expect(list.items).toHaveLength(13);
  });

  it('restarts on the same store: bootstrap is idempotent and allocations persist', async () => {
    await second!.api.stop();
    second = await startApiServer(c.store, ['--service-cluster-ip-range', '10.96.0.0/28', '--service-node-port-range', '30000-30011']);
    const k = await fetch(`${second.url}/api/v1/namespaces/default/services/kubernetes`).then((r) => r.json()) as any;
    expect(k.spec.clusterIP).toBe('10.96.0.1');
    expect((await post(second.url, svc('after-restart'))).status).toBe(422); // still full
    await fetch(`${second.url}/api/v1/namespaces/default/services/s0`, { method: 'DELETE' });
    const again = await post(second.url, svc('after-delete'));
    expect(again.status).toBe(201);
  });
});
