#!/usr/bin/env node
// tinykube-scheduler: flags → logger → clients → informers → (leader election) → loop; signals.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { parseGoBool } from '@tinykube/api';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { LeaderElector, RestClient, healthCheck, informerFor, loadKubeconfig, startHealthServer } from '@tinykube/client';
import { SchedulerMetrics } from './metrics.js';
import { RestSchedulerApi, nodesResource, podsResource } from './rest-api.js';
import { Scheduler } from './scheduler.js';

function int(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}]`);
    return n;
  };
}

/** kube's boolean flags: Go's strconv.ParseBool. */
function bool(v: string): boolean {
  try {
    return parseGoBool(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

const program = new Command('tinykube-scheduler')
  .description('Assigns pending pods to nodes.')
  .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: $KUBECONFIG or ~/.kube/config)')
  .option('--leader-elect [bool]', 'run leader election on a Lease so only one scheduler is active', bool, true)
  .option('--lease-name <name>', 'name of the leader election Lease', 'kube-scheduler')
  .option('--lease-namespace <ns>', 'namespace of the leader election Lease', 'kube-system')
  .option('--identity <id>', 'this instance in leader election and events (default: hostname_uuid)')
  .option('--log-level <level>', 'pino log level', 'info')
  .option('--percentage-of-nodes-to-score <pct>', 'share of nodes to find feasible before scoring (0 = adaptive)', int(0, 100), 0)
  .option('--bind-address <addr>', 'address for /healthz and /metrics', '0.0.0.0')
  .option('--port <port>', 'port for /healthz and /metrics (0 = any free port; the bound port is logged)', int(0, 65535), 10259)
  .parse();

interface Flags {
  kubeconfig?: string;
  leaderElect: boolean;
  leaseName: string;
  leaseNamespace: string;
  identity?: string;
  logLevel: string;
  percentageOfNodesToScore: number;
  bindAddress: string;
  port: number;
}

async function main(flags: Flags): Promise<number> {
  const identity = flags.identity ?? `${hostname()}_${randomUUID()}`;
  const log = pino({ level: flags.logLevel, base: { component: 'scheduler', identity } });
  const cfg = loadKubeconfig({ kubeconfig: flags.kubeconfig });
  const client = RestClient.fromKubeconfig(cfg, { userAgent: 'tinykube-scheduler/0.1', logger: log });
  const metrics = new SchedulerMetrics({ defaultMetrics: true });
  const scheduler = new Scheduler({
    api: new RestSchedulerApi(client),
    logger: log,
    identity,
    percentageOfNodesToScore: flags.percentageOfNodesToScore,
    metrics,
  });

  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      log.info({ signal: sig }, 'shutting down');
      stop.abort();
    });
  }

  const pods = informerFor(client, podsResource, { logger: log });
  const nodes = informerFor(client, nodesResource, { logger: log });
  nodes.addEventHandler({
    onAdd: (n) => scheduler.onNodeAdd(n),
    onUpdate: (n, old) => scheduler.onNodeUpdate(old, n),
    onDelete: (n) => scheduler.onNodeDelete(n),
  });
  pods.addEventHandler({
    onAdd: (p) => scheduler.onPodAdd(p),
    onUpdate: (p, old) => scheduler.onPodUpdate(old, p),
    onDelete: (p) => scheduler.onPodDelete(p),
  });

  const health = await startHealthServer({
    port: flags.port,
    host: flags.bindAddress,
    registry: metrics.registry,
    readyz: [healthCheck('informer-sync', () => pods.hasSynced() && nodes.hasSynced(), 'informers not synced')],
  });
  log.info({ address: flags.bindAddress, port: health.port, server: cfg.server }, 'scheduler serving healthz and metrics');
  const gauge = setInterval(() => metrics.setPending(scheduler.queue.lengths()), 1_000);
  gauge.unref();

  // Informers run before and regardless of leadership, so a standby takes over with warm caches.
  nodes.start(stop.signal);
  pods.start(stop.signal);
  try {
    await Promise.all([nodes.synced(), pods.synced()]);
  } catch {
    // stopped before syncing
  }
  log.info({ nodes: scheduler.cache.nodeCount(), pending: scheduler.queue.lengths() }, 'caches synced');

  let code = 0;
  if (stop.signal.aborted) {
    // nothing to run
  } else if (flags.leaderElect) {
    const elector = new LeaderElector({
      client,
      namespace: flags.leaseNamespace,
      name: flags.leaseName,
      identity,
      logger: log,
      onStartedLeading: async (signal) => {
        metrics.isLeader.set(1);
        await scheduler.run(signal);
      },
      onStoppedLeading: () => metrics.isLeader.set(0),
      onNewLeader: (leader) => log.info({ leader }, 'new leader observed'),
    });
    await elector.run(stop.signal);
    // Like kube-scheduler: losing the lease ends the process, and a fresh start campaigns again.
    if (!stop.signal.aborted) {
      log.error({}, 'leader election lost');
      code = 1;
    }
  } else {
    await scheduler.run(stop.signal);
  }

  stop.abort();
  await scheduler.idle();
  clearInterval(gauge);
  await health.close();
  await client.close();
  return code;
}

main(program.opts<Flags>()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    pino({ base: { component: 'scheduler' } }).fatal({ err }, 'scheduler failed');
    process.exit(1);
  },
);
