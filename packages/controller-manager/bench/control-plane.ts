// The control plane of the benches (bench:controllers, bench:node): tinykube-store, tinykube-apiserver,
// tinykube-scheduler and tinykube-controller-manager as processes started from their builds (dist/), all on
// 127.0.0.1 with free ports. Ranges no test uses: service CIDR 127.99.0.0/16, pod CIDRs from 127.9.0.0/16.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeKubeconfig } from '@tinykube/client';
import { freePort, repoRoot, spawnProcess, waitFor, type Proc } from '@tinykube/testkit';

export const SERVICE_CIDR = '127.99.0.0/16';
export const CLUSTER_CIDR = '127.9.0.0/16';

export interface ControlPlaneOptions {
  /** Prefix length of each node's pod CIDR (default 24). */
  nodeCidrMaskSize?: number;
  /** Log level of every component (default warn). */
  logLevel?: string;
}

export interface ControlPlane {
  server: string;
  kubeconfig: string;
  /** A temp folder for the bench's own files too; removed by stop(). */
  dir: string;
  procs: { store: Proc; apiserver: Proc; scheduler: Proc; controllerManager: Proc };
  /** Stops the components (controllers first, store last) and removes `dir`. */
  stop(): Promise<void>;
}

/** Builds the given packages (and what they reference) with `tsc -b`, as the other benches do. */
export function buildDist(packages: string[]): void {
  console.log(`building ${packages.join(', ')} (tsc -b)...`);
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', ...packages.map((p) => `packages/${p}`)], { cwd: repoRoot, stdio: 'inherit' });
}

/** Runs packages/<pkg>/dist/main.js. */
export function spawnDist(pkg: string, args: string[]): Proc {
  return spawnProcess(process.execPath, [path.join(repoRoot, 'packages', pkg, 'dist/main.js'), ...args]);
}

async function waitOk(url: string, proc: Proc, what: string): Promise<void> {
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited:\n${proc.output()}`);
    return (await fetch(url, url.includes('/v3/') ? { method: 'POST', body: '{}' } : {})).ok;
  }, { timeoutMs: 30_000, what });
}

export async function startControlPlane(o: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const logLevel = o.logLevel ?? 'warn';
  const dir = mkdtempSync(path.join(tmpdir(), 'tk-bench-'));
  const started: Proc[] = [];
  const stopAll = async () => {
    for (const p of [...started].reverse()) await p.stop(10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const storeUrl = `http://127.0.0.1:${await freePort()}`;
    const store = spawnDist('store', ['--data-dir', path.join(dir, 'store'), '--listen-client-urls', storeUrl, '--log-level', logLevel]);
    started.push(store);
    await waitOk(`${storeUrl}/v3/maintenance/status`, store, 'tinykube-store');

    const apiPort = await freePort();
    const server = `http://127.0.0.1:${apiPort}`;
    const apiserver = spawnDist('apiserver', [
      '--etcd-servers', storeUrl, '--bind-address', '127.0.0.1', '--port', String(apiPort),
      '--service-cluster-ip-range', SERVICE_CIDR, '--log-level', logLevel,
    ]);
    started.push(apiserver);
    await waitOk(`${server}/readyz`, apiserver, 'apiserver /readyz');
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeKubeconfig(kubeconfig, { server, name: 'bench' });

    // One instance of each: no leader election, so nothing waits for a Lease.
    const schedPort = await freePort();
    const scheduler = spawnDist('scheduler', [
      '--kubeconfig', kubeconfig, '--leader-elect', 'false', '--bind-address', '127.0.0.1', '--port', String(schedPort), '--log-level', logLevel,
    ]);
    started.push(scheduler);
    const cmPort = await freePort();
    const controllerManager = spawnDist('controller-manager', [
      '--kubeconfig', kubeconfig, '--leader-elect', 'false', '--bind-address', '127.0.0.1', '--port', String(cmPort),
      '--cluster-cidr', CLUSTER_CIDR, '--node-cidr-mask-size', String(o.nodeCidrMaskSize ?? 24), '--log-level', logLevel,
    ]);
    started.push(controllerManager);
    await waitOk(`http://127.0.0.1:${schedPort}/readyz`, scheduler, 'scheduler /readyz');
    await waitOk(`http://127.0.0.1:${cmPort}/readyz`, controllerManager, 'controller-manager /readyz');
    return { server, kubeconfig, dir, procs: { store, apiserver, scheduler, controllerManager }, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
