#!/usr/bin/env node
// tinykube-kubelet: flags → logger → client → kubelet → signals.
import { hostname } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { loadKubeconfig, RestClient } from '@tinykube/client';
import { parseDuration } from './duration.js';
import { Kubelet } from './kubelet.js';
import { parseLabels, parseTaints } from './node-status.js';

function checked<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0 = any free port)');
  return n;
}

const program = new Command('tinykube-kubelet')
  .description('Registers this node, runs the pods bound to it (and static pods) as OS processes, and reports their status.')
  .option('--kubeconfig <file>', 'kubeconfig of the cluster (omit to run static pods only, with no apiserver)')
  .option('--node-name <name>', 'name of the Node object', hostname().toLowerCase())
  .option('--node-ip <ip>', 'IP address of the node (InternalIP); the kubelet API binds it', '127.0.0.1')
  .option('--address <ip>', 'address for the kubelet API (default: the node IP)')
  .option('--root-dir <dir>', 'where pods, logs, checkpoints and IP allocations live', '/var/lib/tinykube-kubelet')
  .option('--pod-manifest-path <dir>', 'folder of static pod manifests')
  .option('--register-with-taints <taints>', 'key[=value]:Effect,... set on the Node at registration', checked(parseTaints), [])
  .option('--node-labels <labels>', 'k=v,... added to the Node', checked(parseLabels), {})
  .option('--port <port>', 'port of the kubelet API (0 = any free port)', port, 10250)
  .option('--runtime <kind>', 'process (containers are OS processes) or fake (pods run without processes)', 'process')
  .option('--pod-cidr <cidr>', "pod IP range, overriding the Node's spec.podCIDR")
  .option('--pod-network <mode>', 'loopback (one shared network stack: pod IPs are 127.x) or interface (own network stack: podCIDR on lo, routes to other nodes; NET_ADMIN)', 'loopback')
  .option('--node-status-update-frequency <duration>', 'how often node status is checked (e.g. 10s)', checked(parseDuration), 10_000)
  .option('--node-lease-renew-interval <duration>', 'how often the node Lease is renewed (tinykube: tests shorten it)', checked(parseDuration), 10_000)
  .option('--static-pod-poll-interval <duration>', 'how often the manifest folder is read', checked(parseDuration), 5_000)
  .option('--log-level <level>', 'pino log level', 'info')
  .parse();

const flags = program.opts<{
  kubeconfig?: string; nodeName: string; nodeIp: string; address?: string; rootDir: string; podManifestPath?: string;
  registerWithTaints: ReturnType<typeof parseTaints>; nodeLabels: Record<string, string>; port: number; runtime: string;
  podCidr?: string; podNetwork: string; nodeStatusUpdateFrequency: number; nodeLeaseRenewInterval: number; staticPodPollInterval: number; logLevel: string;
}>();

if (flags.runtime !== 'process' && flags.runtime !== 'fake') program.error('--runtime must be process or fake');
if (flags.podNetwork !== 'loopback' && flags.podNetwork !== 'interface') program.error('--pod-network must be loopback or interface');

const log = pino({ level: flags.logLevel, name: 'kubelet', base: { node: flags.nodeName } });
const client = flags.kubeconfig
  ? RestClient.fromKubeconfig(loadKubeconfig({ kubeconfig: flags.kubeconfig }), { userAgent: 'tinykube-kubelet/0.1', logger: log })
  : undefined;
if (!client) log.warn({}, 'no --kubeconfig: standalone mode, running static pods only');

const kubelet = new Kubelet({
  nodeName: flags.nodeName,
  nodeIP: flags.nodeIp,
  address: flags.address,
  rootDir: flags.rootDir,
  podManifestPath: flags.podManifestPath,
  taints: flags.registerWithTaints,
  labels: flags.nodeLabels,
  port: flags.port,
  runtime: flags.runtime as 'process' | 'fake',
  podCIDR: flags.podCidr,
  podNetwork: flags.podNetwork as 'loopback' | 'interface',
  nodeStatusUpdateFrequencyMs: flags.nodeStatusUpdateFrequency,
  heartbeatIntervalMs: flags.nodeLeaseRenewInterval,
  staticPodPollMs: flags.staticPodPollInterval,
  client,
  log,
  defaultMetrics: true,
});

let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    if (stopping) return;
    stopping = true;
    // Containers are left running on purpose: the next kubelet adopts them.
    log.info({ signal: sig }, 'shutting down; containers keep running');
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    void kubelet.shutdown().then(() => process.exit(0), () => process.exit(1));
  });
}

kubelet.start().then(
  () => log.info({ port: kubelet.port, rootDir: flags.rootDir }, 'kubelet started'),
  (err: unknown) => {
    log.error({ err }, 'kubelet failed to start');
    process.exit(1);
  },
);
