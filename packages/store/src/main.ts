#!/usr/bin/env node
/**
 * tinykube-store: flags → logger → open store → listen → clean shutdown on SIGTERM/SIGINT.
 * Flag names are etcd's, so scripts written for etcd work unchanged.
 */
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { autoCompactionConfig } from './compaction.js';
import { readFileSync } from 'node:fs';
import { startStore, type StoreTls } from './index.js';
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
  .option('--cert-file <file>', 'serving certificate for client URLs (https)')
  .option('--key-file <file>', 'key of --cert-file')
  .option('--trusted-ca-file <file>', 'CA of client certificates')
  .option('--client-cert-auth', 'refuse clients without a certificate signed by --trusted-ca-file', false)
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
  certFile?: string;
  keyFile?: string;
  trustedCaFile?: string;
  clientCertAuth: boolean;
}>();

const log = pino({ level: flags.logLevel, name: 'tinykube-store' });

function readFile(file: string, flag: string): string {
  try { return readFileSync(file, 'utf8'); } catch (err) { throw new Error(`${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`); }
}

function readTls(): StoreTls | undefined {
  if (!flags.certFile && !flags.keyFile) {
    if (flags.clientCertAuth) throw new Error('--client-cert-auth needs --cert-file, --key-file and --trusted-ca-file');
    return undefined;
  }
  if (!flags.certFile || !flags.keyFile) throw new Error('--cert-file and --key-file go together');
  if (flags.clientCertAuth && !flags.trustedCaFile) throw new Error('--client-cert-auth needs --trusted-ca-file');
  return {
    cert: readFile(flags.certFile, '--cert-file'), key: readFile(flags.keyFile, '--key-file'),
    trustedCa: flags.trustedCaFile ? readFile(flags.trustedCaFile, '--trusted-ca-file') : undefined,
    clientCertAuth: flags.clientCertAuth,
  };
}

async function main(): Promise<void> {
  const url = new URL(flags.listenClientUrls.split(',')[0].trim());
  const tls = readTls();
  if (url.protocol === 'https:' && !tls) throw new Error('an https:// client URL needs --cert-file and --key-file');
  if (url.protocol === 'http:' && tls) throw new Error('--cert-file is given: the client URL must be https://');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`client URLs are http:// or https://, got ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const running = await startStore({
    dataDir: flags.dataDir,
    host,
    port: url.port === '' ? 2379 : Number(url.port),
    logger: log,
    snapshotCount: flags.snapshotCount,
    maxRequestBytes: flags.maxRequestBytes,
    autoCompaction: autoCompactionConfig(flags.autoCompactionMode, flags.autoCompactionRetention),
    tls,
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
