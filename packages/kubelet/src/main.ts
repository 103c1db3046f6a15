#!/usr/bin/env node
// tinykube-kubelet: flags → logger → client → kubelet → signals.
import { hostname } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import path from 'node:path';
import { parseGoBool, parseGoDuration } from '@tinykube/api';
import { loadKubeconfig, realClock, RestClient } from '@tinykube/client';
import { bootstrapClientCredentials } from './certificates/tls-bootstrap.js';
import { initialServingFiles, obtainServingCertificate } from './certificates/serving-certificate.js';
import { kubeletSecurity, type SecurityFlags } from './auth/setup.js';
import { Kubelet } from './kubelet.js';
import { parseLabels, parseTaints } from './node-status.js';
import { TlsFileError } from './serving-tls.js';

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
  .option('--bootstrap-kubeconfig <file>', 'when --kubeconfig is missing or its certificate expired: a kubeconfig (bootstrap token) to get a client certificate with through the CSR API, written to --cert-dir and --kubeconfig')
  .option('--cert-dir <dir>', 'where TLS bootstrap puts the key and certificate (default <root-dir>/pki)')
  .option('--rotate-server-certificates [bool]', 'without --tls-cert-file: get the serving certificate (node IP and name) through a kubernetes.io/kubelet-serving CSR once the Node is registered, serving a self-signed placeholder until then', checked(parseGoBool))
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
  .option('--node-status-update-frequency <duration>', 'how often node status is checked (e.g. 10s)', checked(parseGoDuration), 10_000)
  .option('--node-lease-renew-interval <duration>', 'how often the node Lease is renewed (tinykube: tests shorten it)', checked(parseGoDuration), 10_000)
  .option('--static-pod-poll-interval <duration>', 'how often the manifest folder is read', checked(parseGoDuration), 5_000)
  // The kubelet API's security (kube's flag names; defaults as kubeadm's KubeletConfiguration, resolved in auth/setup.ts).
  .option('--tls-cert-file <file>', 'serving certificate of the kubelet API, signed by the cluster CA (with --tls-private-key-file: https only; without: plain HTTP with no auth, for tests and benchmarks)')
  .option('--tls-private-key-file <file>', 'key of --tls-cert-file')
  .option('--client-ca-file <file>', 'CA bundle that client certificates are verified against (user = CN, groups = O)')
  .option('--anonymous-auth [bool]', 'serve requests without a credential as system:anonymous (default false)', checked(parseGoBool))
  .option('--authentication-token-webhook [bool]', 'check bearer tokens with TokenReviews (default true with --kubeconfig)', checked(parseGoBool))
  .option('--authentication-token-webhook-cache-ttl <duration>', 'how long TokenReview answers are cached (default 2m)', checked(parseGoDuration))
  .option('--authorization-mode <mode>', 'Webhook (SubjectAccessReviews) or AlwaysAllow (default Webhook with --kubeconfig, else AlwaysAllow)')
  .option('--authorization-webhook-cache-authorized-ttl <duration>', 'how long allowed SubjectAccessReview answers are cached (default 5m)', checked(parseGoDuration))
  .option('--authorization-webhook-cache-unauthorized-ttl <duration>', 'how long denied SubjectAccessReview answers are cached (default 30s)', checked(parseGoDuration))
  .option('--log-level <level>', 'pino log level', 'info')
  .parse();

const flags = program.opts<SecurityFlags & {
  kubeconfig?: string; bootstrapKubeconfig?: string; certDir?: string; rotateServerCertificates?: boolean; nodeName: string; nodeIp: string; address?: string; rootDir: string; podManifestPath?: string;
  registerWithTaints: ReturnType<typeof parseTaints>; nodeLabels: Record<string, string>; port: number; runtime: string;
  podCidr?: string; podNetwork: string; nodeStatusUpdateFrequency: number; nodeLeaseRenewInterval: number; staticPodPollInterval: number; logLevel: string;
}>();

if (flags.runtime !== 'process' && flags.runtime !== 'fake') program.error('--runtime must be process or fake');
if (flags.podNetwork !== 'loopback' && flags.podNetwork !== 'interface') program.error('--pod-network must be loopback or interface');

const log = pino({ level: flags.logLevel, name: 'kubelet', base: { node: flags.nodeName } });
const certDir = flags.certDir ?? path.join(flags.rootDir, 'pki');
if (flags.bootstrapKubeconfig) {
  const kubeconfig = flags.kubeconfig ?? program.error('--bootstrap-kubeconfig needs --kubeconfig (the file it writes)');
  await bootstrapClientCredentials({
    kubeconfig, bootstrapKubeconfig: flags.bootstrapKubeconfig, certDir,
    nodeName: flags.nodeName, log, clock: realClock,
  });
}
const client = flags.kubeconfig
  ? RestClient.fromKubeconfig(loadKubeconfig({ kubeconfig: flags.kubeconfig }), { userAgent: 'tinykube-kubelet/0.1', logger: log })
  : undefined;
if (!client) log.warn({}, 'no --kubeconfig: standalone mode, running static pods only');

let servingFromCsr = false;
if (flags.rotateServerCertificates && !flags.tlsCertFile) {
  if (!client) program.error('--rotate-server-certificates needs --kubeconfig');
  const files = await initialServingFiles(certDir, flags.nodeName, new Date());
  flags.tlsCertFile = files.cert;
  flags.tlsPrivateKeyFile = files.key;
  servingFromCsr = !files.issued;
}

let security: ReturnType<typeof kubeletSecurity>;
try {
  security = kubeletSecurity(flags, { client, nodeName: flags.nodeName, log });
} catch (err) {
  log.fatal({ err, file: err instanceof TlsFileError ? err.file : undefined }, 'kubelet API security cannot be set up');
  process.exit(1);
}

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
  tls: security.tls,
  auth: security.auth,
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
  () => {
    log.info({ port: kubelet.port, rootDir: flags.rootDir }, 'kubelet started');
    if (servingFromCsr && client) {
      void obtainServingCertificate({
        client, nodeName: flags.nodeName, nodeIP: flags.nodeIp, certDir, clock: realClock, log, onIssued: (tls) => kubelet.setServingCertificate(tls),
      });
    }
  },
  (err: unknown) => {
    log.error({ err }, 'kubelet failed to start');
    process.exit(1);
  },
);
