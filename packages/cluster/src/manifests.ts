import path from 'node:path';
import { stringify } from 'yaml';
import type { NetworkMode, NetworkRanges, NodeSpec } from './topology.js';

/** Where the built components live (packages/<name>/dist/main.js under the install root). */
export interface ManifestContext {
  root: string;
  dataDir: string;
  kubeconfig: string;
  controlPlaneIp: string;
  storePort: number;
  apiserverPort: number;
  ranges: NetworkRanges;
  network: NetworkMode;
}

const entry = (ctx: ManifestContext, pkg: string) => path.join(ctx.root, 'packages', pkg, 'dist', 'main.js');

/**
 * A static pod running one tinykube component with this machine's Node.js (image `node`): the kubelet starts it
 * from its manifest folder with no apiserver, and publishes it as a mirror pod in kube-system once one answers.
 */
function componentPod(name: string, component: string, command: string[], labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component, tier: 'control-plane', ...labels } },
    spec: {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 10,
      containers: [{ name: component, image: 'node:20', command }],
    },
  };
}

export function controlPlaneManifests(ctx: ManifestContext): Record<string, Record<string, unknown>> {
  const storeUrl = `http://${ctx.controlPlaneIp}:${ctx.storePort}`;
  return {
    'store.yaml': componentPod('store', 'store', [
      'node', entry(ctx, 'store'), '--data-dir', path.join(ctx.dataDir, 'store'), '--listen-client-urls', storeUrl,
    ]),
    'kube-apiserver.yaml': componentPod('kube-apiserver', 'kube-apiserver', [
      'node', entry(ctx, 'apiserver'), '--etcd-servers', storeUrl, '--bind-address', ctx.controlPlaneIp,
      '--port', String(ctx.apiserverPort), '--service-cluster-ip-range', ctx.ranges.serviceCidr,
    ]),
    'kube-controller-manager.yaml': componentPod('kube-controller-manager', 'kube-controller-manager', [
      'node', entry(ctx, 'controller-manager'), '--kubeconfig', ctx.kubeconfig, '--cluster-cidr', ctx.ranges.clusterCidr,
      '--node-cidr-mask-size', String(ctx.ranges.nodeCidrMaskSize), '--bind-address', ctx.controlPlaneIp,
    ]),
    'kube-scheduler.yaml': componentPod('kube-scheduler', 'kube-scheduler', [
      'node', entry(ctx, 'scheduler'), '--kubeconfig', ctx.kubeconfig, '--bind-address', ctx.controlPlaneIp,
    ]),
  };
}

export function kubeProxyManifest(ctx: ManifestContext, node: NodeSpec): Record<string, unknown> {
  const pod = componentPod('kube-proxy', 'kube-proxy', [
    'node', entry(ctx, 'kube-proxy'), '--kubeconfig', ctx.kubeconfig, '--node-name', node.name,
    '--bind-address', node.ip, '--metrics-bind-address', `${node.ip}:10249`,
    // In its own network stack a node must hold the ClusterIPs itself; on shared loopback they are already local.
    ...(ctx.network === 'namespace' ? ['--cluster-ip-mode', 'dummy'] : []),
  ], { 'k8s-app': 'kube-proxy' });
  delete (pod.metadata as Record<string, unknown> & { labels: Record<string, string> }).labels.tier;
  return pod;
}

/** The manifests a node's kubelet runs: the control plane's own components there, and kube-proxy everywhere. */
export function nodeManifests(ctx: ManifestContext, node: NodeSpec): Record<string, string> {
  const pods: Record<string, Record<string, unknown>> = node.controlPlane ? controlPlaneManifests(ctx) : {};
  pods['kube-proxy.yaml'] = kubeProxyManifest(ctx, node);
  return Object.fromEntries(Object.entries(pods).map(([file, pod]) => [file, stringify(pod)]));
}
