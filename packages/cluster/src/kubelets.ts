import path from 'node:path';
import type { ComponentSpec } from './supervisor.js';
import type { NodeSpec } from './topology.js';

export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane:NoSchedule';

/** The kubelet of one node: the node's only direct child process. */
export function kubeletSpec(root: string, kubeconfig: string, node: NodeSpec, logDir: string): ComponentSpec {
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
  return {
    name: `kubelet-${node.name}`,
    entry: path.join(root, 'packages', 'kubelet', 'dist', 'main.js'),
    args,
    logFile: path.join(logDir, `kubelet-${node.name}.log`),
  };
}
