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

export interface NetworkRanges {
  clusterCidr: string;
  serviceCidr: string;
  nodeCidrMaskSize: number;
}

/**
 * How nodes share the network. `loopback`: every node is a loopback address of one network stack (npm start);
 * pod and cluster IPs are 127.x and need no setup. `namespace`: every node has its own network stack (a
 * container, or a Linux network namespace): the kubelet puts its podCIDR on the node and routes to the others'
 * (kubelet `--pod-network interface`), kube-proxy puts ClusterIPs on a dummy device (`--cluster-ip-mode dummy`).
 */
export type NetworkMode = 'loopback' | 'namespace';

/** Address ranges of the one-machine shape (ARCHITECTURE.md, Networking). */
export const LOCAL_RANGES: NetworkRanges = {
  clusterCidr: '127.1.0.0/16',
  serviceCidr: '127.96.0.0/16',
  nodeCidrMaskSize: 24,
};

/** Address ranges of a node per network stack (docker-compose.yml, scripts/netns-cluster): Kubernetes' usual ones. */
export const NAMESPACE_RANGES: NetworkRanges = {
  clusterCidr: '10.244.0.0/16',
  serviceCidr: '10.96.0.0/16',
  nodeCidrMaskSize: 24,
};

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
  return nodeSpec(l.dataDir, name, `${l.nodeIpPrefix}.${hostNumber}`, controlPlane);
}

/** One node's identity and folders under a data dir: the same layout whether it shares the dir or has its own. */
export function nodeSpec(dataDir: string, name: string, ip: string, controlPlane: boolean): NodeSpec {
  const root = nodeDir(dataDir, name);
  return { name, ip, controlPlane, rootDir: root, manifestDir: path.join(root, 'manifests') };
}
