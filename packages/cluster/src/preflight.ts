/**
 * `npm start`'s preflight checks (kubeadm's idea): before anything starts, make sure the data dir is not in use
 * by another running launcher and that the addresses the cluster binds are free — or held by this data dir's own
 * containers (they outlive a launcher by design, and the kubelets adopt them). Each failure is one line saying
 * what is wrong and what to do.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { readClusterFile } from './cluster-file.js';

export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

export interface Address { ip: string; port: number; what: string }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** The data dir must not belong to a launcher that is still running. */
export function checkDataDirFree(dataDir: string, self = process.pid): void {
  let pid: number;
  try {
    pid = readClusterFile(dataDir).launcherPid;
  } catch {
    return; // no cluster recorded yet
  }
  if (pid === self || !alive(pid) || !cmdline(pid).includes('cluster/dist/main.js')) return;
  throw new PreflightError(`${dataDir} belongs to a cluster that is running (tinykube-up, pid ${pid}): stop it first (Ctrl-C in its terminal, or kill ${pid}), or start another cluster with --data-dir DIR --node-ip-prefix 127.0.2 --apiserver-port 7443 --store-port 3379`);
}

/** Resolves to the error code when nothing may listen on ip:port (EADDRINUSE, EADDRNOTAVAIL...), undefined when free. */
function tryListen(ip: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    srv.listen({ host: ip, port, exclusive: true }, () => srv.close(() => resolve(undefined)));
  });
}

/** /proc/net/tcp's local address for ip:port, as the kernel writes it (IPv4, little-endian hex). */
function procNetAddress(ip: string, port: number): string {
  const hex = ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0').toUpperCase()).reverse().join('');
  return `${hex}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** The pid listening on ip:port (or on 0.0.0.0:port), from /proc; undefined if it cannot be told. */
export function listenerPid(ip: string, port: number): number | undefined {
  let inode: string | undefined;
  try {
    const want = [procNetAddress(ip, port), procNetAddress('0.0.0.0', port)];
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && want.includes(f[1] ?? '')) { inode = f[9]; break; }
    }
  } catch {
    return undefined;
  }
  if (!inode) return undefined;
  const target = `socket:[${inode}]`;
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${p}/fd`)) if (readlinkSync(`/proc/${p}/fd/${fd}`) === target) return Number(p);
    } catch { /* gone, or not ours to read */ }
  }
  return undefined;
}

/** Whether a process belongs to `dataDir`'s cluster: a container running inside it, or a kubelet pointed at it. */
function ownedBy(pid: number, dataDir: string): boolean {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    if (cwd === dataDir || cwd.startsWith(dataDir + path.sep)) return true;
  } catch { /* not ours to read */ }
  return cmdline(pid).includes(dataDir + path.sep);
}

/** Every address must be free to bind, or already held by this cluster's own processes. */
export async function checkAddressesFree(addresses: Address[], dataDir: string, flagHint: (a: Address) => string): Promise<void> {
  for (const a of addresses) {
    const code = await tryListen(a.ip, a.port);
    if (!code) continue;
    if (code === 'EADDRINUSE') {
      const pid = listenerPid(a.ip, a.port);
      if (pid !== undefined && ownedBy(pid, dataDir)) continue;
      const who = pid !== undefined ? ` by pid ${pid} (${cmdline(pid).slice(0, 80) || 'unknown'})` : '';
      throw new PreflightError(`${a.what} needs ${a.ip}:${a.port}, which is in use${who}: stop that process (another cluster?) or ${flagHint(a)}`);
    }
    throw new PreflightError(`${a.what} cannot listen on ${a.ip}:${a.port} (${code}): ${flagHint(a)}`);
  }
}
