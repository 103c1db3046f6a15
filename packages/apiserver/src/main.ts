#!/usr/bin/env node
/** tinykube-apiserver: flags → logger → etcd client → server → signals. */
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { EtcdClient } from '@tinykube/etcd-client';
import { createApiServer } from './server.js';
import { buildSecurity, DEFAULT_ADMISSION_PLUGINS, readPem } from './auth/setup.js';
import { createAuditor } from './audit/auditor.js';
import { DEFAULT_POLICY, loadAuditPolicy } from './audit/policy.js';
import { createFileSink } from './audit/sink.js';
import { loadEncryptionConfig } from './storage/encryption/config.js';
import { parseIpv4Cidr, parsePortRange } from './allocation/allocator.js';

function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
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
  .option('--max-requests-inflight <n>', 'read-only requests served at once, split between priority levels (0 = no limit)', int, 400)
  .option('--max-mutating-requests-inflight <n>', 'mutating requests served at once, split between priority levels (0 = no limit)', int, 200)
  .option('--watch-cache-size <events>', 'recent events kept per resource for watches from an older resourceVersion', int, 4096)
  .option('--tls-cert-file <file>', 'serving certificate (PEM); the apiserver serves https only')
  .option('--tls-private-key-file <file>', 'key of --tls-cert-file')
  .option('--client-ca-file <file>', 'CA whose client certificates authenticate users (CN = user, O = groups)')
  .option('--token-auth-file <file>', 'static bearer tokens, CSV: token,user,uid,"group1,group2"')
  .option('--enable-bootstrap-token-auth', 'bootstrap token Secrets (kube-system/bootstrap-token-<id>) authenticate as system:bootstrap:<id>')
  .option('--anonymous-auth <bool>', 'requests with no credential are system:anonymous (else 401)', 'true')
  .option('--authorization-mode <modes>', 'comma-separated authorizers in order: Node, RBAC, AlwaysAllow', 'Node,RBAC')
  .option('--enable-admission-plugins <plugins>', 'admission plugins in order (besides RBAC\'s escalation check, always on with RBAC)', DEFAULT_ADMISSION_PLUGINS)
  .option('--etcd-cafile <file>', 'CA of the store\'s serving certificate')
  .option('--etcd-certfile <file>', 'client certificate for the store')
  .option('--etcd-keyfile <file>', 'key of --etcd-certfile')
  .option('--kubelet-client-certificate <file>', 'client certificate for kubelets (logs, exec, attach, port-forward)')
  .option('--kubelet-client-key <file>', 'key of --kubelet-client-certificate')
  .option('--kubelet-certificate-authority <file>', 'CA of the kubelets\' serving certificates')
  .option('--audit-policy-file <file>', 'audit.k8s.io/v1 Policy (default with --audit-log-path: Metadata for every request)')
  .option('--audit-log-path <file>', 'write audit events here, one JSON line each ("-" = stdout); no auditing without it')
  .option('--encryption-provider-config <file>', 'apiserver.config.k8s.io/v1 EncryptionConfiguration: what is encrypted at rest, with which keys')
  .option('--service-account-issuer <url>', 'iss of service-account tokens (repeatable: the first signs, all are accepted)', collect, [])
  .option('--service-account-key-file <file>', 'PEM public (or private) keys verifying service-account tokens (repeatable)', collect, [])
  .option('--service-account-signing-key-file <file>', 'PEM private key signing service-account tokens (TokenRequest)')
  .option('--service-account-max-token-expiration <seconds>', 'longest lifetime of a requested token', int)
  .option('--service-account-jwks-uri <url>', 'jwks_uri in /.well-known/openid-configuration')
  .option('--api-audiences <list>', 'comma-separated audiences the apiserver accepts (default: the first issuer)')
  .option('--log-level <level>', 'pino log level', 'info');

program.parse();
const flags = program.opts<{
  etcdServers: string; etcdPrefix: string; bindAddress: string; port: number; advertiseAddress?: string;
  serviceClusterIpRange: string; serviceNodePortRange: string; eventTtl: number; watchBookmarkInterval: number; watchCacheSize: number; maxRequestsInflight: number; maxMutatingRequestsInflight: number; logLevel: string;
  tlsCertFile?: string; tlsPrivateKeyFile?: string; clientCaFile?: string; tokenAuthFile?: string; enableBootstrapTokenAuth?: boolean; anonymousAuth: string; authorizationMode: string; enableAdmissionPlugins: string;
  etcdCafile?: string; etcdCertfile?: string; etcdKeyfile?: string;
  kubeletClientCertificate?: string; kubeletClientKey?: string; kubeletCertificateAuthority?: string;
  auditPolicyFile?: string; auditLogPath?: string; encryptionProviderConfig?: string;
  serviceAccountIssuer: string[]; serviceAccountKeyFile: string[]; serviceAccountSigningKeyFile?: string;
  serviceAccountMaxTokenExpiration?: number; serviceAccountJwksUri?: string; apiAudiences?: string;
}>();

const log = pino({ name: 'apiserver', level: flags.logLevel });
if (!flags.tlsCertFile || !flags.tlsPrivateKeyFile) {
  log.fatal('--tls-cert-file and --tls-private-key-file are required: the apiserver serves https only');
  process.exit(2);
}
let setup;
let encryption;
let auditSink: ReturnType<typeof createFileSink> | undefined;
let auditor;
try {
  setup = await buildSecurity(flags, log);
  encryption = flags.encryptionProviderConfig ? await loadEncryptionConfig(flags.encryptionProviderConfig) : undefined;
  if (flags.auditLogPath) {
    auditSink = createFileSink({ path: flags.auditLogPath, log });
    auditor = createAuditor({ policy: flags.auditPolicyFile ? await loadAuditPolicy(flags.auditPolicyFile) : DEFAULT_POLICY, sink: auditSink, log });
  }
} catch (err) {
  log.fatal({ reason: (err as Error).message }, 'apiserver cannot start');
  process.exit(2);
}
const etcdTls = flags.etcdCafile || flags.etcdCertfile ? { ca: readPem(flags.etcdCafile), cert: readPem(flags.etcdCertfile), key: readPem(flags.etcdKeyfile) } : undefined;
const etcd = new EtcdClient({ endpoints: flags.etcdServers.split(',').map((s) => s.trim()).filter(Boolean), tls: etcdTls });
const api = createApiServer({
  tls: setup.tls, security: setup.security, kubeletTls: setup.kubeletTls, admission: setup.admission, encryption, auditor,
  etcd, log,
  etcdPrefix: flags.etcdPrefix,
  serviceClusterIpRange: flags.serviceClusterIpRange,
  serviceNodePortRange: flags.serviceNodePortRange,
  advertiseAddress: flags.advertiseAddress,
  eventTtlSeconds: flags.eventTtl,
  bookmarkIntervalMs: flags.watchBookmarkInterval,
  watchCacheCapacity: Math.max(1, flags.watchCacheSize),
  inflight: { maxRequestsInflight: flags.maxRequestsInflight, maxMutatingRequestsInflight: flags.maxMutatingRequestsInflight },
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
    await auditSink?.close();
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
  log.info({ address: flags.bindAddress, port, url: `https://${flags.bindAddress}:${port}` }, 'apiserver listening');
  await api.start();
  log.info({ port }, 'apiserver ready');
} catch (err) {
  log.fatal({ err }, 'apiserver failed to start');
  process.exit(1);
}
