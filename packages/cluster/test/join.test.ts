/**
 * A node joins knowing only the apiserver's address, a bootstrap token and the CA's pin (issue #9), against a real
 * store, apiserver and controller-manager: discovery verifies cluster-info (and refuses a CA that is not pinned or a
 * token that did not sign it), the kubelet's TLS bootstrap gets a client certificate that the controller-manager
 * approved and signed and that authenticates as system:node:NAME, its serving certificate is CA-signed too, and an
 * expired token Secret is deleted by tokencleaner.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig } from '@tinykube/client';
import { caCertHash, certInfo } from '@tinykube/pki';
import {
  apiserverTlsArgs, freePort, spawnComponent, startRealEtcd, testPki, waitFor, writeTestKubeconfig, type Proc, type RunningStore,
} from '@tinykube/testkit';
import { Agent, fetch as undiciFetch } from 'undici';
import { apiFromKubeconfig, type ApiTarget } from '../src/api-target.js';
import { bootstrapTokenSecret } from '@tinykube/api';
import { createBootstrapToken } from '../src/bootstrap-token.js';
import { DiscoveryError, discoverClusterInfo, joinDiscovery } from '../src/discovery.js';
import { initNode } from '../src/node-setup.js';

let dir: string;
let store: RunningStore | undefined;
let api: Proc | undefined;
let cm: Proc | undefined;
let kubelet: Proc | undefined;
let url: string;
let admin: ApiTarget;
let caHash: string;
/** the control plane's node-init token (JOIN_TOKEN_OUT), whose Secret the controller-manager makes */
const NODE_INIT_TOKEN = 'cpjoin.0123456789abcdef';

async function waitReady(p: Proc, check: () => Promise<boolean>, what: string): Promise<void> {
  await waitFor(async () => {
    if (p.child.exitCode !== null) throw new Error(`${what} exited:\n${p.output()}`);
    return check();
  }, { timeoutMs: 30_000, what });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tk-join-'));
  const k = testPki();
  store = await startRealEtcd();
  const port = await freePort();
  url = `https://127.0.0.1:${port}`;
  api = spawnComponent('apiserver', [...store.apiserverArgs, ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(port), '--log-level', 'warn', '--enable-bootstrap-token-auth',
    '--enable-admission-plugins', 'NodeRestriction,CertificateApproval,CertificateSigning,CertificateSubjectRestriction']);
  await waitReady(api, async () => (await fetch(`${url}/readyz`)).ok, 'apiserver');
  const cmKubeconfig = await writeTestKubeconfig(path.join(dir, 'cm.conf'), url, k.controllerManager);
  writeFileSync(path.join(dir, 'node-token'), `${NODE_INIT_TOKEN}\n`);
  cm = spawnComponent('controller-manager', [
    '--kubeconfig', cmKubeconfig, '--leader-elect', 'false', '--port', '0', '--log-level', 'warn',
    '--controllers', 'csrapproving,csrsigning,bootstrapsigner,tokencleaner',
    '--cluster-signing-cert-file', k.ca.cert, '--cluster-signing-key-file', k.ca.key, '--root-ca-file', k.ca.cert, '--cluster-info-server', url,
    '--bootstrap-token-file', path.join(dir, 'node-token'),
  ]);
  admin = apiFromKubeconfig(await writeTestKubeconfig(path.join(dir, 'admin.conf'), url, k.admin));
  caHash = await caCertHash(k.caPem);
  // the controller-manager makes cluster-info (kubeadm init's job) once its caches are synced
  await waitReady(cm, async () => (await admin.fetch('/api/v1/namespaces/kube-public/configmaps/cluster-info')).ok, 'cluster-info');
}, 90_000);

afterAll(async () => {
  await kubelet?.stop();
  await cm?.stop();
  await api?.stop();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('joining with a bootstrap token', () => {
  it('discovery trusts cluster-info only when the token signed it and the CA matches the pin', async () => {
    const token = await createBootstrapToken(admin, { ttlMs: 600_000 });
    const info = await waitFor(() => discoverClusterInfo({ server: url, token, caCertHashes: [caHash] }).catch((err: unknown) => {
      if (err instanceof DiscoveryError && err.code === 'NoSignature') return undefined; // bootstrapsigner not done yet
      throw err;
    }), { timeoutMs: 10_000, what: 'cluster-info signed with the new token' });
    expect(info).toEqual({ server: url, caPem: testPki().caPem });
    const other = `sha256:${'0'.repeat(64)}`;
    await expect(discoverClusterInfo({ server: url, token, caCertHashes: [other] })).rejects.toMatchObject({ code: 'CaNotPinned' });
    const forged = `${token.slice(0, 7)}${token.slice(7).split('').reverse().join('')}`;
    await expect(discoverClusterInfo({ server: url, token: forged, caCertHashes: [caHash] })).rejects.toMatchObject({ code: 'BadSignature' });
    await expect(discoverClusterInfo({ server: url, token: 'zzzzzz.0123456789abcdef', caCertHashes: [caHash] })).rejects.toMatchObject({ code: 'NoSignature' });
  });

  it('the kubelet bootstraps its client and serving certificates through the CSR API and runs as system:node:NAME', async () => {
    const token = await createBootstrapToken(admin, { ttlMs: 600_000, description: 'join test' });
    const bootstrapKubeconfig = path.join(dir, 'bootstrap-kubelet.conf');
    await joinDiscovery({ server: url, token, caCertHashes: [caHash], bootstrapKubeconfig, retryForMs: 10_000 });
    expect(statSync(bootstrapKubeconfig).mode & 0o777).toBe(0o600);
    const kubeconfig = path.join(dir, 'kubelet.conf');
    const rootDir = path.join(dir, 'root');
    kubelet = spawnComponent('kubelet', [
      '--kubeconfig', kubeconfig, '--bootstrap-kubeconfig', bootstrapKubeconfig, '--rotate-server-certificates', 'true', '--client-ca-file', testPki().ca.cert,
      '--node-name', 'join-w1', '--node-ip', '127.0.0.1', '--port', '0', '--root-dir', rootDir, '--runtime', 'fake',
      '--node-lease-renew-interval', '1s', '--node-status-update-frequency', '1s',
    ]);
    await waitReady(kubelet, async () => (await admin.fetch('/api/v1/nodes/join-w1')).ok, 'Node join-w1 registered');
    // the client certificate: written 0600, and what it authenticates as
    const kc = loadKubeconfig({ kubeconfig });
    expect(certInfo(kc.tls.cert!).subject).toEqual({ commonName: 'system:node:join-w1', organizations: ['system:nodes'] });
    for (const f of [kubeconfig, path.join(rootDir, 'pki/kubelet-client-current.key')]) expect(statSync(f).mode & 0o777).toBe(0o600);
    const dispatcher = new Agent({ connect: { ca: kc.tls.ca, cert: kc.tls.cert, key: kc.tls.key } });
    const review = await undiciFetch(`${url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
      method: 'POST', dispatcher, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
    });
    expect(((await review.json()) as { status: { userInfo: unknown } }).status.userInfo).toMatchObject({ username: 'system:node:join-w1', groups: expect.arrayContaining(['system:nodes']) });
    const csrs = (await (await admin.fetch('/apis/certificates.k8s.io/v1/certificatesigningrequests')).json()) as { items: { spec: { username: string; signerName: string }; status: { conditions: { type: string; reason: string }[] } }[] };
    const client = csrs.items.find((c) => c.spec.signerName === 'kubernetes.io/kube-apiserver-client-kubelet')!;
    expect(client.spec.username).toMatch(/^system:bootstrap:[a-z0-9]{6}$/);
    expect(client.status.conditions).toMatchObject([{ type: 'Approved', reason: 'AutoApproved' }]);
    // the serving certificate: swapped in once the Node is registered, CA-signed for the node's IP and name
    const port = Number(/"port":(\d+),"msg":"kubelet API listening"/.exec(await waitFor(() => /"port":\d+,"msg":"kubelet API listening"/.test(kubelet!.output()) && kubelet!.output(), { what: 'kubelet port' }))![1]);
    const peer = await waitFor(() => new Promise<string | false>((resolve) => {
      const s = connect({ host: '127.0.0.1', port, ca: testPki().caPem, servername: 'join-w1' }, () => { resolve(String(s.getPeerCertificate().subject.CN)); s.end(); });
      s.on('error', () => resolve(false));
    }), { timeoutMs: 20_000, what: 'the kubelet serving a CA-signed certificate' });
    expect(peer).toBe('system:node:join-w1');
    expect(certInfo(readFileSync(path.join(rootDir, 'pki/kubelet-server-current.crt'), 'utf8')).sans.sort()).toEqual(['127.0.0.1', 'join-w1']);
  }, 90_000);

  it('node-init: a worker given the control plane\'s token and pin writes its bootstrap kubeconfig and kubelet flags', async () => {
    const dataDir = path.join(dir, 'node-init-w');
    const r = await initNode({
      root: '/opt/tinykube', nodeName: 'ni-w1', nodeIp: '127.0.0.1', controlPlaneIp: '127.0.0.1', apiserverPort: Number(new URL(url).port), controlPlane: false, dataDir,
      joinToken: NODE_INIT_TOKEN, joinCaHash: caHash, joinTimeoutMs: 15_000,
    });
    const boot = loadKubeconfig({ kubeconfig: path.join(dataDir, 'kubeconfigs/bootstrap-kubelet.conf') });
    expect(boot).toMatchObject({ server: url, token: NODE_INIT_TOKEN });
    expect(boot.tls.ca).toBe(testPki().caPem);
    expect(r.kubeletArgs).toContain('--bootstrap-kubeconfig');
  });

  it('tokencleaner deletes an expired token Secret', async () => {
    const secret = bootstrapTokenSecret({ id: 'expird', secret: '0123456789abcdef' }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await admin.fetch('/api/v1/namespaces/kube-system/secrets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(secret) })).status).toBe(201);
    await waitFor(async () => (await admin.fetch('/api/v1/namespaces/kube-system/secrets/bootstrap-token-expird')).status === 404, { timeoutMs: 15_000, what: 'the expired token deleted' });
  });
});
