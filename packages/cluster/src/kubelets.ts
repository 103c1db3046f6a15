import path from 'node:path';
import type { ComponentSpec } from './supervisor.js';
import type { NetworkMode, NodeSpec } from './topology.js';

export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane:NoSchedule';

/** The kubelet of one node: the node's only direct child process. */
export function kubeletSpec(root: string, kubeconfig: string, node: NodeSpec, logDir: string, network: NetworkMode = 'loopback'): ComponentSpec {
  return {
    name: `kubelet-${node.name}`,
    entry: path.join(root, 'packages', 'kubelet', 'dist', 'main.js'),
    args: kubeletArgs(kubeconfig, node, network),
    logFile: path.join(logDir, `kubelet-${node.name}.log`),
  };
}

/** The kubelet's flags for one node: shared by the local launcher and node-init (a container's entrypoint). */
export function kubeletArgs(kubeconfig: string, node: NodeSpec, network: NetworkMode): string[] {
  const args = [
    '--kubeconfig', kubeconfig,
    '--node-name', node.name,
    '--node-ip', node.ip,
    '--root-dir', node.rootDir,
    '--pod-manifest-path', node.manifestDir,
  ];
  if (node.controlPlane) {
    args.push('--register-with-taints', CONTROL_PLANE_TAINT, '--node-labels', 'node-role.kubernetes.io/control-plane=');
  }
  if (network === 'namespace') args.push('--pod-network', 'interface');
  return args;
}
