import path from 'node:path';
import { stringify } from 'yaml';
import type { ClusterPki } from '@tinykube/pki';
import type { NetworkMode, NetworkRanges, NodeSpec } from './topology.js';

/** Where the built components live (packages/<name>/dist/main.js under the install root). */
export interface ManifestContext {
  root: string;
  dataDir: string;
  /** Each control-plane client's kubeconfig (its own identity). */
  kubeconfigs: { controllerManager: string; scheduler: string; kubeProxy: string };
  /** The cluster PKI's paths (the apiserver's and the store's certificates). */
  pki: ClusterPki;
  controlPlaneIp: string;
  storePort: number;
  apiserverPort: number;
  ranges: NetworkRanges;
  network: NetworkMode;
  /** A bootstrap token the controller-manager makes the Secret of (node-init's token for joining workers). */
  bootstrapTokenFile?: string;
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
  const storeUrl = `https://${ctx.controlPlaneIp}:${ctx.storePort}`;
  const p = ctx.pki;
  return {
    'store.yaml': componentPod('store', 'store', [
      'node', entry(ctx, 'store'), '--data-dir', path.join(ctx.dataDir, 'store'), '--listen-client-urls', storeUrl,
      '--cert-file', p.store.cert, '--key-file', p.store.key, '--trusted-ca-file', p.ca.cert, '--client-cert-auth',
    ]),
    'kube-apiserver.yaml': componentPod('kube-apiserver', 'kube-apiserver', [
      'node', entry(ctx, 'apiserver'), '--bind-address', ctx.controlPlaneIp,
      '--port', String(ctx.apiserverPort), '--service-cluster-ip-range', ctx.ranges.serviceCidr,
      '--etcd-servers', storeUrl, '--etcd-cafile', p.ca.cert, '--etcd-certfile', p.apiserverEtcdClient.cert, '--etcd-keyfile', p.apiserverEtcdClient.key,
      '--tls-cert-file', p.apiserver.cert, '--tls-private-key-file', p.apiserver.key, '--client-ca-file', p.ca.cert,
      '--kubelet-client-certificate', p.apiserverKubeletClient.cert, '--kubelet-client-key', p.apiserverKubeletClient.key,
      '--kubelet-certificate-authority', p.ca.cert, '--authorization-mode', 'Node,RBAC', '--enable-bootstrap-token-auth',
      '--encryption-provider-config', path.join(p.dir, 'encryption-config.yaml'),
      '--audit-log-path', path.join(ctx.dataDir, 'logs', 'audit.log'),
      '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file', p.serviceAccountPub, '--service-account-signing-key-file', p.serviceAccountKey,
    ]),
    'kube-controller-manager.yaml': componentPod('kube-controller-manager', 'kube-controller-manager', [
      'node', entry(ctx, 'controller-manager'), '--kubeconfig', ctx.kubeconfigs.controllerManager, '--cluster-cidr', ctx.ranges.clusterCidr,
      // joining nodes (kubeadm's init does the same): bootstrap tokens signed into cluster-info and cleaned up, kubelet CSRs approved and signed
      '--controllers', '*,bootstrapsigner,tokencleaner', '--cluster-signing-cert-file', p.ca.cert, '--cluster-signing-key-file', p.ca.key,
      '--cluster-info-server', `https://${ctx.controlPlaneIp}:${ctx.apiserverPort}`,
      '--node-cidr-mask-size', String(ctx.ranges.nodeCidrMaskSize), '--bind-address', ctx.controlPlaneIp,
      // kube-root-ca.crt in every namespace (the CA pods' token volumes carry)
      '--root-ca-file', p.ca.cert,
      ...(ctx.bootstrapTokenFile ? ['--bootstrap-token-file', ctx.bootstrapTokenFile] : []),
    ]),
    'kube-scheduler.yaml': componentPod('kube-scheduler', 'kube-scheduler', [
      'node', entry(ctx, 'scheduler'), '--kubeconfig', ctx.kubeconfigs.scheduler, '--bind-address', ctx.controlPlaneIp,
    ]),
  };
}

export function kubeProxyManifest(ctx: ManifestContext, node: NodeSpec): Record<string, unknown> {
  const pod = componentPod('kube-proxy', 'kube-proxy', [
    'node', entry(ctx, 'kube-proxy'), '--kubeconfig', ctx.kubeconfigs.kubeProxy, '--node-name', node.name,
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
