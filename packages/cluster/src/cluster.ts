import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { writeKubeconfig } from '@tinykube/client';
import { runningContainers, stopContainers } from './containers.js';
import { kubeletSpec } from './kubelets.js';
import type { ManifestContext } from './manifests.js';
import { writeNodeManifests } from './node-files.js';
import { waitNodesReady, waitReady } from './ready.js';
import { Supervised } from './supervisor.js';
import { clusterNodes, LOCAL_RANGES, type NodeSpec } from './topology.js';
import { removedNodes, writeClusterFile } from './cluster-file.js';

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
  ready(timeoutMs: number): Promise<number>;
  banner(secs: number): string;
  /** Stops the kubelets, then the containers they left running (the control plane included). */
  stop(): Promise<void>;
  /** Stops the nodes listed as removed (by `remove-worker`) for good: their kubelets and containers. */
  removeNodes(): Promise<void>;
}

export async function startCluster(o: ClusterOptions): Promise<LocalCluster> {
  const started = Date.now();
  const removed = removedNodes(o.dataDir);
  const nodes = clusterNodes({ dataDir: o.dataDir, nodeIpPrefix: o.nodeIpPrefix, workers: o.workers }).filter((n) => !removed.includes(n.name));
  const cp = nodes[0];
  const server = `http://${cp.ip}:${o.apiserverPort}`;
  const kubeconfig = path.join(o.dataDir, 'kubeconfig');
  const logDir = path.join(o.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  await writeKubeconfig(kubeconfig, { server, name: 'tinykube' });

  const ctx: ManifestContext = {
    root: o.root, dataDir: o.dataDir, kubeconfig, controlPlaneIp: cp.ip, storePort: o.storePort, apiserverPort: o.apiserverPort,
    ranges: LOCAL_RANGES, network: 'loopback',
  };
  for (const node of nodes) writeNodeManifests(ctx, node);
  const kubelets = new Map(nodes.map((n) => [n.name, new Supervised(kubeletSpec(o.root, kubeconfig, n, logDir), o.log)]));
  for (const k of kubelets.values()) k.start();
  writeClusterFile(o.dataDir, { server, controlPlaneIp: cp.ip, nodeIpPrefix: o.nodeIpPrefix, apiserverPort: o.apiserverPort, storePort: o.storePort, launcherPid: process.pid });

  return {
    nodes,
    server,
    kubeconfig,
    async ready(timeoutMs) {
      await waitReady(`${server}/readyz`, timeoutMs);
      await waitNodesReady(server, nodes.map((n) => n.name), timeoutMs);
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
  curl ${server}/api/v1/nodes
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
