import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';
import { spawnProcess, spawnComponent, type Proc } from './process.js';
import { waitFor } from './wait.js';
import { fetch as undiciFetch } from 'undici';
import { ensureTestPki, testDispatcher, testPki } from './pki.js';

/** Where Debian's etcd-server puts the binary; ETCD_BIN overrides. */
export const etcdBinary = process.env.ETCD_BIN ?? '/usr/bin/etcd';

export function haveRealEtcd(): boolean {
  return existsSync(etcdBinary);
}

export interface RunningStore {
  /** Base URL of the client endpoint, e.g. https://127.0.0.1:23790 */
  url: string;
  /** With TLS (the default): the CA and the apiserver's client cert for the store (PEM), for EtcdClient's `tls`. */
  tls?: { ca: string; cert: string; key: string };
  /** The apiserver's flags to reach this store: --etcd-servers, and --etcd-cafile/--etcd-certfile/--etcd-keyfile with TLS. */
  apiserverArgs: string[];
  dataDir: string;
  proc: Proc;
  /** Stops the process and removes the data dir (unless keepData). */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

async function waitHealthy(url: string, proc: Proc, what: string): Promise<void> {
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`${what} exited early:\n${proc.output()}`);
      const res = await undiciFetch(`${url}/v3/maintenance/status`, { method: 'POST', body: '{}', dispatcher: url.startsWith('https:') ? dispatcher() : undefined });
      return res.ok;
    },
    { timeoutMs: 20_000, what: `${what} at ${url}` },
  );
}

let storeDispatcher: ReturnType<typeof testDispatcher> | undefined;
const dispatcher = () => (storeDispatcher ??= testDispatcher(testPki().apiserverEtcdClient));

/** etcd's own TLS flags for a store on the run's PKI (store cert, clients must present a cert of the CA). */
function storeTlsArgs(): string[] {
  const p = testPki();
  return ['--cert-file', p.store.cert, '--key-file', p.store.key, '--trusted-ca-file', p.ca.cert, '--client-cert-auth'];
}

function running(url: string, dataDir: string, proc: Proc): RunningStore {
  const tls = url.startsWith('https:');
  const p = tls ? testPki() : undefined;
  return {
    url,
    dataDir,
    proc,
    tls: p ? { ca: p.caPem, ...p.read(p.apiserverEtcdClient) } : undefined,
    apiserverArgs: p
      ? ['--etcd-servers', url, '--etcd-cafile', p.ca.cert, '--etcd-certfile', p.apiserverEtcdClient.cert, '--etcd-keyfile', p.apiserverEtcdClient.key]
      : ['--etcd-servers', url],
    async close(opts = {}) {
      await proc.stop();
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts a real etcd (Debian's etcd-server) on free loopback ports with a temp data dir. */
export async function startRealEtcd(opts: { dataDir?: string; tls?: boolean } = {}): Promise<RunningStore> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'tk-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const tls = opts.tls ?? true;
  if (tls) await ensureTestPki();
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${client}`;
  const proc = spawnProcess(etcdBinary, [
    '--name', 'tk-test',
    '--data-dir', dataDir,
    '--listen-client-urls', url,
    '--advertise-client-urls', url,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `tk-test=http://127.0.0.1:${peer}`,
    '--log-level', 'error',
    ...(tls ? storeTlsArgs() : []),
  ], { env: { ETCD_UNSUPPORTED_ARCH: process.arch === 'x64' ? '' : process.arch } });
  await waitHealthy(url, proc, 'etcd');
  return running(url, dataDir, proc);
}

/** Starts tinykube-store (from src) on a free loopback port; pass dataDir to reuse data across restarts. */
export async function startTinyStore(opts: { dataDir?: string; args?: string[]; tls?: boolean } = {}): Promise<RunningStore> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'tk-store-'));
  const tls = opts.tls ?? true;
  if (tls) await ensureTestPki();
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${await freePort()}`;
  const proc = spawnComponent('store', ['--data-dir', dataDir, '--listen-client-urls', url, ...(tls ? storeTlsArgs() : []), ...(opts.args ?? [])]);
  await waitHealthy(url, proc, 'tinykube-store');
  return running(url, dataDir, proc);
}
