// bench:node part b: an HTTP backend on a node IP, reached directly and through tinykube-proxy's ClusterIP.
// Latencies alternate between the direct path and the ClusterIP in chunks of 50 requests, with the same client
// code (undici), so what differs is the proxy's accept + connect + pipe, under the same machine load.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Pool } from 'undici';
import { runConcurrent, summarize, type LatencySummary } from '@tinykube/testkit';

export interface Backend { host: string; port: number; close(): Promise<void> }

/** A keep-alive HTTP server answering every request with a 2-byte body. */
export async function startBackend(host: string): Promise<Backend> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host, port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface PathFigures {
  /** A new TCP connection per request (connect + request + response). */
  fresh: LatencySummary;
  /** Sequential requests on one kept-alive connection. */
  keptAlive: LatencySummary;
  /** Requests/s with `concurrency` kept-alive connections. */
  rps: number;
}

export interface ProxyBenchOptions {
  freshRequests: number;
  keptAliveRequests: number;
  concurrency: number;
  throughputMs: number;
}

async function get(client: Client | Pool): Promise<void> {
  const r = await client.request({ method: 'GET', path: '/' });
  await r.body.text();
  if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}`);
}

/** Rounds of CHUNK samples per origin, origin after origin: each path runs hot within its chunk, and drift in the
 * machine's load (other processes on 2 shared cores) reaches both paths alike. */
const CHUNK = 50;

/** One request on a new connection per sample. */
async function fresh(origins: string[], n: number): Promise<LatencySummary[]> {
  const lat = origins.map(() => [] as number[]);
  for (let i = 0; i < n; i += CHUNK) {
    for (const [j, origin] of origins.entries()) for (let m = 0; m < Math.min(CHUNK, n - i); m++) {
      const c = new Client(origin, { pipelining: 1 });
      const t0 = performance.now();
      await get(c);
      lat[j].push(performance.now() - t0);
      await c.close();
    }
  }
  return lat.map(summarize);
}

/** Sequential requests on one kept-alive connection per origin. */
async function keptAlive(origins: string[], n: number): Promise<LatencySummary[]> {
  const clients = origins.map((o) => new Client(o, { pipelining: 1, keepAliveTimeout: 60_000 }));
  try {
    for (let i = 0; i < 100; i++) for (const c of clients) await get(c); // warm-up: connections open, code paths hot
    const lat = clients.map(() => [] as number[]);
    for (let i = 0; i < n; i += CHUNK) {
      for (const [j, c] of clients.entries()) for (let m = 0; m < Math.min(CHUNK, n - i); m++) {
        const t0 = performance.now();
        await get(c);
        lat[j].push(performance.now() - t0);
      }
    }
    return lat.map(summarize);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

async function throughput(origin: string, concurrency: number, ms: number): Promise<number> {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  try {
    await runConcurrent(concurrency * 10, concurrency, ms, () => get(pool)); // open every connection first
    const t0 = performance.now();
    const done = await runConcurrent(Number.MAX_SAFE_INTEGER, concurrency, ms, () => get(pool));
    return done / ((performance.now() - t0) / 1000);
  } finally {
    await pool.close();
  }
}

/** Measures the `direct` and `proxied` origins (http://ip:port) with the same client code. */
export async function compareProxy(direct: string, proxied: string, o: ProxyBenchOptions): Promise<{ direct: PathFigures; proxied: PathFigures }> {
  await fresh([direct, proxied], 50);
  const f = await fresh([direct, proxied], o.freshRequests);
  const k = await keptAlive([direct, proxied], o.keptAliveRequests);
  // Throughput saturates the machine, so it cannot alternate: one after the other.
  const r = [await throughput(direct, o.concurrency, o.throughputMs), await throughput(proxied, o.concurrency, o.throughputMs)];
  return {
    direct: { fresh: f[0], keptAlive: k[0], rps: r[0] },
    proxied: { fresh: f[1], keptAlive: k[1], rps: r[1] },
  };
}
