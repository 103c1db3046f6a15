import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { caCertHash, clusterPki } from '@tinykube/pki';
import type { Logger } from 'pino';
import { createBootstrapToken } from './bootstrap-token.js';
import { readClusterFile, unmarkRemoved } from './cluster-file.js';
import { runningContainers, stopContainers } from './containers.js';
import { apiFromKubeconfig } from './api-target.js';
import { kubeconfigDir } from './credentials.js';
import { joinDiscovery } from './discovery.js';
import { kubeletSpec } from './kubelets.js';
import { writeNodeManifests } from './node-files.js';
import { waitNodesReady } from './ready.js';
import { Supervised } from './supervisor.js';
import { LOCAL_RANGES, workerSpec, type NodeSpec } from './topology.js';

/** The first free `worker-N` (by the node folders in the data dir) and its host number (N + 1). */
export function nextWorker(dataDir: string): { name: string; hostNumber: number } {
  const dir = path.join(dataDir, 'nodes');
  const taken = new Set(existsSync(dir) ? readdirSync(dir) : []);
  for (let n = 1; ; n++) if (!taken.has(`worker-${n}`)) return { name: `worker-${n}`, hostNumber: n + 1 };
}

export interface AddedWorker {
  node: NodeSpec;
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** How long add-worker's bootstrap token lives: enough to join (kubeadm's default is 24 h). */
const TOKEN_TTL_MS = 3_600_000;

/**
 * Joins one more worker to the running local cluster in `dataDir` as `kubeadm join` does: with the admin
 * kubeconfig it makes a bootstrap token, discovers the cluster with that token and the CA's pin (cluster-info,
 * verified), and starts the kubelet with the resulting bootstrap kubeconfig: its client and serving certificates
 * come through the CSR API (approved and signed by the controller-manager), never from the CA key. Its kube-proxy
 * uses the kubelet's kubeconfig. The kubelet is supervised by this process; stopping this process stops the node.
 */
export async function addWorker(o: { root: string; dataDir: string; log: Logger; name?: string }): Promise<AddedWorker> {
  const c = readClusterFile(o.dataDir);
  const picked = o.name ? { name: o.name, hostNumber: Number(/^worker-(\d+)$/.exec(o.name)?.[1] ?? NaN) + 1 } : nextWorker(o.dataDir);
  if (!Number.isInteger(picked.hostNumber) || picked.hostNumber < 2 || picked.hostNumber > 254) throw new Error(`worker names are worker-1 … worker-253, not "${o.name}"`);
  unmarkRemoved(o.dataDir, picked.name);
  const node = workerSpec({ dataDir: o.dataDir, nodeIpPrefix: c.nodeIpPrefix }, picked.name, picked.hostNumber);
  const admin = apiFromKubeconfig(path.join(o.dataDir, 'kubeconfig'));
  const token = await createBootstrapToken(admin, { ttlMs: TOKEN_TTL_MS, description: `tinykube-up add-worker ${node.name}` });
  // the pin is what an operator would pass along with the token (kubeadm's --discovery-token-ca-cert-hash)
  const pki = clusterPki(path.join(o.dataDir, 'pki'));
  const caHash = await caCertHash(readFileSync(pki.ca.cert, 'utf8'));
  const dir = kubeconfigDir(o.dataDir);
  const bootstrapKubeconfig = path.join(dir, `bootstrap-kubelet-${node.name}.conf`);
  await joinDiscovery({ server: c.server, token, caCertHashes: [caHash], bootstrapKubeconfig, retryForMs: 60_000 });
  o.log.info({ node: node.name, caHash }, 'cluster discovered with a bootstrap token');
  const kubeconfig = path.join(dir, `kubelet-${node.name}.conf`);
  writeNodeManifests({
    root: o.root, dataDir: o.dataDir, pki, controlPlaneIp: c.controlPlaneIp, storePort: c.storePort, apiserverPort: c.apiserverPort,
    kubeconfigs: { controllerManager: '', scheduler: '', kubeProxy: kubeconfig }, ranges: LOCAL_RANGES, network: 'loopback',
  }, node);
  const spec = kubeletSpec(o.root, kubeconfig, node, path.join(o.dataDir, 'logs'), { bootstrapKubeconfig, certDir: path.join(node.rootDir, 'pki'), clientCa: pki.ca.cert });
  const kubelet = new Supervised(spec, o.log);
  kubelet.start();
  return {
    node,
    ready: (timeoutMs) => waitNodesReady(admin, [node.name], timeoutMs),
    async stop() {
      await kubelet.stop();
      await stopContainers(runningContainers(node.rootDir, o.log));
    },
  };
}
