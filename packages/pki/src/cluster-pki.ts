/**
 * The cluster's certificates in kubeadm's layout under one folder (`<data-dir>/pki`): made at the first start,
 * kept afterwards (only missing files are made; nothing is rotated), each checked for expiry when loaded.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { certInfo, checkValidity, createCa, generateKeyPair, issueCertificate, type CertAndKey, type CertUsage, type Subject } from './x509.js';

export interface Credential { cert: string; key: string }

export interface ClusterPkiOptions {
  dir: string;
  /** SANs of the apiserver's serving cert (IPs and DNS names it is reached on). */
  apiserverSans: string[];
  /** SANs of the store's serving cert. */
  storeSans: string[];
  /** Nodes whose kubelet gets a client cert (system:node:NAME) and a serving cert (its IP). */
  nodes?: { name: string; ip: string }[];
}

export interface ClusterPki {
  dir: string;
  ca: Credential;
  apiserver: Credential;
  apiserverKubeletClient: Credential;
  apiserverEtcdClient: Credential;
  store: Credential;
  admin: Credential;
  scheduler: Credential;
  controllerManager: Credential;
  kubeProxy: Credential;
  /** The service-account token signing key (private) and its public half. */
  serviceAccountKey: string;
  serviceAccountPub: string;
  /** A node's kubelet credentials: `client` for the apiserver, `serving` for port 10250. */
  node(name: string): { client: Credential; serving: Credential };
}

const pair = (dir: string, base: string): Credential => ({ cert: path.join(dir, `${base}.crt`), key: path.join(dir, `${base}.key`) });

/** The paths of a cluster PKI folder (nothing is read or made). */
export function clusterPki(dir: string): ClusterPki {
  return {
    dir,
    ca: pair(dir, 'ca'),
    apiserver: pair(dir, 'apiserver'),
    apiserverKubeletClient: pair(dir, 'apiserver-kubelet-client'),
    apiserverEtcdClient: pair(dir, 'apiserver-etcd-client'),
    store: pair(dir, 'store/server'),
    admin: pair(dir, 'admin'),
    scheduler: pair(dir, 'scheduler'),
    controllerManager: pair(dir, 'controller-manager'),
    kubeProxy: pair(dir, 'kube-proxy'),
    serviceAccountKey: path.join(dir, 'sa.key'),
    serviceAccountPub: path.join(dir, 'sa.pub'),
    node: (name) => ({ client: pair(dir, `nodes/${name}/kubelet-client`), serving: pair(dir, `nodes/${name}/kubelet`) }),
  };
}

function writeAtomic(file: string, text: string, mode: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

function readPair(c: Credential): CertAndKey {
  return { certPem: readFileSync(c.cert, 'utf8'), keyPem: readFileSync(c.key, 'utf8') };
}

/** Whether an existing serving cert names every SAN wanted now (a new node IP, say): else it is re-issued. */
function coversSans(certFile: string, sans: string[]): boolean {
  const have = new Set(certInfo(readFileSync(certFile, 'utf8')).sans);
  return sans.every((s) => have.has(s));
}

/** Makes whatever of the cluster PKI is missing; checks what exists for expiry (a CertificateError names the file). */
export async function ensureClusterPki(o: ClusterPkiOptions): Promise<ClusterPki> {
  const p = clusterPki(o.dir);
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  let ca: CertAndKey;
  if (existsSync(p.ca.cert) && existsSync(p.ca.key)) {
    ca = readPair(p.ca);
    checkValidity(ca.certPem, p.ca.cert);
  } else {
    ca = await createCa('kubernetes-ca');
    writeAtomic(p.ca.key, ca.keyPem, 0o600);
    writeAtomic(p.ca.cert, ca.certPem, 0o644);
  }
  const ensure = async (c: Credential, subject: Subject, usage: CertUsage, sans: string[] = []) => {
    if (existsSync(c.cert) && existsSync(c.key) && (sans.length === 0 || coversSans(c.cert, sans))) {
      checkValidity(readFileSync(c.cert, 'utf8'), c.cert);
      return;
    }
    const issued = await issueCertificate(ca, { subject, usage, sans });
    writeAtomic(c.key, issued.keyPem, 0o600);
    writeAtomic(c.cert, issued.certPem, 0o644);
  };
  await ensure(p.apiserver, { commonName: 'kube-apiserver' }, 'server', o.apiserverSans);
  await ensure(p.apiserverKubeletClient, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] }, 'client');
  await ensure(p.apiserverEtcdClient, { commonName: 'kube-apiserver-etcd-client' }, 'client');
  await ensure(p.store, { commonName: 'store' }, 'server+client', o.storeSans);
  await ensure(p.admin, { commonName: 'kubernetes-admin', organizations: ['system:masters'] }, 'client');
  await ensure(p.scheduler, { commonName: 'system:kube-scheduler' }, 'client');
  await ensure(p.controllerManager, { commonName: 'system:kube-controller-manager' }, 'client');
  await ensure(p.kubeProxy, { commonName: 'system:kube-proxy' }, 'client');
  for (const n of o.nodes ?? []) await ensureNodeCredentials(p, ca, n);
  if (!existsSync(p.serviceAccountKey) || !existsSync(p.serviceAccountPub)) {
    const keys = await generateKeyPair();
    writeAtomic(p.serviceAccountKey, keys.keyPem, 0o600);
    writeAtomic(p.serviceAccountPub, keys.publicKeyPem, 0o644);
  }
  return p;
}

async function ensureNodeCredentials(p: ClusterPki, ca: CertAndKey, n: { name: string; ip: string }): Promise<void> {
  const { client, serving } = p.node(n.name);
  const make = async (c: Credential, usage: CertUsage, sans: string[]) => {
    if (existsSync(c.cert) && existsSync(c.key) && coversSans(c.cert, sans)) { checkValidity(readFileSync(c.cert, 'utf8'), c.cert); return; }
    const issued = await issueCertificate(ca, { subject: { commonName: `system:node:${n.name}`, organizations: ['system:nodes'] }, usage, sans });
    writeAtomic(c.key, issued.keyPem, 0o600);
    writeAtomic(c.cert, issued.certPem, 0o644);
  };
  await make(client, 'client', []);
  await make(serving, 'server', [n.ip, n.name]);
}
