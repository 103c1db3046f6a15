// The control plane of the benches (bench:controllers, bench:node): tinykube-store, tinykube-apiserver,
// tinykube-scheduler and tinykube-controller-manager as processes started from their builds (dist/), all on
// 127.0.0.1 with free ports. Ranges no test uses: service CIDR 127.99.0.0/16, pod CIDRs from 127.9.0.0/16.
// Closed as a cluster is: on testkit's PKI (ensureTestPki makes one for this process), the store serves https with
// client-cert auth, the apiserver https only with its security flags (Node,RBAC), and the scheduler and the
// controller-manager run with their own identities (system:kube-scheduler, system:kube-controller-manager).
// Their health/metrics ports stay plain http.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fetch, type Dispatcher } from 'undici';
import {
  apiserverTlsArgs, ensureTestPki, freePort, repoRoot, spawnProcess, testDispatcher, waitFor, writeTestKubeconfig, type Proc,
} from '@tinykube/testkit';

export const SERVICE_CIDR = '127.99.0.0/16';
export const CLUSTER_CIDR = '127.9.0.0/16';

export interface ControlPlaneOptions {
  /** Prefix length of each node's pod CIDR (default 24). */
  nodeCidrMaskSize?: number;
  /** Log level of every component (default warn). */
  logLevel?: string;
}

export interface ControlPlane {
  /** https://127.0.0.1:PORT */
  server: string;
  /** The admin's kubeconfig (the bench's own identity); components get their own (see writeTestKubeconfig). */
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

async function waitOk(url: string, proc: Proc, what: string, dispatcher?: Dispatcher): Promise<void> {
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited:\n${proc.output()}`);
    return (await fetch(url, { ...(url.includes('/v3/') ? { method: 'POST', body: '{}' } : {}), dispatcher })).ok;
  }, { timeoutMs: 30_000, what });
}

export async function startControlPlane(o: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const logLevel = o.logLevel ?? 'warn';
  const pki = await ensureTestPki();
  const dir = mkdtempSync(path.join(tmpdir(), 'tk-bench-'));
  const started: Proc[] = [];
  const stopAll = async () => {
    for (const p of [...started].reverse()) await p.stop(10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const storeUrl = `https://127.0.0.1:${await freePort()}`;
    const store = spawnDist('store', [
      '--data-dir', path.join(dir, 'store'), '--listen-client-urls', storeUrl, '--log-level', logLevel,
      '--cert-file', pki.store.cert, '--key-file', pki.store.key, '--trusted-ca-file', pki.ca.cert, '--client-cert-auth',
    ]);
    started.push(store);
    await waitOk(`${storeUrl}/v3/maintenance/status`, store, 'tinykube-store', testDispatcher(pki.apiserverEtcdClient));

    const apiPort = await freePort();
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = spawnDist('apiserver', [
      '--etcd-servers', storeUrl, '--etcd-cafile', pki.ca.cert, '--etcd-certfile', pki.apiserverEtcdClient.cert, '--etcd-keyfile', pki.apiserverEtcdClient.key,
      ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(apiPort),
      '--service-cluster-ip-range', SERVICE_CIDR, '--log-level', logLevel,
    ]);
    started.push(apiserver);
    await waitOk(`${server}/readyz`, apiserver, 'apiserver /readyz', testDispatcher(pki.admin));
    const kubeconfig = await writeTestKubeconfig(path.join(dir, 'kubeconfig'), server, pki.admin);
    const schedulerKubeconfig = await writeTestKubeconfig(path.join(dir, 'scheduler.conf'), server, pki.scheduler);
    const cmKubeconfig = await writeTestKubeconfig(path.join(dir, 'controller-manager.conf'), server, pki.controllerManager);

    // One instance of each: no leader election, so nothing waits for a Lease.
    const schedPort = await freePort();
    const scheduler = spawnDist('scheduler', [
      '--kubeconfig', schedulerKubeconfig, '--leader-elect', 'false', '--bind-address', '127.0.0.1', '--port', String(schedPort), '--log-level', logLevel,
    ]);
    started.push(scheduler);
    const cmPort = await freePort();
    const controllerManager = spawnDist('controller-manager', [
      '--kubeconfig', cmKubeconfig, '--leader-elect', 'false', '--bind-address', '127.0.0.1', '--port', String(cmPort),
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
