#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { CommanderError } from 'commander';
import { pino } from 'pino';
import { LeaderElector, RestClient, healthCheck, loadKubeconfig, realClock, startHealthServer } from '@tinykube/client';
import { parseFlags, type Flags } from './flags.js';
import { ControllerManager } from './manager.js';
import { readRootCA } from './root-ca.js';
import { ControllerMetrics } from './runtime/metrics.js';

// flags → logger → clients → start → signal handling; nothing else.
let flags: Flags;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  throw err;
}
const log = pino({ level: flags.logLevel }).child({ component: 'controller-manager' });
const identity = `${hostname()}_${randomBytes(4).toString('hex')}`;
const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort(new Error(sig)));

let rootCA: string | undefined;
try {
  rootCA = flags.rootCaFile ? readRootCA(flags.rootCaFile) : undefined;
} catch (err) {
  log.fatal({ err }, 'cannot read --root-ca-file');
  process.exit(1);
}
let clusterSigning: { certPem: string; keyPem: string } | undefined;
try {
  if (flags.clusterSigningCertFile || flags.clusterSigningKeyFile) {
    if (!flags.clusterSigningCertFile || !flags.clusterSigningKeyFile) throw new Error('--cluster-signing-cert-file and --cluster-signing-key-file go together');
    clusterSigning = { certPem: readFileSync(flags.clusterSigningCertFile, 'utf8'), keyPem: readFileSync(flags.clusterSigningKeyFile, 'utf8') };
  }
} catch (err) {
  log.fatal({ err }, 'cannot read the cluster signing CA');
  process.exit(1);
}
let bootstrapToken: string | undefined;
try {
  bootstrapToken = flags.bootstrapTokenFile ? readFileSync(flags.bootstrapTokenFile, 'utf8').trim() : undefined;
} catch (err) {
  log.fatal({ err }, 'cannot read --bootstrap-token-file');
  process.exit(1);
}
const options = { ...flags.options, rootCA, clusterSigning, bootstrapToken };

let cfg: ReturnType<typeof loadKubeconfig>;
try {
  cfg = loadKubeconfig({ kubeconfig: flags.kubeconfig, context: flags.context });
} catch (err) {
  log.fatal({ err, kubeconfig: flags.kubeconfig }, 'cannot load kubeconfig');
  process.exit(1);
}
const client = RestClient.fromKubeconfig(cfg, { userAgent: 'tinykube-controller-manager/0.1', logger: log });
const metrics = new ControllerMetrics();
let manager: ControllerManager | undefined;
const health = await startHealthServer({
  host: flags.bindAddress, port: flags.port, registry: metrics.registry,
  readyz: [healthCheck('informer-sync', () => manager?.hasSynced() ?? !flags.leaderElect, 'caches not synced')],
});
log.info({ port: health.port, server: cfg.server }, 'serving healthz and metrics');

async function lead(signal: AbortSignal): Promise<void> {
  manager = new ControllerManager({ client, log, clock: realClock, options, metrics, identity });
  await manager.run(signal);
}

try {
  if (flags.leaderElect) {
    const elector = new LeaderElector({
      client, namespace: flags.leaderElectNamespace, name: flags.leaderElectName, identity,
      leaseDurationMs: flags.leaderElectLeaseDurationMs, renewDeadlineMs: flags.leaderElectRenewDeadlineMs, retryPeriodMs: flags.leaderElectRetryPeriodMs,
      logger: log,
      onStartedLeading: (signal) => {
        metrics.leader.inc();
        return lead(signal);
      },
      onNewLeader: (leader) => log.info({ leader }, 'leader observed'),
    });
    await elector.run(stop.signal);
    // Like kube-controller-manager: losing the lease ends the process so no stale controller keeps writing.
    if (!stop.signal.aborted) log.error({}, 'leader election lost');
  } else {
    await lead(stop.signal);
  }
} finally {
  await health.close();
  await client.close();
}
process.exit(stop.signal.aborted ? 0 : 1);
