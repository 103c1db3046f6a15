import { parseGoBool, GoDurationError, parseGoDurationOrError } from '@tinykube/api';
import { Command, InvalidArgumentError } from 'commander';
import type { ManagerOptions } from './runtime/controller.js';

/** A Go duration flag ("40s", "5m", "1m30s", "250ms", "1h") in milliseconds. */
function duration(v: string): number {
  const ms = parseGoDurationOrError(v);
  if (ms instanceof GoDurationError) throw new InvalidArgumentError(ms.message);
  return ms;
}

export interface Flags {
  kubeconfig?: string;
  context?: string;
  leaderElect: boolean;
  leaderElectNamespace: string;
  leaderElectName: string;
  leaderElectLeaseDurationMs: number;
  leaderElectRenewDeadlineMs: number;
  leaderElectRetryPeriodMs: number;
  port: number;
  bindAddress: string;
  logLevel: string;
  /** --root-ca-file: the CA bundle published as kube-root-ca.crt (main.ts reads it into options.rootCA). */
  rootCaFile?: string;
  /** --cluster-signing-cert-file / --cluster-signing-key-file (main.ts reads them into options.clusterSigning). */
  clusterSigningCertFile?: string;
  clusterSigningKeyFile?: string;
  /** --bootstrap-token-file (main.ts reads it into options.bootstrapToken). */
  bootstrapTokenFile?: string;
  options: ManagerOptions;
}

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`not a non-negative integer: ${v}`);
  return n;
};
const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`not a non-negative number: ${v}`);
  return n;
};
/** kube's boolean flags: Go's strconv.ParseBool. */
const bool = (v: string): boolean => {
  try {
    return parseGoBool(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

const CONCURRENT = ['replicaset', 'deployment', 'daemonset', 'endpoints', 'garbagecollector', 'namespace', 'taint-eviction'];
const concurrentFlag = (name: string): string => ({ replicaset: 'replicaset', garbagecollector: 'gc', endpoints: 'endpoint', 'taint-eviction': 'taint-eviction' } as Record<string, string>)[name] ?? name;

/** The command line of tinykube-controller-manager (kube-controller-manager's flag names). */
export function parseFlags(argv: string[]): Flags {
  const cmd = new Command('tinykube-controller-manager')
    .description('Runs the tinykube controllers (ReplicaSet, Deployment, DaemonSet, Endpoints, node lifecycle, taint eviction, GC, namespace, node IPAM, ClusterRole aggregation, ServiceAccount, root CA publisher).')
    .option('--kubeconfig <file>', 'kubeconfig of the apiserver to talk to')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--leader-elect [bool]', 'elect a leader through a Lease before running controllers (as kube, on by default)', (v) => bool(v), true)
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the leader Lease', 'kube-system')
    .option('--leader-elect-resource-name <name>', 'name of the leader Lease', 'kube-controller-manager')
    .option('--leader-elect-lease-duration <d>', 'lease duration', duration, 15_000)
    .option('--leader-elect-renew-deadline <d>', 'renew deadline', duration, 10_000)
    .option('--leader-elect-retry-period <d>', 'retry period', duration, 2_000)
    .option('--controllers <list>', 'comma-separated controllers: * = all, name enables, -name disables', '*')
    .option('--node-monitor-grace-period <d>', 'time a node may be silent before it is marked Unknown', duration, 40_000)
    .option('--pod-eviction-timeout <d>', 'default tolerationSeconds for not-ready/unreachable taints on pods without one', duration, 300_000)
    .option('--node-eviction-rate <qps>', 'nodes per second that may get their first NoExecute taint', num, 0.1)
    .option('--cluster-cidr <cidr>', 'range pod CIDRs are carved from', '10.244.0.0/16')
    .option('--node-cidr-mask-size <n>', 'prefix length of each node\'s pod CIDR', int, 24)
    .option('--allocate-node-cidrs [bool]', 'assign spec.podCIDR to nodes', (v) => bool(v), true)
    .option('--root-ca-file <file>', 'CA bundle published in every namespace as ConfigMap kube-root-ca.crt (without it root-ca-cert-publisher does not run)')
    .option('--cluster-signing-cert-file <file>', 'CA certificate csrsigning issues kubelet and client certificates with (without it csrsigning does not run)')
    .option('--cluster-signing-key-file <file>', 'key of --cluster-signing-cert-file')
    .option('--cluster-signing-duration <d>', 'the longest lifetime of a certificate csrsigning issues', duration, 8760 * 3_600_000)
    .option('--cluster-info-server <url>', 'tinykube: apiserver URL of the kube-public/cluster-info ConfigMap bootstrapsigner creates when missing (with --root-ca-file), as kubeadm init does')
    .option('--bootstrap-token-file <file>', 'tinykube: a bootstrap token (<id>.<secret>) whose kube-system Secret bootstrapsigner creates when missing (node-init\'s token for compose workers), as kubeadm init does')
    .option('--port <n>', 'port for /healthz and /metrics (0 = any free port)', int, 10257)
    .option('--bind-address <ip>', 'address for /healthz and /metrics', '127.0.0.1')
    .option('--log-level <level>', 'trace|debug|info|warn|error', 'info');
  for (const c of CONCURRENT) cmd.option(`--concurrent-${concurrentFlag(c)}-syncs <n>`, `workers for the ${c} controller`, int);
  cmd.exitOverride();
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts();
  const concurrency: Record<string, number> = {};
  for (const c of CONCURRENT) {
    const key = `concurrent${concurrentFlag(c).split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Syncs`;
    if (o[key] !== undefined) concurrency[c] = o[key] as number;
  }
  return {
    kubeconfig: o.kubeconfig as string | undefined,
    context: o.context as string | undefined,
    leaderElect: o.leaderElect === true,
    leaderElectNamespace: o.leaderElectResourceNamespace as string,
    leaderElectName: o.leaderElectResourceName as string,
    leaderElectLeaseDurationMs: o.leaderElectLeaseDuration as number,
    leaderElectRenewDeadlineMs: o.leaderElectRenewDeadline as number,
    leaderElectRetryPeriodMs: o.leaderElectRetryPeriod as number,
    port: o.port as number,
    bindAddress: o.bindAddress as string,
    logLevel: o.logLevel as string,
    rootCaFile: o.rootCaFile as string | undefined,
    clusterSigningCertFile: o.clusterSigningCertFile as string | undefined,
    clusterSigningKeyFile: o.clusterSigningKeyFile as string | undefined,
    bootstrapTokenFile: o.bootstrapTokenFile as string | undefined,
    options: {
      controllers: String(o.controllers).split(',').map((s) => s.trim()).filter(Boolean),
      nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriod as number,
      podEvictionTimeoutSeconds: Math.round((o.podEvictionTimeout as number) / 1000),
      nodeEvictionRate: o.nodeEvictionRate as number,
      clusterCidr: o.clusterCidr as string,
      nodeCidrMaskSize: o.nodeCidrMaskSize as number,
      allocateNodeCidrs: o.allocateNodeCidrs === true,
      clusterSigningDurationMs: o.clusterSigningDuration as number,
      clusterInfoServer: o.clusterInfoServer as string | undefined,
      concurrency,
    },
  };
}
