/**
 * Every identity of a cluster, as kubeadm makes them at `init`: the PKI under `<data-dir>/pki` and one kubeconfig
 * per client (admin, controller-manager, scheduler, kube-proxy, each kubelet) with the CA and its client cert
 * embedded. Made at the first start, kept afterwards; a data dir from a plain-HTTP cluster gains them in place.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeKubeconfig } from '@tinykube/client';
import { ensureClusterPki, type ClusterPki, type Credential } from '@tinykube/pki';

export interface ClusterCredentials {
  pki: ClusterPki;
  /** The apiserver's EncryptionConfiguration: Secrets encrypted with a key made at the first start. */
  encryptionConfig: string;
  /** system:masters: the user's kubeconfig (README: `.tinykube/kubeconfig`). */
  admin: string;
  controllerManager: string;
  scheduler: string;
  kubeProxy: string;
  /** A node's kubelet kubeconfig (system:node:NAME). */
  kubelet(node: string): string;
}

export interface CredentialOptions {
  dataDir: string;
  /** The apiserver's URL as clients in the cluster reach it. */
  server: string;
  /** Where the admin's kubeconfig goes (default `<data-dir>/kubeconfig`). */
  adminKubeconfig?: string;
  /** Every IP and name the apiserver is reached on (node IPs, published host address). */
  apiserverSans: string[];
  /** The first IP of the Service range (the `kubernetes` Service's ClusterIP). */
  kubernetesServiceIp: string;
  storeSans: string[];
  nodes: { name: string; ip: string }[];
}

const KUBERNETES_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

/** The first usable address of an IPv4 CIDR (10.96.0.0/16 → 10.96.0.1). */
export function firstServiceIp(cidr: string): string {
  const [base] = cidr.split('/');
  const n = base.split('.').reduce((a, o) => a * 256 + Number(o), 0) + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function kubeconfigDir(dataDir: string): string {
  return path.join(dataDir, 'kubeconfigs');
}

async function writeFor(file: string, server: string, pki: ClusterPki, c: Credential): Promise<string> {
  await writeKubeconfig(file, {
    server, name: 'tinykube',
    certificateAuthorityPem: readFileSync(pki.ca.cert, 'utf8'),
    clientCertificatePem: readFileSync(c.cert, 'utf8'),
    clientKeyPem: readFileSync(c.key, 'utf8'),
  });
  return file;
}

/**
 * Secrets encrypted at rest with aescbc and a key made once (kept with the PKI). identity comes second so that a
 * data dir from before encryption still reads; the apiserver re-writes such Secrets with the key at start.
 */
export function ensureEncryptionConfig(pkiDir: string): string {
  const file = path.join(pkiDir, 'encryption-config.yaml');
  if (existsSync(file)) return file;
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const text = [
    'apiVersion: apiserver.config.k8s.io/v1', 'kind: EncryptionConfiguration', 'resources:', '- resources: [secrets]', '  providers:',
    `  - aescbc: {keys: [{name: key1, secret: ${randomBytes(32).toString('base64')}}]}`, '  - identity: {}', '',
  ].join('\n');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}

export async function ensureCredentials(o: CredentialOptions): Promise<ClusterCredentials> {
  const pki = await ensureClusterPki({
    dir: path.join(o.dataDir, 'pki'),
    apiserverSans: [...new Set([...o.apiserverSans, '127.0.0.1', 'localhost', ...KUBERNETES_NAMES, o.kubernetesServiceIp])],
    storeSans: [...new Set([...o.storeSans, '127.0.0.1', 'localhost'])],
    nodes: o.nodes,
  });
  const dir = kubeconfigDir(o.dataDir);
  const admin = await writeFor(o.adminKubeconfig ?? path.join(o.dataDir, 'kubeconfig'), o.server, pki, pki.admin);
  const controllerManager = await writeFor(path.join(dir, 'controller-manager.conf'), o.server, pki, pki.controllerManager);
  const scheduler = await writeFor(path.join(dir, 'scheduler.conf'), o.server, pki, pki.scheduler);
  const kubeProxy = await writeFor(path.join(dir, 'kube-proxy.conf'), o.server, pki, pki.kubeProxy);
  for (const n of o.nodes) await writeFor(path.join(dir, `kubelet-${n.name}.conf`), o.server, pki, pki.node(n.name).client);
  const encryptionConfig = ensureEncryptionConfig(pki.dir);
  return { pki, encryptionConfig, admin, controllerManager, scheduler, kubeProxy, kubelet: (node) => path.join(dir, `kubelet-${node}.conf`) };
}
