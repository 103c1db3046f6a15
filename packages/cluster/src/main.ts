#!/usr/bin/env node
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { pino } from 'pino';
import { addWorker } from './add-worker.js';
import { startCluster } from './cluster.js';
import { markRemoved, readClusterFile } from './cluster-file.js';
import { drainAndDelete } from './drain.js';
import { apiFromKubeconfig } from './api-target.js';
import { kubeletPid, parentPid } from './procs.js';
import { nodeDir } from './topology.js';
import { PreflightError } from './preflight.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: ${v}`);
  return n;
};
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const program = new Command('tinykube-up')
  .description('Runs a local tinykube cluster on this machine: one control-plane node and N workers, each a kubelet process.')
  // options after a subcommand's name are that subcommand's (both `up` and `add-worker` have --data-dir)
  .enablePositionalOptions()
  .option('--data-dir <dir>', 'where the cluster keeps its state, logs and kubeconfig', '.tinykube')
  .option('--fresh', 'delete the data dir first and start a new cluster', false)
  .option('--workers <n>', 'number of worker nodes', int, 3)
  .option('--node-ip-prefix <a.b.c>', 'node IPs are <prefix>.1 (control plane), <prefix>.2, ... on loopback', '127.0.1')
  .option('--apiserver-port <port>', 'API server port', int, 6443)
  .option('--store-port <port>', 'store (etcd API) port', int, 2379)
  .option('--log-level <level>', 'log level of this launcher', 'info')
  .action(up);

program.command('add-worker')
  .description('join one more worker (the next free worker-N) to the running cluster; runs until Ctrl-C or remove-worker')
  .option('--data-dir <dir>', 'the running cluster\'s data dir', '.tinykube')
  .option('--name <worker-N>', 'the node name (default: the next free worker-N)')
  .option('--log-level <level>', 'log level', 'info')
  .action(addWorkerCommand);

program.command('remove-worker <name>')
  .description('drain a worker (evict its pods), delete its Node, and stop its kubelet and containers')
  .option('--data-dir <dir>', 'the running cluster\'s data dir', '.tinykube')
  .option('--timeout <seconds>', 'how long the drain may take', int, 120)
  .action(removeWorkerCommand);

await program.parseAsync();

async function up(opts: { dataDir: string; fresh: boolean; workers: number; nodeIpPrefix: string; apiserverPort: number; storePort: number; logLevel: string }): Promise<void> {
  const log = pino({ name: 'tinykube-up', level: opts.logLevel });
  const dataDir = path.resolve(opts.dataDir);
  if (opts.fresh && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster({ root, dataDir, log, workers: opts.workers, nodeIpPrefix: opts.nodeIpPrefix, apiserverPort: opts.apiserverPort, storePort: opts.storePort });
  } catch (err) {
    if (!(err instanceof PreflightError)) throw err;
    process.stderr.write(`tinykube-up: ${err.message}\n`);
    process.exit(1);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping the cluster');
    await cluster.stop();
    log.info('stopped; the next start resumes this cluster (--fresh starts over)');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // `remove-worker` lists the node as removed, then tells this process to stop it.
  process.on('SIGUSR2', () => void cluster.removeNodes());
  try {
    const secs = await cluster.ready(120_000, (line) => process.stdout.write(`tinykube-up: ${line}\n`));
    process.stdout.write(cluster.banner(secs));
  } catch (err) {
    log.error({ err, logs: path.join(dataDir, 'logs') }, 'the cluster did not become ready');
    await shutdown('startup-failure');
  }
}

async function addWorkerCommand(opts: { dataDir: string; name?: string; logLevel: string }): Promise<void> {
  const log = pino({ name: 'tinykube-add-worker', level: opts.logLevel });
  let w: Awaited<ReturnType<typeof addWorker>>;
  try {
    w = await addWorker({ root, dataDir: path.resolve(opts.dataDir), log, name: opts.name });
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await w.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  try {
    await w.ready(60_000);
    process.stdout.write(`node ${w.node.name} (${w.node.ip}) joined and is Ready. Ctrl-C stops it; \`npx tinykube-up remove-worker ${w.node.name}\` drains and removes it.\n`);
  } catch (err) {
    log.error({ err }, 'the new worker did not become Ready');
    await shutdown();
  }
}

async function removeWorkerCommand(name: string, opts: { dataDir: string; timeout: number }): Promise<void> {
  const dataDir = path.resolve(opts.dataDir);
  try {
    const c = readClusterFile(dataDir);
    if (name === 'control-plane') throw new Error('the control-plane node cannot be removed');
    await drainAndDelete(apiFromKubeconfig(path.join(dataDir, 'kubeconfig')), name, { timeoutMs: opts.timeout * 1000, log: (m) => process.stdout.write(`${m}\n`) });
    const kubelet = kubeletPid(nodeDir(dataDir, name));
    const parent = kubelet === undefined ? undefined : parentPid(kubelet);
    if (parent !== undefined && parent !== c.launcherPid) {
      process.kill(parent, 'SIGTERM'); // an `add-worker` process: stopping it stops its node
    } else {
      markRemoved(dataDir, name);
      process.kill(c.launcherPid, 'SIGUSR2');
    }
    process.stdout.write(`node ${name} stopped\n`);
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
