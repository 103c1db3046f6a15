/**
 * @tinykube/store: an etcd v3.4 JSON-gateway compatible MVCC key-value server.
 * startStore() runs it in-process (tests, embedding); main.ts is the command-line entry point.
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import pino, { type Logger } from 'pino';
import { createStoreServer, type StoreTls } from './server.js';
import { Store, type StoreOptions } from './store.js';

export { Store, STORE_VERSION, type StoreOptions, type StatusInfo, type LeaseTimeToLive } from './store.js';
export { createStoreServer, type ServerOptions, type StoreTls } from './server.js';
export { autoCompactionConfig, parseRetention, type AutoCompactionConfig } from './compaction.js';
export { EtcdServerError, ETCD_ERRORS, type EtcdErrorName } from './errors.js';
export { WalCorruptError } from './wal.js';
export type { Clock } from './lease.js';

export interface StartStoreOptions extends StoreOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  /** Serve https (and, with clientCertAuth, only to clients with a certificate of trustedCa). */
  tls?: StoreTls;
}

export interface RunningStore {
  store: Store;
  server: http.Server;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Stops accepting requests, ends open watches, flushes and closes the WAL. */
  close(): Promise<void>;
}

/** Opens the data directory and serves etcd's JSON API on host:port. */
export async function startStore(opts: StartStoreOptions): Promise<RunningStore> {
  const logger: Logger = opts.logger ?? pino({ level: 'silent' });
  const store = await Store.open({ ...opts, logger });
  const server = createStoreServer({ store, logger, maxRequestBytes: opts.maxRequestBytes, tls: opts.tls });
  const host = opts.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    store,
    server,
    url: `${opts.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}
