import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { runningContainers, stopContainers } from './containers.js';
import { ensureCredentials, firstServiceIp, type ClusterCredentials } from './credentials.js';
import { kubeletSpec } from './kubelets.js';
import type { ManifestContext } from './manifests.js';
import { writeNodeManifests } from './node-files.js';
import { waitNodesReady, waitReady } from './ready.js';
import { apiFromKubeconfig } from './api-target.js';
import { Supervised } from './supervisor.js';
import { clusterNodes, LOCAL_RANGES, type NodeSpec } from './topology.js';
import { removedNodes, writeClusterFile } from './cluster-file.js';
import { checkAddressesFree, checkDataDirFree } from './preflight.js';

/** The kubelet API's port (the kubelet's --port default). */
const KUBELET_PORT = 10250;

export interface ClusterOptions {
  root: string;
  dataDir: string;
  log: Logger;
  workers: number;
  nodeIpPrefix: string;
  apiserverPort: number;
  storePort: number;
}

export interface LocalCluster {
  nodes: NodeSpec[];
  server: string;
  kubeconfig: string;
  /** Resolves with the seconds it took once the API server answers and every node is Ready. */
  /** Waits for the API server and every node; `progress` hears one line per step. Resolves to the seconds taken. */
  ready(timeoutMs: number, progress?: (line: string) => void): Promise<number>;
  banner(secs: number): string;
  /** Stops the kubelets, then the containers they left running (the control plane included). */
  stop(): Promise<void>;
  /** Stops the nodes listed as removed (by `remove-worker`) for good: their kubelets and containers. */
  removeNodes(): Promise<void>;
}

/** What the local nodes' manifests need: the control plane's flags, files and identities. */
export function manifestContext(o: Pick<ClusterOptions, 'root' | 'dataDir' | 'storePort' | 'apiserverPort'>, creds: ClusterCredentials, controlPlaneIp: string): ManifestContext {
  return {
    root: o.root, dataDir: o.dataDir, pki: creds.pki, controlPlaneIp, storePort: o.storePort, apiserverPort: o.apiserverPort,
    kubeconfigs: { controllerManager: creds.controllerManager, scheduler: creds.scheduler, kubeProxy: creds.kubeProxy },
    ranges: LOCAL_RANGES, network: 'loopback',
  };
}

/** A local node's kubelet with its own kubeconfig and serving cert. */
export function localKubelet(root: string, creds: ClusterCredentials, n: NodeSpec, logDir: string) {
  const serving = creds.pki.node(n.name).serving;
  return kubeletSpec(root, creds.kubelet(n.name), n, logDir, { cert: serving.cert, key: serving.key, clientCa: creds.pki.ca.cert });
}

export async function startCluster(o: ClusterOptions): Promise<LocalCluster> {
  const started = Date.now();
  const removed = removedNodes(o.dataDir);
  const nodes = clusterNodes({ dataDir: o.dataDir, nodeIpPrefix: o.nodeIpPrefix, workers: o.workers }).filter((n) => !removed.includes(n.name));
  const cp = nodes[0];
  const server = `https://${cp.ip}:${o.apiserverPort}`;
  checkDataDirFree(o.dataDir);
  await checkAddressesFree([
    { ip: cp.ip, port: o.apiserverPort, what: 'the API server' },
    { ip: cp.ip, port: o.storePort, what: 'the store' },
    ...nodes.map((n) => ({ ip: n.ip, port: KUBELET_PORT, what: `the kubelet of ${n.name}` })),
  ], o.dataDir, (a) => (a.what === 'the API server' ? 'pass --apiserver-port PORT' : a.what === 'the store' ? 'pass --store-port PORT' : 'pass --node-ip-prefix 127.0.2 for other node addresses'));
  const logDir = path.join(o.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const creds = await ensureCredentials({
    dataDir: o.dataDir, server, apiserverSans: [cp.ip], kubernetesServiceIp: firstServiceIp(LOCAL_RANGES.serviceCidr),
    storeSans: [cp.ip], nodes: nodes.map((n) => ({ name: n.name, ip: n.ip })),
  });
  const kubeconfig = creds.admin;

  const ctx = manifestContext(o, creds, cp.ip);
  for (const node of nodes) writeNodeManifests(ctx, node);
  const kubelets = new Map(nodes.map((n) => [n.name, new Supervised(localKubelet(o.root, creds, n, logDir), o.log)]));
  for (const k of kubelets.values()) k.start();
  writeClusterFile(o.dataDir, { server, controlPlaneIp: cp.ip, nodeIpPrefix: o.nodeIpPrefix, apiserverPort: o.apiserverPort, storePort: o.storePort, launcherPid: process.pid });

  return {
    nodes,
    server,
    kubeconfig,
    async ready(timeoutMs, progress = () => undefined) {
      const api = apiFromKubeconfig(kubeconfig);
      const t = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
      progress(`starting ${nodes.length} nodes; the control plane (store, API server, scheduler, controller-manager) runs as static pods on ${cp.name}`);
      await waitReady(api, timeoutMs);
      progress(`API server ready at ${server} (store up) after ${t()}`);
      await waitNodesReady(api, nodes.map((n) => n.name), timeoutMs, (name, k) => progress(`node ${k}/${nodes.length} Ready: ${name} after ${t()}`));
      return (Date.now() - started) / 1000;
    },
    banner(secs) {
      const names = nodes.map((n) => `${n.name} (${n.ip})`).join(', ');
      return `
tinykube is up in ${secs.toFixed(1)} s: ${nodes.length} nodes Ready — ${names}.
  API server:  ${server}
  kubeconfig:  ${kubeconfig}
  logs:        ${logDir}

Try:
  export KUBECONFIG=${kubeconfig}
  npx tkctl get nodes
  kubectl get pods -n kube-system -o wide
  curl --cacert ${creds.pki.ca.cert} --cert ${creds.pki.admin.cert} --key ${creds.pki.admin.key} ${server}/api/v1/nodes
Ctrl-C stops everything; the next \`npm start\` resumes the same cluster (--fresh starts over).
`;
    },
    async removeNodes() {
      for (const name of removedNodes(o.dataDir)) {
        const k = kubelets.get(name);
        const node = nodes.find((n) => n.name === name);
        if (!k || !node || node.controlPlane) continue;
        kubelets.delete(name);
        await k.stop();
        await stopContainers(runningContainers(node.rootDir, o.log));
        o.log.info({ node: name }, 'node removed');
      }
    },
    async stop() {
      await Promise.all([...kubelets.values()].map((k) => k.stop()));
      // Workers' containers first, the control plane's (store last of all, by its own grace) after.
      for (const node of [...nodes].reverse()) await stopContainers(runningContainers(node.rootDir, o.log));
    },
  };
}
