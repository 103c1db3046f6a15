import { isIPv4 } from 'node:net';
import path from 'node:path';
import { writeKubeconfig } from '@tinykube/client';
import { z } from 'zod';
import { mkdirSync, readFileSync } from 'node:fs';
import { clusterPki } from '@tinykube/pki';
import { ensureCredentials, firstServiceIp } from './credentials.js';
import { DiscoveryError } from './discovery.js';
import { joinWithToken, publishJoinToken, readJoinToken } from './join-token.js';
import { kubeletArgs, type KubeletJoinFiles, type KubeletTlsFiles } from './kubelets.js';
import type { ManifestContext } from './manifests.js';
import { writeIfChanged, writeNodeManifests } from './node-files.js';
import { NAMESPACE_RANGES, nodeSpec, type NodeSpec } from './topology.js';

// node-init's work, apart from its flags: prepare ONE node of a cluster whose nodes each have their own network
// stack (a container of docker-compose.yml, a namespace of scripts/netns-cluster), so that its entrypoint can be
// `node-init && exec kubelet $KUBELET_ARGS` — as kubeadm writes kubeadm-flags.env for the kubelet's unit.

const ipv4 = z.string().refine((v) => isIPv4(v), { message: 'expected an IPv4 address' });
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'expected an IPv4 CIDR such as 10.244.0.0/16');
const port = z.number().int().min(1).max(65535);

export const NodeInitOptionsSchema = z.object({
  /** The install root: packages/<component>/dist/main.js are under it. */
  root: z.string().min(1),
  nodeName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a DNS subdomain (lower case)'),
  nodeIp: ipv4,
  controlPlaneIp: ipv4,
  controlPlane: z.boolean(),
  dataDir: z.string().min(1),
  clusterCidr: cidr.default(NAMESPACE_RANGES.clusterCidr),
  serviceCidr: cidr.default(NAMESPACE_RANGES.serviceCidr),
  nodeCidrMaskSize: z.number().int().min(16).max(28).default(NAMESPACE_RANGES.nodeCidrMaskSize),
  apiserverPort: port.default(6443),
  storePort: port.default(2379),
  /** A copy of the in-cluster admin kubeconfig (server https://<control-plane-ip>:<port>), e.g. in a shared folder. */
  kubeconfigOut: z.string().optional(),
  /** A kubeconfig for the machine that runs the nodes, with `hostServer` as its server. */
  hostKubeconfigOut: z.string().optional(),
  /** Default: https://127.0.0.1:<apiserver-port>, where docker-compose.yml publishes the apiserver. */
  hostServer: z.url().optional(),
  joinTimeoutMs: z.number().int().positive().default(180_000),
  /** Control plane: publish the workers' bootstrap token and the CA pin in this folder (see join-token.ts). */
  joinTokenOut: z.string().optional(),
  /** Worker: join with this bootstrap token and CA pin (`sha256:<hex>`), kubeadm-style, instead of a join folder. */
  joinToken: z.string().regex(/^[a-z0-9]{6}\.[a-z0-9]{16}$/, 'expected a bootstrap token [a-z0-9]{6}.[a-z0-9]{16}').optional(),
  joinCaHash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 hex digits>').optional(),
  /** Worker: read the token and pin from this folder (the control plane's joinTokenOut). */
  joinFrom: z.string().optional(),
});
export type NodeInitOptions = z.input<typeof NodeInitOptionsSchema>;

export interface NodeInitResult {
  node: NodeSpec;
  /** The in-cluster kubeconfig the kubelet and the control plane's static pods use. */
  kubeconfig: string;
  kubeletArgs: string[];
  /** `KUBELET_ARGS="..."`, for a shell to source before `exec node .../kubelet/dist/main.js $KUBELET_ARGS`. */
  flagsFile: string;
  /** Manifests written or rewritten this time (unchanged ones are left alone so their pods keep running). */
  changedManifests: string[];
}

export type NodeInitErrorCode = 'InvalidOptions' | 'UnsafeArgument' | 'NoCredentials';

export class NodeInitError extends Error {
  constructor(readonly code: NodeInitErrorCode, message: string) {
    super(message);
    this.name = 'NodeInitError';
  }
}

/** The shell splits $KUBELET_ARGS on whitespace and would expand quotes and $: refuse paths that need quoting. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function parseNodeInitOptions(input: NodeInitOptions) {
  const r = NodeInitOptionsSchema.safeParse(input);
  if (!r.success) throw new NodeInitError('InvalidOptions', r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  return r.data;
}

/** Writes the node's manifests, kubeconfigs and kubelet flags; safe to run again on every container start. */
export async function initNode(input: NodeInitOptions): Promise<NodeInitResult> {
  const o = parseNodeInitOptions(input);
  const dataDir = path.resolve(o.dataDir);
  const node = nodeSpec(dataDir, o.nodeName, o.nodeIp, o.controlPlane);
  const server = `https://${o.controlPlaneIp}:${o.apiserverPort}`;
  const hostServer = o.hostServer ?? `https://127.0.0.1:${o.apiserverPort}`;
  const ranges = { clusterCidr: o.clusterCidr, serviceCidr: o.serviceCidr, nodeCidrMaskSize: o.nodeCidrMaskSize };
  if (!SHELL_SAFE.test(dataDir)) throw new NodeInitError('UnsafeArgument', `kubelet argument needs shell quoting (use a data dir without spaces or quotes): ${dataDir}`);

  let kubeconfig: string;
  let kubeProxyKubeconfig: string;
  let tls: KubeletTlsFiles | KubeletJoinFiles;
  let bootstrapTokenFile: string | undefined;
  let pki = clusterPki(path.join(dataDir, 'pki'));
  let cmKubeconfig = '';
  let schedulerKubeconfig = '';
  if (o.controlPlane) {
    const creds = await ensureCredentials({
      dataDir, server, apiserverSans: [o.controlPlaneIp, new URL(hostServer).hostname], kubernetesServiceIp: firstServiceIp(o.serviceCidr),
      storeSans: [o.controlPlaneIp], nodes: [{ name: node.name, ip: node.ip }],
    });
    pki = creds.pki;
    mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
    kubeconfig = creds.kubelet(node.name);
    kubeProxyKubeconfig = creds.kubeProxy;
    cmKubeconfig = creds.controllerManager;
    schedulerKubeconfig = creds.scheduler;
    const serving = creds.pki.node(node.name).serving;
    tls = { cert: serving.cert, key: serving.key, clientCa: creds.pki.ca.cert };
    const admin = readFileSync(creds.admin, 'utf8');
    if (o.kubeconfigOut) writeIfChanged(path.resolve(o.kubeconfigOut), admin, 0o600);
    if (o.hostKubeconfigOut) {
      await writeKubeconfig(path.resolve(o.hostKubeconfigOut), {
        server: hostServer, name: 'tinykube', certificateAuthorityPem: readFileSync(pki.ca.cert, 'utf8'),
        clientCertificatePem: readFileSync(pki.admin.cert, 'utf8'), clientKeyPem: readFileSync(pki.admin.key, 'utf8'),
      });
    }
    if (o.joinTokenOut) bootstrapTokenFile = await publishJoinToken(pki.dir, pki.ca.cert, path.resolve(o.joinTokenOut));
  } else if (o.joinToken || o.joinFrom) {
    if (o.joinToken && !o.joinCaHash) throw new NodeInitError('InvalidOptions', 'joinCaHash: a token join needs the CA pin (JOIN_CA_HASH)');
    const given = o.joinToken ? { token: o.joinToken, caHash: o.joinCaHash! } : await readJoinToken(path.resolve(o.joinFrom!), o.joinTimeoutMs);
    if (!given) throw new NodeInitError('NoCredentials', `no join token in ${o.joinFrom} after ${o.joinTimeoutMs / 1000} s (the control plane's node-init writes it with JOIN_TOKEN_OUT)`);
    let joined;
    try {
      joined = await joinWithToken({ dataDir, node, server, token: given.token, caHash: given.caHash, timeoutMs: o.joinTimeoutMs });
    } catch (err) {
      if (!(err instanceof DiscoveryError)) throw err;
      throw new NodeInitError('NoCredentials', `cannot join ${server}: ${err.message}`);
    }
    kubeconfig = joined.kubeconfig;
    kubeProxyKubeconfig = joined.kubeProxyKubeconfig;
    tls = joined.tls;
  } else {
    throw new NodeInitError('InvalidOptions', 'a worker joins with a bootstrap token: JOIN_TOKEN and JOIN_CA_HASH, or JOIN_FROM (the folder the control plane writes them to)');
  }
  const args = kubeletArgs(kubeconfig, node, 'namespace', tls);
  const unsafe = args.find((a) => !SHELL_SAFE.test(a));
  if (unsafe !== undefined) throw new NodeInitError('UnsafeArgument', `kubelet argument needs shell quoting (use a data dir without spaces or quotes): ${unsafe}`);

  const ctx: ManifestContext = {
    root: o.root, dataDir, pki, controlPlaneIp: o.controlPlaneIp, storePort: o.storePort, apiserverPort: o.apiserverPort,
    kubeconfigs: { controllerManager: cmKubeconfig, scheduler: schedulerKubeconfig, kubeProxy: kubeProxyKubeconfig },
    ranges, network: 'namespace', bootstrapTokenFile,
  };
  const changedManifests = writeNodeManifests(ctx, node);
  const flagsFile = path.join(dataDir, 'kubelet-flags.env');
  writeIfChanged(flagsFile, `# written by node-init; sourced by the node's entrypoint\nKUBELET_ARGS="${args.join(' ')}"\n`);
  return { node, kubeconfig, kubeletArgs: args, flagsFile, changedManifests };
}
