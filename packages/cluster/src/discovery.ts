/**
 * `kubeadm join`'s token discovery (cmd/kubeadm/app/discovery/token): a joining node that knows only the apiserver's
 * address, a bootstrap token and the CA's public-key pin fetches kube-public/cluster-info anonymously without
 * trusting the server yet, checks the ConfigMap's detached JWS signature with the token (only the cluster holding
 * the token's secret can sign), checks that the CA in it matches the pin, fetches it again trusting that CA (the
 * two must match), and writes a bootstrap kubeconfig: the cluster's server and CA, and the token.
 */
import {
  CLUSTER_INFO_KUBECONFIG_KEY, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, detachedSignatureValid, JWS_SIGNATURE_PREFIX, parseBootstrapToken,
} from '@tinykube/api';
import { Backoff, parseKubeconfig, realClock, sleep, writeKubeconfig, type Clock } from '@tinykube/client';
import { caCertHash } from '@tinykube/pki';
import { Agent, fetch as undiciFetch } from 'undici';

export type DiscoveryErrorCode = 'InvalidToken' | 'Unreachable' | 'NoSignature' | 'BadSignature' | 'BadClusterInfo' | 'CaNotPinned' | 'Changed';

export class DiscoveryError extends Error {
  constructor(readonly code: DiscoveryErrorCode, message: string) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

export interface DiscoveryOptions {
  /** https://host:port of the apiserver to ask */
  server: string;
  /** `<id>.<secret>` */
  token: string;
  /** `sha256:<hex>` pins (kubeadm's --discovery-token-ca-cert-hash); one must match the CA */
  caCertHashes: string[];
  timeoutMs?: number;
}

export interface ClusterInfo { server: string; caPem: string }

const PATH = `/api/v1/namespaces/${CLUSTER_INFO_NAMESPACE}/configmaps/${CLUSTER_INFO_NAME}`;

async function fetchClusterInfo(server: string, tls: { ca?: string; insecure: boolean }, timeoutMs: number): Promise<Record<string, string>> {
  const dispatcher = new Agent({ connect: tls.insecure ? { rejectUnauthorized: false } : { ca: tls.ca } });
  try {
    const res = await undiciFetch(server + PATH, { dispatcher, signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    if (!res.ok) throw new DiscoveryError('Unreachable', `GET ${PATH}: HTTP ${res.status}: ${body.slice(0, 200)}`);
    const cm = JSON.parse(body) as { data?: Record<string, string> };
    return cm.data ?? {};
  } catch (err) {
    if (err instanceof DiscoveryError) throw err;
    throw new DiscoveryError('Unreachable', `cannot fetch ${server}${PATH}: ${(err as Error).message}`);
  } finally {
    await dispatcher.close();
  }
}

/** The validated cluster info (server and CA), or a DiscoveryError saying what could not be trusted. */
export async function discoverClusterInfo(o: DiscoveryOptions): Promise<ClusterInfo> {
  const token = parseBootstrapToken(o.token);
  if (!token) throw new DiscoveryError('InvalidToken', 'the bootstrap token must be of the form [a-z0-9]{6}.[a-z0-9]{16}');
  const timeoutMs = o.timeoutMs ?? 10_000;
  const data = await fetchClusterInfo(o.server, { insecure: true }, timeoutMs);
  const kubeconfig = data[CLUSTER_INFO_KUBECONFIG_KEY];
  if (kubeconfig === undefined) throw new DiscoveryError('BadClusterInfo', `there is no ${CLUSTER_INFO_KUBECONFIG_KEY} key in the ${CLUSTER_INFO_NAME} ConfigMap`);
  const signature = data[`${JWS_SIGNATURE_PREFIX}${token.id}`];
  if (!signature) throw new DiscoveryError('NoSignature', `there is no JWS signed token in the ${CLUSTER_INFO_NAME} ConfigMap. This token id "${token.id}" is invalid for this cluster, can't connect`);
  if (!detachedSignatureValid(signature, kubeconfig, token.id, token.secret)) {
    throw new DiscoveryError('BadSignature', `failed to verify JWS signature of received ${CLUSTER_INFO_NAME} object, can't trust this API Server`);
  }
  let cluster;
  try {
    cluster = parseKubeconfig(kubeconfig, CLUSTER_INFO_NAME).clusters[0]?.cluster;
  } catch (err) {
    throw new DiscoveryError('BadClusterInfo', (err as Error).message);
  }
  const caData = cluster?.['certificate-authority-data'];
  if (!cluster || !caData) throw new DiscoveryError('BadClusterInfo', `the ${CLUSTER_INFO_NAME} kubeconfig has no cluster with certificate-authority-data`);
  const caPem = Buffer.from(caData, 'base64').toString('utf8');
  let pin: string;
  try { pin = await caCertHash(caPem); } catch (err) { throw new DiscoveryError('BadClusterInfo', `the CA in ${CLUSTER_INFO_NAME} is not a certificate: ${(err as Error).message}`); }
  if (!o.caCertHashes.map((h) => h.toLowerCase()).includes(pin)) {
    throw new DiscoveryError('CaNotPinned', `cluster CA found in ${CLUSTER_INFO_NAME} ConfigMap is invalid: none of the public keys "${pin}" are pinned`);
  }
  // kubeadm: fetch again over TLS verified with that CA, so the server proves it holds the CA's serving certificate
  const again = await fetchClusterInfo(o.server, { ca: caPem, insecure: false }, timeoutMs);
  if (again[CLUSTER_INFO_KUBECONFIG_KEY] !== kubeconfig) throw new DiscoveryError('Changed', `the second ${CLUSTER_INFO_NAME} ConfigMap retrieved over TLS did not match the first`);
  return { server: cluster.server, caPem };
}

/** What may be fixed by waiting: the apiserver not up yet, or the bootstrapsigner not done signing with a new token. */
const TRANSIENT = new Set<DiscoveryErrorCode>(['Unreachable', 'NoSignature']);

/**
 * Discovery — retried for up to `retryForMs` while the server is unreachable or the token's signature is not there
 * yet, as kubeadm join retries — then the bootstrap kubeconfig the kubelet's `--bootstrap-kubeconfig` takes (0600).
 * An untrusted answer (bad signature, CA not pinned) fails at once.
 */
export async function joinDiscovery(o: DiscoveryOptions & { bootstrapKubeconfig: string; retryForMs?: number; clock?: Clock }): Promise<ClusterInfo> {
  const clock = o.clock ?? realClock;
  const deadline = clock.now() + (o.retryForMs ?? 0);
  const backoff = new Backoff({ initialMs: 250, maxMs: 5_000 });
  let info: ClusterInfo;
  for (;;) {
    try {
      info = await discoverClusterInfo(o);
      break;
    } catch (err) {
      if (!(err instanceof DiscoveryError) || !TRANSIENT.has(err.code) || clock.now() >= deadline) throw err;
      await sleep(clock, Math.min(backoff.next(), Math.max(0, deadline - clock.now())));
    }
  }
  await writeKubeconfig(o.bootstrapKubeconfig, { server: info.server, name: 'tls-bootstrap', certificateAuthorityPem: info.caPem, token: o.token });
  return info;
}
