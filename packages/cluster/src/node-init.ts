#!/usr/bin/env node
// node-init: flags (or env) → initNode → a line of log. A container's entrypoint runs it, then execs the kubelet.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { initNode, NodeInitError } from './node-setup.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`not a positive whole number: ${v}`);
  return n;
};
// A boolean flag's env var would be "set" even as CONTROL_PLANE=false (commander), so it is read here instead.
const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

const program = new Command('tinykube-node-init')
  .description("Prepares one node (its static pod manifests, kubeconfigs and the kubelet's flags) for `exec kubelet $KUBELET_ARGS`.")
  .addOption(new Option('--node-name <name>', 'name of the Node').env('NODE_NAME').makeOptionMandatory())
  .addOption(new Option('--node-ip <ip>', "the node's IP (InternalIP)").env('NODE_IP').makeOptionMandatory())
  .addOption(new Option('--control-plane-ip <ip>', "the control-plane node's IP (the apiserver's address)").env('CONTROL_PLANE_IP').makeOptionMandatory())
  .option('--control-plane', 'this node runs the control plane (store, apiserver, controller-manager, scheduler); env CONTROL_PLANE=true')
  .addOption(new Option('--data-dir <dir>', 'node state: manifests, kubelet root, store data, kubeconfig').env('DATA_DIR').default('/var/lib/tinykube'))
  .addOption(new Option('--kubeconfig-out <file>', 'also write the in-cluster kubeconfig here').env('KUBECONFIG_OUT'))
  .addOption(new Option('--host-kubeconfig-out <file>', 'write a kubeconfig for the host here (server: --host-server)').env('HOST_KUBECONFIG_OUT'))
  .addOption(new Option('--host-server <url>', "the apiserver as the host reaches it (default https://127.0.0.1:<apiserver-port>)").env('HOST_SERVER'))
  .addOption(new Option('--cluster-cidr <cidr>', 'pod IP range of the cluster').env('CLUSTER_CIDR').default('10.244.0.0/16'))
  .addOption(new Option('--service-cidr <cidr>', 'ClusterIP range').env('SERVICE_CIDR').default('10.96.0.0/16'))
  .addOption(new Option('--join-token-out <dir>', 'control plane: write the workers\' bootstrap token (join-token) and the CA pin (ca-cert-hash) here').env('JOIN_TOKEN_OUT'))
  .addOption(new Option('--join-token <token>', 'worker: join with this bootstrap token (<id>.<secret>), kubeadm-style').env('JOIN_TOKEN'))
  .addOption(new Option('--join-ca-hash <sha256:hex>', "worker: the CA's public-key pin for --join-token").env('JOIN_CA_HASH'))
  .addOption(new Option('--join-from <dir>', "worker: read --join-token and --join-ca-hash from the control plane's --join-token-out folder").env('JOIN_FROM'))
  .addOption(new Option('--apiserver-port <port>', 'apiserver port').env('APISERVER_PORT').argParser(int).default(6443))
  .addOption(new Option('--store-port <port>', 'store (etcd API) port').env('STORE_PORT').argParser(int).default(2379))
  .parse();

const flags = program.opts<{
  nodeName: string; nodeIp: string; controlPlaneIp: string; controlPlane?: boolean; dataDir: string; kubeconfigOut?: string;
  hostKubeconfigOut?: string; hostServer?: string;
  joinTokenOut?: string; joinToken?: string; joinCaHash?: string; joinFrom?: string; clusterCidr: string; serviceCidr: string; apiserverPort: number; storePort: number;
}>();
const log = pino({ name: 'node-init', base: { node: flags.nodeName } });
// dist/node-init.js → the install root three folders up, as packages/cluster/dist/main.js finds it.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

try {
  const r = await initNode({
    root, nodeName: flags.nodeName, nodeIp: flags.nodeIp, controlPlaneIp: flags.controlPlaneIp,
    controlPlane: flags.controlPlane === true || truthy(process.env.CONTROL_PLANE),
    dataDir: flags.dataDir, kubeconfigOut: flags.kubeconfigOut, hostKubeconfigOut: flags.hostKubeconfigOut, hostServer: flags.hostServer,
    joinTokenOut: flags.joinTokenOut, joinToken: flags.joinToken, joinCaHash: flags.joinCaHash, joinFrom: flags.joinFrom,
    clusterCidr: flags.clusterCidr, serviceCidr: flags.serviceCidr, apiserverPort: flags.apiserverPort, storePort: flags.storePort,
  });
  log.info({ controlPlane: r.node.controlPlane, manifestDir: r.node.manifestDir, changed: r.changedManifests.length, flagsFile: r.flagsFile }, 'node prepared');
} catch (err) {
  if (!(err instanceof NodeInitError)) throw err;
  log.error({ code: err.code, reason: err.message }, 'cannot prepare the node');
  process.exit(2);
}
