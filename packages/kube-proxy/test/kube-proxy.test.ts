import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient, writeKubeconfig } from '@tinykube/client';
import { apiserverTlsArgs, freePort, spawnComponent, startRealEtcd, testPki, testTls, waitFor, writeTestKubeconfig, type Proc, type RunningStore } from '@tinykube/testkit';
import { connectOutcome } from './echo.js';

// Black box: real etcd + apiserver + a tinykube-proxy process. A NodePort Service gets a ClusterIP from
// 127.96.0.0/16 (loopback, no setup) and its Endpoints point at three HTTP servers that answer their name.

const NODE = 'proxy-node-a';
const NODE_IP = '127.0.1.41';
const services = { group: '', version: 'v1', plural: 'services', namespaced: true };
const endpoints = { group: '', version: 'v1', plural: 'endpoints', namespaced: true };
const nodes = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

let etcd: RunningStore | undefined;
let api: Proc | undefined;
let proxy: Proc | undefined;
let client: RestClient;
let dir: string;
let metricsPort: number;
const backends: { name: string; ip: string; port: number; server: http.Server }[] = [];

function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // agent: false → a new TCP connection per request, so every request is balanced on its own.
    const req = http.get({ host, port, path: '/', agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function logs(): string {
  return `--- kube-proxy ---\n${proxy?.output().slice(-4000)}\n--- apiserver ---\n${api?.output().slice(-2000)}`;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tk-proxy-'));
  for (const [name, ip] of [['alpha', '127.0.0.2'], ['bravo', '127.0.0.3'], ['charlie', '127.0.0.4']] as const) {
    const server = http.createServer((_req, res) => res.end(name));
    await new Promise<void>((r) => server.listen(0, ip, () => r()));
    backends.push({ name, ip, port: (server.address() as AddressInfo).port, server });
  }
  etcd = await startRealEtcd();
  const port = await freePort();
  api = spawnComponent('apiserver', [...etcd.apiserverArgs, ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(port), '--service-cluster-ip-range', '127.96.0.0/16']);
  const server = `https://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${server}/readyz`)).ok, { timeoutMs: 30_000, what: `apiserver readyz\n${api.output()}` });
  const kubeconfig = path.join(dir, 'kubeconfig');
  // kube-proxy as itself (system:kube-proxy, bound to system:node-proxier)
  await writeTestKubeconfig(kubeconfig, server, testPki().kubeProxy);
  client = new RestClient({ server, tls: testTls() });

  // The Node carries the address NodePorts are served on (no --bind-address given).
  const addresses = [{ type: 'InternalIP', address: NODE_IP }, { type: 'Hostname', address: NODE }];
  const node = await client.create<{ metadata: { name: string }; status?: { addresses?: unknown[] } }>(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE }, status: { addresses } });
  if (!node.status?.addresses?.length) await client.update(nodes, { ...node, status: { addresses } }, { subresource: 'status' });

  metricsPort = await freePort();
  proxy = spawnComponent('kube-proxy', ['--kubeconfig', kubeconfig, '--node-name', NODE, '--metrics-bind-address', `127.0.0.1:${metricsPort}`, '--log-level', 'info']);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).ok, { timeoutMs: 30_000, what: `kube-proxy healthz\n${proxy.output()}` });
}, 90_000);

afterAll(async () => {
  await client?.close();
  await proxy?.stop();
  await api?.stop();
  await etcd?.close();
  await Promise.all(backends.map((b) => new Promise<void>((r) => b.server.close(() => r()))));
  rmSync(dir, { recursive: true, force: true });
});

describe('tinykube-proxy against a real apiserver', () => {
  let clusterIP: string;
  let nodePort: number;

  it('serves a NodePort Service on its ClusterIP, round robin over three endpoints', async () => {
    const svc = await client.create<{ spec: { clusterIP: string; ports: { nodePort: number }[] } }>(services, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }] },
    });
    clusterIP = svc.spec.clusterIP;
    nodePort = svc.spec.ports[0]!.nodePort;
    expect(clusterIP).toMatch(/^127\.96\./);
    expect(nodePort).toBeGreaterThanOrEqual(30_000);

    // Before any endpoint: nothing listens, connections are refused at once.
    await waitFor(async () => (await connectOutcome(clusterIP, 8080)) === 'ECONNREFUSED', { what: 'refusal without endpoints' });

    await client.create(endpoints, {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' },
      subsets: backends.map((b) => ({ addresses: [{ ip: b.ip }], ports: [{ name: 'http', port: b.port, protocol: 'TCP' }] })),
    });
    await waitFor(async () => {
      const who = await get(clusterIP, 8080);
      return backends.some((b) => b.name === who);
    }, { timeoutMs: 15_000, what: `ClusterIP ${clusterIP}:8080 answering\n${logs()}` });

    const counts = new Map<string, number>();
    const total = 1_000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        next++;
        const who = await get(clusterIP, 8080);
        counts.set(who, (counts.get(who) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect([...counts.keys()].sort()).toEqual(['alpha', 'bravo', 'charlie']);
    for (const [, n] of counts) {
      expect(n / total).toBeGreaterThanOrEqual(0.2);
      expect(n / total).toBeLessThanOrEqual(0.47);
    }
  });

  it('answers on the node IP\'s NodePort', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 3; i++) names.add(await get(NODE_IP, nodePort));
    expect([...names].sort()).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('exports connection metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const m = /kubeproxy_connections_total\{service="default\/web:http"\} (\d+)/.exec(text);
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(1_003);
    expect(text).toContain('kubeproxy_active_connections');
    expect(text).toContain('kubeproxy_sync_proxy_rules_duration_seconds_count');
  });

  it('stops listening when the Service is deleted', async () => {
    await client.delete(services, 'web', { namespace: 'default' });
    await waitFor(async () => (await connectOutcome(clusterIP, 8080)) === 'ECONNREFUSED', { timeoutMs: 15_000, what: 'ClusterIP refused after delete' });
    expect(await connectOutcome(NODE_IP, nodePort)).toBe('ECONNREFUSED');
  });
});

describe('two proxies on one network stack', () => {
  const NODE_B = 'proxy-node-b';
  const NODE_B_IP = '127.0.1.42';
  let proxyB: Proc | undefined;

  afterAll(async () => {
    await proxyB?.stop();
  });

  it('both serve their own NodePort; one holds the ClusterIP and the other takes over when it exits', async () => {
    const svc = await client.create<{ spec: { clusterIP: string; ports: { nodePort: number }[] } }>(services, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web2', namespace: 'default' },
      spec: { type: 'NodePort', ports: [{ name: 'http', port: 8081, protocol: 'TCP' }] },
    });
    const ip = svc.spec.clusterIP;
    const np = svc.spec.ports[0]!.nodePort;
    await client.create(endpoints, {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web2', namespace: 'default' },
      subsets: [{ addresses: [{ ip: backends[0]!.ip }], ports: [{ name: 'http', port: backends[0]!.port }] }],
    });
    await waitFor(async () => (await get(ip, 8081)) === 'alpha', { timeoutMs: 15_000, what: `first proxy serving ${ip}:8081\n${logs()}` });

    // The second node's proxy: NodePort on its own IP via --bind-address, ClusterIP held by the first.
    const kubeconfig = path.join(dir, 'kubeconfig');
    proxyB = spawnComponent('kube-proxy', ['--kubeconfig', kubeconfig, '--node-name', NODE_B, '--bind-address', NODE_B_IP, '--metrics-bind-address', '127.0.0.1:0']);
    await waitFor(async () => (await get(NODE_B_IP, np)) === 'alpha', { timeoutMs: 30_000, what: `second proxy's NodePort\n${proxyB.output()}` });
    expect(await get(NODE_IP, np)).toBe('alpha');
    await waitFor(() => proxyB!.output().includes('standing by'), { what: `second proxy standing by\n${proxyB.output()}` });

    await proxy!.stop();
    expect(await proxy!.exited).toBe(0);
    expect(await connectOutcome(NODE_IP, np)).toBe('ECONNREFUSED');
    await waitFor(async () => (await get(ip, 8081)) === 'alpha', { timeoutMs: 15_000, what: `second proxy taking over ${ip}:8081\n${proxyB.output()}` });
  });
});
