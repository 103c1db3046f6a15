#!/usr/bin/env node
/** tinykube-apiserver: flags → logger → etcd client → server → signals. */
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { EtcdClient } from '@tinykube/etcd-client';
import { createApiServer } from './server.js';
import { parseIpv4Cidr, parsePortRange } from './allocation/allocator.js';

function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
}

function checked<T>(parse: (v: string) => T): (v: string) => string {
  return (v) => {
    try { parse(v); } catch (err) { throw new InvalidArgumentError((err as Error).message); }
    return v;
  };
}

const program = new Command('tinykube-apiserver')
  .description("Kubernetes' REST API over an etcd v3 store")
  .option('--etcd-servers <urls>', 'comma-separated etcd client URLs', 'http://127.0.0.1:2379')
  .option('--etcd-prefix <prefix>', 'key prefix of all objects in etcd', '/registry')
  .option('--bind-address <ip>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0 = any free port; the bound port is logged)', int, 6443)
  .option('--advertise-address <ip>', 'address published in the kubernetes Endpoints (default: the bind address)')
  .option('--service-cluster-ip-range <cidr>', 'IPv4 range for Service ClusterIPs', checked(parseIpv4Cidr), '10.96.0.0/16')
  .option('--service-node-port-range <range>', 'port range for NodePorts', checked(parsePortRange), '30000-32767')
  .option('--event-ttl <seconds>', 'how long events are kept', int, 3600)
  .option('--watch-bookmark-interval <ms>', 'interval of BOOKMARK events for watchers that allow them', int, 30_000)
  .option('--watch-cache-size <events>', 'recent events kept per resource for watches from an older resourceVersion', int, 4096)
  .option('--log-level <level>', 'pino log level', 'info');

program.parse();
const flags = program.opts<{
  etcdServers: string; etcdPrefix: string; bindAddress: string; port: number; advertiseAddress?: string;
  serviceClusterIpRange: string; serviceNodePortRange: string; eventTtl: number; watchBookmarkInterval: number; watchCacheSize: number; logLevel: string;
}>();

const log = pino({ name: 'apiserver', level: flags.logLevel });
const etcd = new EtcdClient({ endpoints: flags.etcdServers.split(',').map((s) => s.trim()).filter(Boolean) });
const api = createApiServer({
  etcd, log,
  etcdPrefix: flags.etcdPrefix,
  serviceClusterIpRange: flags.serviceClusterIpRange,
  serviceNodePortRange: flags.serviceNodePortRange,
  advertiseAddress: flags.advertiseAddress,
  eventTtlSeconds: flags.eventTtl,
  bookmarkIntervalMs: flags.watchBookmarkInterval,
  watchCacheCapacity: Math.max(1, flags.watchCacheSize),
  defaultMetrics: true,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 5_000);
  force.unref();
  try {
    await api.close();
    await etcd.close();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', () => { void shutdown('SIGTERM'); });
process.on('SIGINT', () => { void shutdown('SIGINT'); });
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

try {
  const port = await api.listen(flags.port, flags.bindAddress);
  log.info({ address: flags.bindAddress, port, url: `http://${flags.bindAddress}:${port}` }, 'apiserver listening');
  await api.start();
  log.info({ port }, 'apiserver ready');
} catch (err) {
  log.fatal({ err }, 'apiserver failed to start');
  process.exit(1);
}
