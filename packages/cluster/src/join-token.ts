/**
 * node-init's token join (issue #9), the kubeadm way instead of pre-issued credentials:
 * - control plane (`--join-token-out DIR`): one bootstrap token for the cluster's workers, kept in the PKI folder
 *   (the controller-manager creates its Secret: `--bootstrap-token-file`), written with the CA's pin to
 *   `DIR/join-token` and `DIR/ca-cert-hash` for the workers;
 * - worker (`--join-token` + `--join-ca-hash`, or `--join-from DIR` to read them there): discovery with the token
 *   and pin, then the kubelet bootstraps its certificates through the CSR API.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateBootstrapToken } from '@tinykube/api';
import { caCertHash } from '@tinykube/pki';
import { joinDiscovery } from './discovery.js';
import type { KubeletJoinFiles } from './kubelets.js';
import { writeIfChanged } from './node-files.js';
import type { NodeSpec } from './topology.js';

export const JOIN_TOKEN_FILE = 'join-token';
export const CA_HASH_FILE = 'ca-cert-hash';

/** Control plane: the workers' token (made once), published with the CA pin in `outDir`; returns the token's file. */
export async function publishJoinToken(pkiDir: string, caCertFile: string, outDir: string): Promise<string> {
  const tokenFile = path.join(pkiDir, 'bootstrap-token');
  if (!existsSync(tokenFile)) {
    const t = generateBootstrapToken();
    writeIfChanged(tokenFile, `${t.id}.${t.secret}\n`, 0o600);
  }
  const token = readFileSync(tokenFile, 'utf8');
  writeIfChanged(path.join(outDir, JOIN_TOKEN_FILE), token, 0o600);
  writeIfChanged(path.join(outDir, CA_HASH_FILE), `${await caCertHash(readFileSync(caCertFile, 'utf8'))}\n`, 0o644);
  return tokenFile;
}

/** Worker: the token and pin from the control plane's `outDir`, waiting up to timeoutMs for them to appear. */
export async function readJoinToken(dir: string, timeoutMs: number): Promise<{ token: string; caHash: string } | undefined> {
  const deadline = Date.now() + timeoutMs;
  const files = [JOIN_TOKEN_FILE, CA_HASH_FILE].map((f) => path.join(dir, f));
  while (!files.every((f) => existsSync(f))) {
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
  const [token, caHash] = files.map((f) => readFileSync(f, 'utf8').trim());
  return { token: token!, caHash: caHash! };
}

export interface TokenJoin { kubeconfig: string; kubeProxyKubeconfig: string; tls: KubeletJoinFiles }

/**
 * Worker: discovery (retried while the control plane comes up) writes the bootstrap kubeconfig and the cluster CA;
 * the kubelet then writes `kubelet.conf` itself, which kube-proxy uses too (the Node authorizer lets a kubelet read
 * services and endpoints). Done again only while the node has no kubeconfig of its own.
 */
export async function joinWithToken(o: { dataDir: string; node: NodeSpec; server: string; token: string; caHash: string; timeoutMs: number }): Promise<TokenJoin> {
  const dir = path.join(o.dataDir, 'kubeconfigs');
  const kubeconfig = path.join(dir, 'kubelet.conf');
  const bootstrapKubeconfig = path.join(dir, 'bootstrap-kubelet.conf');
  const clientCa = path.join(dir, 'ca.crt');
  if (!existsSync(kubeconfig) || !existsSync(clientCa)) {
    const info = await joinDiscovery({ server: o.server, token: o.token, caCertHashes: [o.caHash], bootstrapKubeconfig, retryForMs: o.timeoutMs });
    writeIfChanged(clientCa, info.caPem, 0o644);
  }
  return { kubeconfig, kubeProxyKubeconfig: kubeconfig, tls: { bootstrapKubeconfig, certDir: path.join(o.node.rootDir, 'pki'), clientCa } };
}
