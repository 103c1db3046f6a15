// A data dir from before TLS (a plain-HTTP store, a kubeconfig with no credentials, Secrets in plain text) is upgraded
// in place by the next `npm start`: CA, certificates and kubeconfigs are made, every object is kept, and the Secrets
// are re-written encrypted.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { freePort, repoRoot, spawnProcess, waitFor, type Proc } from '@tinykube/testkit';
import { kube } from './kube.js';

const PREFIX = '127.0.4'; // apart from the other e2e clusters and a developer's `npm start`
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('upgrading a plain-HTTP data dir in place', () => {
  let dataDir: string;
  let up: Proc | undefined;
  let storePort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tk-e2e-upgrade-'));
    storePort = await freePort();
    // what the cluster before TLS left behind: its store (plain http), holding a namespace and a plain-text Secret
    const storeDir = path.join(dataDir, 'store');
    mkdirSync(storeDir, { recursive: true });
    const old = spawnProcess(process.execPath, [path.join(repoRoot, 'packages/store/dist/main.js'), '--data-dir', storeDir, '--listen-client-urls', `http://${PREFIX}.1:${storePort}`]);
    const put = (key: string, obj: unknown) => fetch(`http://${PREFIX}.1:${storePort}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(JSON.stringify(obj)) }) });
    await waitFor(async () => (await put('/probe', {}).catch(() => undefined))?.ok, { timeoutMs: 20_000, what: `the old store:\n${old.output()}` });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    expect((await put('/registry/namespaces/legacy', {
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy', uid: '11111111-2222-3333-4444-555555555555', creationTimestamp: now, labels: { 'kubernetes.io/metadata.name': 'legacy' } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    })).ok).toBe(true);
    expect((await put('/registry/secrets/legacy/old-secret', {
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'old-secret', namespace: 'legacy', uid: '66666666-7777-8888-9999-000000000000', creationTimestamp: now },
      data: { password: b64('from-before-tls') },
    })).ok).toBe(true);
    await old.stop();
    writeFileSync(path.join(dataDir, 'kubeconfig'), `apiVersion: v1\nkind: Config\nclusters: [{name: tinykube, cluster: {server: "http://${PREFIX}.1:6443"}}]\nusers: [{name: tinykube, user: {}}]\ncontexts: [{name: tinykube, context: {cluster: tinykube, user: tinykube}}]\ncurrent-context: tinykube\n`);

    up = spawnProcess(process.execPath, [
      path.join(repoRoot, 'packages/cluster/dist/main.js'), '--data-dir', dataDir, '--node-ip-prefix', PREFIX, '--workers', '1',
      '--apiserver-port', String(await freePort()), '--store-port', String(storePort),
    ]);
    await waitFor(() => up!.output().includes('is up'), { timeoutMs: 90_000, what: `the upgraded cluster to come up:\n${up!.output().slice(-3000)}` });
  }, 150_000);

  afterAll(async () => {
    await up?.stop(30_000);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('keeps the objects, closes the cluster, and re-writes the Secrets encrypted', async () => {
    const kubeconfig = readFileSync(path.join(dataDir, 'kubeconfig'), 'utf8');
    expect(kubeconfig).toContain(`server: https://${PREFIX}.1:`);
    expect(kubeconfig).toContain('client-certificate-data');
    const k = kube(path.join(dataDir, 'kubeconfig'));
    expect((await k.get('/api/v1/namespaces/legacy')).body.metadata.uid).toBe('11111111-2222-3333-4444-555555555555');
    const secret = (await k.get('/api/v1/namespaces/legacy/secrets/old-secret')).body;
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('from-before-tls');
    // the store now wants a client certificate of the new CA; what it holds for the Secret is ciphertext
    const pki = path.join(dataDir, 'pki');
    const asApiserver = new Agent({ connect: {
      ca: readFileSync(path.join(pki, 'ca.crt')), cert: readFileSync(path.join(pki, 'apiserver-etcd-client.crt')), key: readFileSync(path.join(pki, 'apiserver-etcd-client.key')),
    } });
    const stored = async () => {
      const r = await undiciFetch(`https://${PREFIX}.1:${storePort}/v3/kv/range`, { method: 'POST', dispatcher: asApiserver, body: JSON.stringify({ key: b64('/registry/secrets/legacy/old-secret') }) });
      return Buffer.from(((await r.json()) as { kvs: { value: string }[] }).kvs[0]!.value, 'base64').toString('latin1');
    };
    await waitFor(async () => (await stored()).startsWith('k8s:enc:aescbc:v1:key1:'), { timeoutMs: 20_000, what: 'the old Secret re-written encrypted' });
    expect(await stored()).not.toContain(b64('from-before-tls'));
    await expect(fetch(`http://${PREFIX}.1:${storePort}/v3/kv/range`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
