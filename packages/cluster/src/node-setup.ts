import { isIPv4 } from 'node:net';
import path from 'node:path';
import { writeKubeconfig } from '@tinykube/client';
import { z } from 'zod';
import { kubeletArgs } from './kubelets.js';
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
  /** A copy of the in-cluster kubeconfig (server http://<control-plane-ip>:<port>), e.g. in a shared folder. */
  kubeconfigOut: z.string().optional(),
  /** A kubeconfig for the machine that runs the nodes, with `hostServer` as its server. */
  hostKubeconfigOut: z.string().optional(),
  /** Default: http://127.0.0.1:<apiserver-port>, where docker-compose.yml publishes the apiserver. */
  hostServer: z.url().optional(),
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

export type NodeInitErrorCode = 'InvalidOptions' | 'UnsafeArgument';

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
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  const server = `http://${o.controlPlaneIp}:${o.apiserverPort}`;
  const args = kubeletArgs(kubeconfig, node, 'namespace');
  const unsafe = args.find((a) => !SHELL_SAFE.test(a));
  if (unsafe !== undefined) throw new NodeInitError('UnsafeArgument', `kubelet argument needs shell quoting (use a data dir without spaces or quotes): ${unsafe}`);

  const ctx: ManifestContext = {
    root: o.root, dataDir, kubeconfig, controlPlaneIp: o.controlPlaneIp, storePort: o.storePort, apiserverPort: o.apiserverPort,
    ranges: { clusterCidr: o.clusterCidr, serviceCidr: o.serviceCidr, nodeCidrMaskSize: o.nodeCidrMaskSize },
    network: 'namespace',
  };
  const changedManifests = writeNodeManifests(ctx, node);
  await writeKubeconfig(kubeconfig, { server, name: 'tinykube' });
  if (o.kubeconfigOut) await writeKubeconfig(path.resolve(o.kubeconfigOut), { server, name: 'tinykube' });
  if (o.hostKubeconfigOut) {
    await writeKubeconfig(path.resolve(o.hostKubeconfigOut), { server: o.hostServer ?? `http://127.0.0.1:${o.apiserverPort}`, name: 'tinykube' });
  }
  const flagsFile = path.join(dataDir, 'kubelet-flags.env');
  writeIfChanged(flagsFile, `# written by node-init; sourced by the node's entrypoint\nKUBELET_ARGS="${args.join(' ')}"\n`);
  return { node, kubeconfig, kubeletArgs: args, flagsFile, changedManifests };
}
