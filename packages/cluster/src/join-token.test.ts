import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { caCertHash } from '@tinykube/pki';
import { initNode } from './node-setup.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tk-join-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const argAfter = (cmd: string[], flag: string) => cmd[cmd.indexOf(flag) + 1];

describe('node-init with a bootstrap token', () => {
  it('control plane: publishes one token and the CA pin for the workers, and has the controller-manager make its Secret', async () => {
    const o = {
      root: '/opt/tinykube', nodeName: 'control-plane', nodeIp: '172.28.0.11', controlPlaneIp: '172.28.0.11', controlPlane: true,
      dataDir: path.join(dir, 'cp'), joinTokenOut: path.join(dir, 'shared'),
    };
    const r = await initNode(o);
    const token = readFileSync(path.join(dir, 'shared/join-token'), 'utf8').trim();
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(statSync(path.join(dir, 'shared/join-token')).mode & 0o777).toBe(0o600);
    const hash = readFileSync(path.join(dir, 'shared/ca-cert-hash'), 'utf8').trim();
    expect(hash).toBe(await caCertHash(readFileSync(path.join(o.dataDir, 'pki/ca.crt'), 'utf8')));
    const cm = (parse(readFileSync(path.join(r.node.manifestDir, 'kube-controller-manager.yaml'), 'utf8')) as { spec: { containers: { command: string[] }[] } }).spec.containers[0]!.command;
    expect(readFileSync(argAfter(cm, '--bootstrap-token-file')!, 'utf8').trim()).toBe(token);
    expect(argAfter(cm, '--controllers')).toBe('*,bootstrapsigner,tokencleaner');
    await initNode(o);
    expect(readFileSync(path.join(dir, 'shared/join-token'), 'utf8').trim()).toBe(token);
  });

  it('worker: no pre-issued credentials — the kubelet bootstraps with the token; kube-proxy uses the kubelet\'s kubeconfig', async () => {
    const dataDir = path.join(dir, 'w1');
    // as after a first join: the kubelet's own kubeconfig and the CA exist, so no discovery is needed again
    mkdirSync(path.join(dataDir, 'kubeconfigs'), { recursive: true });
    for (const f of ['kubelet.conf', 'ca.crt']) writeFileSync(path.join(dataDir, 'kubeconfigs', f), 'x');
    const r = await initNode({
      root: '/opt/tinykube', nodeName: 'worker-1', nodeIp: '172.28.0.12', controlPlaneIp: '172.28.0.11', controlPlane: false, dataDir,
      joinFrom: path.join(dir, 'shared'),
    });
    expect(argAfter(r.kubeletArgs, '--bootstrap-kubeconfig')).toBe(path.join(dataDir, 'kubeconfigs/bootstrap-kubelet.conf'));
    expect(argAfter(r.kubeletArgs, '--kubeconfig')).toBe(path.join(dataDir, 'kubeconfigs/kubelet.conf'));
    expect(argAfter(r.kubeletArgs, '--rotate-server-certificates')).toBe('true');
    expect(r.kubeletArgs).not.toContain('--tls-cert-file');
    const proxy = (parse(readFileSync(path.join(r.node.manifestDir, 'kube-proxy.yaml'), 'utf8')) as { spec: { containers: { command: string[] }[] } }).spec.containers[0]!.command;
    expect(argAfter(proxy, '--kubeconfig')).toBe(path.join(dataDir, 'kubeconfigs/kubelet.conf'));
  });

  it('worker: an unreachable control plane or a missing token are NoCredentials, a token without its pin InvalidOptions', async () => {
    const o = { root: '/r', nodeName: 'worker-2', nodeIp: '127.0.0.1', controlPlaneIp: '127.0.0.1', apiserverPort: 1, controlPlane: false, dataDir: path.join(dir, 'w2'), joinTimeoutMs: 300 };
    await expect(initNode({ ...o, joinToken: 'abcdef.0123456789abcdef', joinCaHash: `sha256:${'0'.repeat(64)}` })).rejects.toMatchObject({ code: 'NoCredentials', message: expect.stringContaining('cannot join https://127.0.0.1:1') });
    await expect(initNode({ ...o, joinFrom: path.join(dir, 'nothing-here') })).rejects.toMatchObject({ code: 'NoCredentials' });
    await expect(initNode({ ...o, joinToken: 'abcdef.0123456789abcdef' })).rejects.toMatchObject({ code: 'InvalidOptions' });
    expect(existsSync(path.join(dir, 'w2/kubeconfigs/bootstrap-kubelet.conf'))).toBe(false);
  });
});
