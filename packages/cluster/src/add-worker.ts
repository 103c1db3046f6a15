import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { readClusterFile, unmarkRemoved } from './cluster-file.js';
import { runningContainers, stopContainers } from './containers.js';
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

/**
 * Joins one more worker to the running local cluster in `dataDir`: its kube-proxy manifest and its kubelet,
 * supervised by this process (the node's only child, as for every node). Stopping this process stops the node.
 */
export function addWorker(o: { root: string; dataDir: string; log: Logger; name?: string }): AddedWorker {
  const c = readClusterFile(o.dataDir);
  const picked = o.name ? { name: o.name, hostNumber: Number(/^worker-(\d+)$/.exec(o.name)?.[1] ?? NaN) + 1 } : nextWorker(o.dataDir);
  if (!Number.isInteger(picked.hostNumber) || picked.hostNumber < 2 || picked.hostNumber > 254) throw new Error(`worker names are worker-1 … worker-253, not "${o.name}"`);
  unmarkRemoved(o.dataDir, picked.name);
  const node = workerSpec({ dataDir: o.dataDir, nodeIpPrefix: c.nodeIpPrefix }, picked.name, picked.hostNumber);
  const kubeconfig = path.join(o.dataDir, 'kubeconfig');
  writeNodeManifests({
    root: o.root, dataDir: o.dataDir, kubeconfig, controlPlaneIp: c.controlPlaneIp, storePort: c.storePort, apiserverPort: c.apiserverPort,
    ranges: LOCAL_RANGES, network: 'loopback',
  }, node);
  const kubelet = new Supervised(kubeletSpec(o.root, kubeconfig, node, path.join(o.dataDir, 'logs')), o.log);
  kubelet.start();
  return {
    node,
    ready: (timeoutMs) => waitNodesReady(c.server, [node.name], timeoutMs),
    async stop() {
      await kubelet.stop();
      await stopContainers(runningContainers(node.rootDir, o.log));
    },
  };
}
