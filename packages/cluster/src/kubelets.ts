import path from 'node:path';
import type { ComponentSpec } from './supervisor.js';
import type { NetworkMode, NodeSpec } from './topology.js';

export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane:NoSchedule';

/** The kubelet's own TLS: its serving cert for port 10250 and the CA of the clients it accepts. */
export interface KubeletTlsFiles { cert: string; key: string; clientCa: string }

/**
 * A joining kubelet's: no certificates yet — TLS bootstrap with a bootstrap-token kubeconfig writes the client one
 * (and `--kubeconfig`) into certDir, and the serving one comes from a kubelet-serving CSR.
 */
export interface KubeletJoinFiles { bootstrapKubeconfig: string; certDir: string; clientCa: string }

/** The kubelet of one node: the node's only direct child process. */
export function kubeletSpec(root: string, kubeconfig: string, node: NodeSpec, logDir: string, tls: KubeletTlsFiles | KubeletJoinFiles, network: NetworkMode = 'loopback'): ComponentSpec {
  return {
    name: `kubelet-${node.name}`,
    entry: path.join(root, 'packages', 'kubelet', 'dist', 'main.js'),
    args: kubeletArgs(kubeconfig, node, network, tls),
    logFile: path.join(logDir, `kubelet-${node.name}.log`),
  };
}

/** The kubelet's flags for one node: shared by the local launcher and node-init (a container's entrypoint). */
export function kubeletArgs(kubeconfig: string, node: NodeSpec, network: NetworkMode, tls: KubeletTlsFiles | KubeletJoinFiles): string[] {
  const args = [
    '--kubeconfig', kubeconfig,
    ...('bootstrapKubeconfig' in tls
      ? ['--bootstrap-kubeconfig', tls.bootstrapKubeconfig, '--cert-dir', tls.certDir, '--rotate-server-certificates', 'true', '--client-ca-file', tls.clientCa]
      : ['--tls-cert-file', tls.cert, '--tls-private-key-file', tls.key, '--client-ca-file', tls.clientCa]),
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
