#!/usr/bin/env node
/**
 * tinykube-store: flags → logger → open store → listen → clean shutdown on SIGTERM/SIGINT.
 * Flag names are etcd's, so scripts written for etcd work unchanged.
 */
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { autoCompactionConfig } from './compaction.js';
import { startStore } from './index.js';
import { WalCorruptError } from './wal.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

const program = new Command('tinykube-store')
  .description('An etcd v3.4 JSON-API compatible key-value store')
  .requiredOption('--data-dir <dir>', 'where the WAL and snapshots live')
  .option('--listen-client-urls <urls>', 'client URL to listen on (first of a comma-separated list)', 'http://127.0.0.1:2379')
  .option('--auto-compaction-mode <mode>', 'revision or periodic', 'periodic')
  .option('--auto-compaction-retention <n>', 'revisions to keep (revision mode) or a duration like 5m / hours (periodic)', '0')
  .option('--snapshot-count <n>', 'WAL records between snapshots', int('--snapshot-count'), 10_000)
  .option('--max-request-bytes <n>', 'largest request accepted', int('--max-request-bytes'), 1_572_864)
  .option('--log-level <level>', 'debug, info, warn, error', 'info')
  // etcd flags that a single-member store accepts and ignores, so etcd command lines still work
  .option('--name <name>', 'ignored (etcd compatibility)')
  .option('--advertise-client-urls <urls>', 'ignored (etcd compatibility)');

program.parse();
const flags = program.opts<{
  dataDir: string;
  listenClientUrls: string;
  autoCompactionMode: string;
  autoCompactionRetention: string;
  snapshotCount: number;
  maxRequestBytes: number;
  logLevel: string;
}>();

const log = pino({ level: flags.logLevel, name: 'tinykube-store' });

async function main(): Promise<void> {
  const url = new URL(flags.listenClientUrls.split(',')[0].trim());
  if (url.protocol !== 'http:') throw new Error(`only http:// client URLs are supported, got ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const running = await startStore({
    dataDir: flags.dataDir,
    host,
    port: url.port === '' ? 2379 : Number(url.port),
    logger: log,
    snapshotCount: flags.snapshotCount,
    maxRequestBytes: flags.maxRequestBytes,
    autoCompaction: autoCompactionConfig(flags.autoCompactionMode, flags.autoCompactionRetention),
  });
  log.info({ url: running.url, dataDir: flags.dataDir, rev: running.store.durableRev }, 'serving client requests');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    running
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof WalCorruptError) log.fatal({ err, code: err.code }, 'write-ahead log is corrupt; refusing to start');
  else log.fatal({ err }, 'tinykube-store failed to start');
  process.exit(1);
});
