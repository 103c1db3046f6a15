import path from 'node:path';

/** One node of the local cluster: its kubelet's identity and folders. */
export interface NodeSpec {
  name: string;
  ip: string;
  controlPlane: boolean;
  rootDir: string;
  manifestDir: string;
}

export interface ClusterLayout {
  dataDir: string;
  /** Node IPs are taken from this /24 on loopback: .1 is the control plane, .2.. the workers. */
  nodeIpPrefix: string;
  workers: number;
}

/** Address ranges of the one-machine shape (ARCHITECTURE.md, Networking). */
export const LOCAL_RANGES = {
  clusterCidr: '127.1.0.0/16',
  serviceCidr: '127.96.0.0/16',
  nodeCidrMaskSize: 24,
} as const;

export const CONTROL_PLANE_NAME = 'control-plane';

export function nodeDir(dataDir: string, name: string): string {
  return path.join(dataDir, 'nodes', name);
}

/** The control-plane node and `workers` workers, named as in docker-compose.yml. */
export function clusterNodes(l: ClusterLayout): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  for (let i = 0; i <= l.workers; i++) {
    const name = i === 0 ? CONTROL_PLANE_NAME : `worker-${i}`;
    nodes.push(workerSpec(l, name, i + 1, i === 0));
  }
  return nodes;
}

export function workerSpec(l: Pick<ClusterLayout, 'dataDir' | 'nodeIpPrefix'>, name: string, hostNumber: number, controlPlane = false): NodeSpec {
  const root = nodeDir(l.dataDir, name);
  return { name, ip: `${l.nodeIpPrefix}.${hostNumber}`, controlPlane, rootDir: root, manifestDir: path.join(root, 'manifests') };
}
