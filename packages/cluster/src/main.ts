#!/usr/bin/env node
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { pino } from 'pino';
import { writeKubeconfig } from '@tinykube/client';
import { controlPlaneComponents } from './control-plane.js';
import { Supervised } from './supervisor.js';
import { waitReady } from './ready.js';

const program = new Command('tinykube-up')
  .description('Runs a local tinykube cluster on this machine (today: the control plane).')
  .option('--data-dir <dir>', 'where the cluster keeps its state, logs and kubeconfig', '.tinykube')
  .option('--fresh', 'delete the data dir first and start a new cluster', false)
  .option('--bind-address <ip>', 'address the store and API server listen on', '127.0.0.1')
  .option('--apiserver-port <port>', 'API server port', '6443')
  .option('--store-port <port>', 'store (etcd API) port', '2379')
  .option('--log-level <level>', 'log level of this launcher', 'info')
  .parse();

const opts = program.opts<{ dataDir: string; fresh: boolean; bindAddress: string; apiserverPort: string; storePort: string; logLevel: string }>();
const log = pino({ name: 'tinykube-up', level: opts.logLevel });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(opts.dataDir);

if (opts.fresh && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(path.join(dataDir, 'logs'), { recursive: true });

const server = `http://${opts.bindAddress}:${opts.apiserverPort}`;
const kubeconfig = path.join(dataDir, 'kubeconfig');
await writeKubeconfig(kubeconfig, { server, name: "tinykube" });

const specs = controlPlaneComponents({
  root, dataDir, kubeconfig,
  bindAddress: opts.bindAddress,
  storePort: Number(opts.storePort),
  apiserverPort: Number(opts.apiserverPort),
});
const running = specs.map((s) => new Supervised(s, log));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping the cluster');
  // Clients first, the store last, so nothing writes into a store that is going away.
  for (const r of [...running].reverse()) await r.stop();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const started = Date.now();
for (const r of running) r.start();
try {
  await waitReady(`${server}/readyz`, 60_000);
} catch (err) {
  log.error({ err, logs: path.join(dataDir, 'logs') }, 'the API server did not become ready');
  await shutdown('startup-failure');
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(`
tinykube control plane is up (${secs}s): store, apiserver, scheduler, controller-manager.
  API server:  ${server}
  kubeconfig:  ${kubeconfig}
  logs:        ${path.join(dataDir, 'logs')}

Try:
  curl ${server}/api/v1/namespaces
  KUBECONFIG=${kubeconfig} kubectl get namespaces
Ctrl-C stops everything; the next start resumes the same state (--fresh starts over).
`);
