import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { certInfo } from '@tinykube/pki';
import { repoRoot } from '@tinykube/testkit';
import { initNode, NodeInitError } from './node-setup.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'tk-node-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface PodDoc { metadata: { name: string }; spec: { containers: { command: string[] }[] } }
const manifest = (file: string) => parse(readFileSync(file, 'utf8')) as PodDoc;
const argAfter = (cmd: string[], flag: string) => cmd[cmd.indexOf(flag) + 1];
const kubeconfigServer = (file: string) => (parse(readFileSync(file, 'utf8')) as { clusters: { cluster: { server: string } }[] }).clusters[0]!.cluster.server;

describe('initNode', () => {
  it('writes the control plane and kube-proxy manifests, both kubeconfigs and the kubelet flags of a control-plane node', async () => {
    const dataDir = path.join(dir, 'cp');
    const r = await initNode({
      root: '/opt/tinykube', nodeName: 'control-plane', nodeIp: '172.28.0.11', controlPlaneIp: '172.28.0.11', controlPlane: true, dataDir,
      kubeconfigOut: path.join(dir, 'shared/kubeconfig-incluster'), hostKubeconfigOut: path.join(dir, 'shared/kubeconfig'),
      joinTokenOut: path.join(dir, 'join'),
    });
    expect(readdirSync(r.node.manifestDir).sort()).toEqual(['kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-proxy.yaml', 'kube-scheduler.yaml', 'store.yaml']);
    const cm = manifest(path.join(r.node.manifestDir, 'kube-controller-manager.yaml')).spec.containers[0]!.command;
    expect(cm[1]).toBe('/opt/tinykube/packages/controller-manager/dist/main.js');
    expect(argAfter(cm, '--cluster-cidr')).toBe('10.244.0.0/16');
    const api = manifest(path.join(r.node.manifestDir, 'kube-apiserver.yaml')).spec.containers[0]!.command;
    expect(argAfter(api, '--service-cluster-ip-range')).toBe('10.96.0.0/16');
    expect(argAfter(api, '--bind-address')).toBe('172.28.0.11');
    const store = manifest(path.join(r.node.manifestDir, 'store.yaml')).spec.containers[0]!.command;
    expect(argAfter(store, '--data-dir')).toBe(path.join(dataDir, 'store'));
    const proxy = manifest(path.join(r.node.manifestDir, 'kube-proxy.yaml')).spec.containers[0]!.command;
    expect(argAfter(proxy, '--cluster-ip-mode')).toBe('dummy');

    expect(kubeconfigServer(r.kubeconfig)).toBe('https://172.28.0.11:6443');
    expect(kubeconfigServer(path.join(dir, 'shared/kubeconfig-incluster'))).toBe('https://172.28.0.11:6443');
    expect(kubeconfigServer(path.join(dir, 'shared/kubeconfig'))).toBe('https://127.0.0.1:6443');
    // TLS everywhere: the apiserver and the store serve the cluster's certs; the kubelet is system:node:control-plane
    expect(argAfter(api, '--tls-cert-file')).toBe(path.join(dataDir, 'pki/apiserver.crt'));
    expect(argAfter(api, '--etcd-servers')).toBe('https://172.28.0.11:2379');
    expect(store).toContain('--client-cert-auth');
    expect(certInfo(readFileSync(path.join(dataDir, 'pki/apiserver.crt'), 'utf8')).sans).toEqual(expect.arrayContaining(['172.28.0.11', '127.0.0.1', 'kubernetes.default.svc', '10.96.0.1']));
    const kubeletUser = parse(readFileSync(r.kubeconfig, 'utf8')).users[0].user['client-certificate-data'];
    expect(certInfo(Buffer.from(kubeletUser, 'base64').toString()).subject).toEqual({ commonName: 'system:node:control-plane', organizations: ['system:nodes'] });
    // what workers join with, as kubeadm prints it: a bootstrap token and the CA's pin
    expect(readFileSync(path.join(dir, 'join/join-token'), 'utf8').trim()).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(readFileSync(path.join(dir, 'join/ca-cert-hash'), 'utf8').trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
    const flags = readFileSync(r.flagsFile, 'utf8');
    expect(flags).toMatch(/^KUBELET_ARGS="--kubeconfig \S+ --tls-cert-file \S+ --tls-private-key-file \S+ --client-ca-file \S+ --node-name control-plane --node-ip 172\.28\.0\.11 /m);
    expect(flags).toContain('--register-with-taints node-role.kubernetes.io/control-plane:NoSchedule');
    expect(flags).toContain('--pod-network interface');
  });

  it('gives a worker only kube-proxy, and leaves unchanged manifests untouched on a second run', async () => {
    const o = {
      root: '/opt/tinykube', nodeName: 'worker-1', nodeIp: '172.28.0.12', controlPlaneIp: '172.28.0.11', controlPlane: false, dataDir: path.join(dir, 'w1'),
      joinToken: 'abcdef.0123456789abcdef', joinCaHash: `sha256:${'0'.repeat(64)}`,
    };
    // a node that joined before (its kubelet wrote kubelet.conf) does not run discovery again
    mkdirSync(path.join(o.dataDir, 'kubeconfigs'), { recursive: true });
    for (const f of ['kubelet.conf', 'ca.crt']) writeFileSync(path.join(o.dataDir, 'kubeconfigs', f), 'x');
    const first = await initNode(o);
    expect(readdirSync(first.node.manifestDir)).toEqual(['kube-proxy.yaml']);
    expect(first.changedManifests).toHaveLength(1);
    expect(first.kubeletArgs).not.toContain('--register-with-taints');
    expect((await initNode(o)).changedManifests).toEqual([]);
    expect((await initNode({ ...o, nodeIp: '172.28.0.22' })).changedManifests).toEqual([path.join(first.node.manifestDir, 'kube-proxy.yaml')]);
    expect(first.kubeletArgs).toContain('--bootstrap-kubeconfig');
  });

  it('makes a worker wait for the join token, and refuses a worker with no way to join', async () => {
    const o = { root: '/r', nodeName: 'worker-9', nodeIp: '172.28.0.19', controlPlaneIp: '172.28.0.11', controlPlane: false, dataDir: path.join(dir, 'w9'), joinFrom: path.join(dir, 'nowhere'), joinTimeoutMs: 300 };
    await expect(initNode(o)).rejects.toMatchObject({ code: 'NoCredentials' });
    await expect(initNode({ ...o, joinFrom: undefined })).rejects.toMatchObject({ code: 'InvalidOptions' });
  });

  it('refuses bad addresses and data dirs the shell would split, with stable codes', async () => {
    const o = { root: '/r', nodeName: 'w', nodeIp: '172.28.0.12', controlPlaneIp: '172.28.0.11', controlPlane: false, dataDir: path.join(dir, 'x') };
    await expect(initNode({ ...o, nodeIp: '172.28.0' })).rejects.toMatchObject({ code: 'InvalidOptions' });
    await expect(initNode({ ...o, dataDir: path.join(dir, 'with space') })).rejects.toBeInstanceOf(NodeInitError);
    await expect(initNode({ ...o, dataDir: path.join(dir, 'with space') })).rejects.toMatchObject({ code: 'UnsafeArgument' });
  });
});

describe('node-init (the program)', () => {
  it('takes its settings from the environment, as the container entrypoint passes them', async () => {
    const dataDir = path.join(dir, 'env-cp');
    const { stdout } = await run(process.execPath, ['--conditions=tinykube-src', '--import', 'tsx', path.join(repoRoot, 'packages/cluster/src/node-init.ts')], {
      cwd: repoRoot,
      env: { ...process.env, NODE_NAME: 'control-plane', NODE_IP: '172.28.0.11', CONTROL_PLANE_IP: '172.28.0.11', CONTROL_PLANE: 'true', DATA_DIR: dataDir, HOST_KUBECONFIG_OUT: path.join(dataDir, 'host'), HOST_SERVER: 'https://172.28.0.11:6443' },
    });
    expect(stdout).toContain('node prepared');
    expect(readdirSync(path.join(dataDir, 'nodes/control-plane/manifests'))).toContain('store.yaml');
    expect(kubeconfigServer(path.join(dataDir, 'host'))).toBe('https://172.28.0.11:6443');
    const store = manifest(path.join(dataDir, 'nodes/control-plane/manifests/store.yaml')).spec.containers[0]!.command;
    expect(store[1]).toBe(path.join(repoRoot, 'packages/store/dist/main.js'));
  });

  it('exits 2 with a reason when an address is wrong', async () => {
    const err = await run(process.execPath, ['--conditions=tinykube-src', '--import', 'tsx', path.join(repoRoot, 'packages/cluster/src/node-init.ts'),
      '--node-name', 'w', '--node-ip', 'nope', '--control-plane-ip', '172.28.0.11', '--data-dir', path.join(dir, 'bad')], { cwd: repoRoot }).catch((e: unknown) => e as { code: number; stdout: string });
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stdout: string }).stdout).toContain('expected an IPv4 address');
  });
});
