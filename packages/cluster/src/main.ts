#!/usr/bin/env node
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { pino } from 'pino';
import { startCluster } from './cluster.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: ${v}`);
  return n;
};

const program = new Command('tinykube-up')
  .description('Runs a local tinykube cluster on this machine: one control-plane node and N workers, each a kubelet process.')
  .option('--data-dir <dir>', 'where the cluster keeps its state, logs and kubeconfig', '.tinykube')
  .option('--fresh', 'delete the data dir first and start a new cluster', false)
  .option('--workers <n>', 'number of worker nodes', int, 3)
  .option('--node-ip-prefix <a.b.c>', 'node IPs are <prefix>.1 (control plane), <prefix>.2, ... on loopback', '127.0.1')
  .option('--apiserver-port <port>', 'API server port', int, 6443)
  .option('--store-port <port>', 'store (etcd API) port', int, 2379)
  .option('--log-level <level>', 'log level of this launcher', 'info')
  .parse();

const opts = program.opts<{ dataDir: string; fresh: boolean; workers: number; nodeIpPrefix: string; apiserverPort: number; storePort: number; logLevel: string }>();
const log = pino({ name: 'tinykube-up', level: opts.logLevel });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(opts.dataDir);
if (opts.fresh && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const cluster = await startCluster({ root, dataDir, log, workers: opts.workers, nodeIpPrefix: opts.nodeIpPrefix, apiserverPort: opts.apiserverPort, storePort: opts.storePort });

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

try {
  const secs = await cluster.ready(120_000);
  process.stdout.write(cluster.banner(secs));
} catch (err) {
  log.error({ err, logs: path.join(dataDir, 'logs') }, 'the cluster did not become ready');
  await shutdown('startup-failure');
}
