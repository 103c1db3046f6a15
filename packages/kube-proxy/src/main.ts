#!/usr/bin/env node
// tinykube-proxy: flags → logger → clients → start → signal handling; nothing else.
import { hostname } from 'node:os';
import { isIPv4 } from 'node:net';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { RestClient, loadKubeconfig } from '@tinykube/client';
import { ClusterIPAddresses, DEFAULT_DUMMY_INTERFACE, DummyInterface, loopbackHost } from './ip.js';
import { ProxyMetrics } from './metrics.js';
import { KubeProxy } from './run.js';
import { parseHostPort, startMetricsServer } from './server.js';

function hostPort(v: string): { host: string; port: number } {
  const hp = parseHostPort(v);
  if (!hp) throw new InvalidArgumentError('expected host:port, e.g. 127.0.0.1:10249');
  return hp;
}

function ipv4(v: string): string {
  if (!isIPv4(v)) throw new InvalidArgumentError('expected an IPv4 address');
  return v;
}

interface Flags {
  kubeconfig?: string;
  context?: string;
  nodeName: string;
  bindAddress?: string;
  metricsBindAddress: { host: string; port: number };
  clusterIpMode: 'loopback' | 'dummy';
  dummyInterface: string;
  logLevel: string;
}

const program = new Command('tinykube-proxy')
  .description('Makes ClusterIP:port and <node IP>:nodePort reach the ready endpoints of each Service (TCP).')
  .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: $KUBECONFIG or ~/.kube/config)')
  .option('--context <name>', 'kubeconfig context to use')
  .option('--node-name <name>', 'this node\'s Node object', hostname().toLowerCase())
  .option('--bind-address <ip>', 'address NodePorts are served on (default: the Node\'s InternalIP)', ipv4)
  .addOption(new Option('--metrics-bind-address <host:port>', '/metrics and /healthz (port 0 = any free port; the bound port is logged)').argParser(hostPort).default({ host: '127.0.0.1', port: 10249 }, '127.0.0.1:10249'))
  .addOption(new Option('--cluster-ip-mode <mode>', 'loopback: ClusterIPs are 127.x and need no setup; dummy: add them to a dummy interface (NET_ADMIN)').choices(['loopback', 'dummy']).default('loopback'))
  .option('--dummy-interface <name>', 'the dummy interface of dummy mode', DEFAULT_DUMMY_INTERFACE)
  .option('--log-level <level>', 'pino log level', 'info')
  .parse();

async function main(flags: Flags): Promise<number> {
  const log = pino({ level: flags.logLevel, base: { component: 'kube-proxy', node: flags.nodeName } });
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      log.info({ signal: sig }, 'shutting down');
      stop.abort();
    });
  }

  let host = loopbackHost;
  if (flags.clusterIpMode === 'dummy') {
    const dummy = new DummyInterface({ name: flags.dummyInterface });
    await dummy.init();
    log.info({ ...dummy.device }, 'ClusterIPs go on this device');
    host = dummy;
  }
  const cfg = loadKubeconfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  const client = RestClient.fromKubeconfig(cfg, { userAgent: 'tinykube-proxy/0.1', logger: log });
  const metrics = new ProxyMetrics({ defaultMetrics: true });
  const proxy = new KubeProxy({
    client, nodeName: flags.nodeName, bindAddress: flags.bindAddress,
    addresses: new ClusterIPAddresses(host), metrics, logger: log,
  });
  const server = await startMetricsServer({ ...flags.metricsBindAddress, registry: metrics.registry, ready: () => proxy.hasSynced() });
  log.info({ address: flags.metricsBindAddress.host, port: server.port, server: cfg.server, mode: flags.clusterIpMode }, 'serving metrics and healthz');

  try {
    await proxy.run(stop.signal);
  } finally {
    await server.close();
    await client.close();
  }
  return 0;
}

main(program.opts<Flags>()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    pino({ base: { component: 'kube-proxy' } }).fatal({ err }, 'kube-proxy failed');
    process.exit(1);
  },
);
