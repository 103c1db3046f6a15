/**
 * certificates.k8s.io and bootstrap tokens against a real apiserver: a joining node's token creates a CSR (the
 * server records who asked), may not approve it; kubectl certificate approve does; signers write the certificate
 * through /status; the certificates admission plugins refuse what kube refuses.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch as undiciFetch } from 'undici';
import { createCsr } from '@tinykube/pki';
import { testDispatcher, waitFor } from '@tinykube/testkit';
import { startCluster, stores, type Cluster } from './harness.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const TOKEN = 'abcdef.0123456789abcdef';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const CERTIFICATE_ADMISSION = 'NodeRestriction,CertificateApproval,CertificateSigning,CertificateSubjectRestriction';

function tokenSecret(expiration?: string) {
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' }, type: 'bootstrap.kubernetes.io/token',
    stringData: {
      'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true',
      'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token', ...(expiration ? { expiration } : {}),
    },
  };
}

describe.each(stores)('certificates and bootstrap tokens (%s)', (_name, startStore) => {
  let c: Cluster;
  let dir: string;
  const as = (token: string | undefined, headers: Record<string, string> = {}) => async (method: string, p: string, body?: unknown) => {
    const res = await undiciFetch(c.url + p, {
      method, dispatcher: testDispatcher(undefined),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = text;
    try { json = JSON.parse(text); } catch { /* text */ }
    return { status: res.status, body: json };
  };
  const admin = (method: string, p: string, body?: unknown) => c.req(method, p, body);
  const boot = as(TOKEN);
  const kubectl = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(KUBECTL, ['--cache-dir', path.join(dir, 'cache'), ...args], { env: { ...process.env, KUBECONFIG: c.kubeconfig(), HOME: dir }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? 1 : 0, stdout, stderr });
    });
  });
  const nodeCsr = async (name: string, signerName = 'kubernetes.io/kube-apiserver-client-kubelet', subject = { commonName: 'system:node:w1', organizations: ['system:nodes'] }) => ({
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
    spec: { request: b64((await createCsr(subject)).csrPem), signerName, usages: ['digital signature', 'client auth'], username: 'system:admin', groups: ['system:masters'] },
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tk-csr-'));
    // kube's default certificates plugins (the test PKI's args turn ServiceAccount admission, and so the defaults, off)
    c = await startCluster(startStore, ['--enable-bootstrap-token-auth', '--enable-admission-plugins', CERTIFICATE_ADMISSION]);
    expect((await admin('POST', '/api/v1/namespaces/kube-system/secrets', tokenSecret())).status).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await c?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a bootstrap token creates a CSR, recorded as its requestor whatever the client claimed; a wrong secret is 401', async () => {
    const created = await boot('POST', CSRS, await nodeCsr('node-csr-1'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.spec).toMatchObject({
      username: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'],
    });
    expect(created.body.status).toEqual({});
    expect((await boot('GET', `${CSRS}/node-csr-1`)).status).toBe(200);
    const wrong = await as('abcdef.0123456789abcdee')('GET', `${CSRS}/node-csr-1`);
    expect(wrong.status).toBe(401);
  });

  it('the bootstrapper may not approve; kubectl certificate approve may, then a signer issues through /status', async () => {
    const get = async () => (await admin('GET', `${CSRS}/node-csr-1`)).body;
    const approval = { ...(await get()), status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Self' }] } };
    const selfApprove = await boot('PUT', `${CSRS}/node-csr-1/approval`, approval);
    expect(selfApprove.status).toBe(403);
    if (existsSync(KUBECTL)) {
      const r = await kubectl('certificate', 'approve', 'node-csr-1');
      expect(r.code, r.stderr).toBe(0);
      const list = await kubectl('get', 'csr');
      expect(list.stdout).toMatch(/^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\n/);
      expect(list.stdout).toMatch(/node-csr-1\s+\S+\s+kubernetes.io\/kube-apiserver-client-kubelet\s+system:bootstrap:abcdef\s+<none>\s+Approved\n/);
    } else {
      expect((await admin('PUT', `${CSRS}/node-csr-1/approval`, approval)).status).toBe(200);
    }
    const approved = await get();
    expect(approved.status.conditions).toMatchObject([{ type: 'Approved', status: 'True' }]);
    expect(approved.status.conditions[0].lastUpdateTime).toBeTruthy();
    // /approval cannot issue; /status cannot touch approval; the main resource changes neither (nor spec)
    const cert = b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const viaApproval = await admin('PUT', `${CSRS}/node-csr-1/approval`, { ...approved, status: { ...approved.status, certificate: cert } });
    expect(viaApproval.body.status.certificate).toBeUndefined();
    const latest = await get();
    const viaMain = await admin('PUT', `${CSRS}/node-csr-1`, { ...latest, spec: { ...latest.spec, usages: ['server auth'] }, status: { certificate: cert } });
    expect(viaMain.status).toBe(200);
    expect(viaMain.body.spec.usages).toEqual(['digital signature', 'client auth']);
    expect(viaMain.body.status.certificate).toBeUndefined();
    const issued = await admin('PUT', `${CSRS}/node-csr-1/status`, { ...viaMain.body, status: { conditions: [], certificate: cert } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body.status.certificate).toBe(cert);
    expect(issued.body.status.conditions).toMatchObject([{ type: 'Approved' }]);
    const again = await admin('PUT', `${CSRS}/node-csr-1/status`, { ...issued.body, status: { ...issued.body.status, certificate: b64('-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n') } });
    expect(again.status).toBe(422);
    expect(again.body.message).toContain('updates may not modify existing certificate content');
  });

  it('admission: approving needs `approve` on the signer, signing needs `sign`; no system:masters client certificates', async () => {
    // carol may update the approval and status subresources, but holds no signer verbs
    expect((await admin('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'csr-updater' },
      rules: [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status'], verbs: ['get', 'update'] }],
    })).status).toBe(201);
    expect((await admin('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'carol-csr' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'csr-updater' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'carol' }],
    })).status).toBe(201);
    const carol = (method: string, p: string, body?: unknown) => c.req(method, p, body, { 'impersonate-user': 'carol' });
    expect((await boot('POST', CSRS, await nodeCsr('node-csr-2'))).status).toBe(201);
    const csr = (await admin('GET', `${CSRS}/node-csr-2`)).body;
    const r = await carol('PUT', `${CSRS}/node-csr-2/approval`, { ...csr, status: { conditions: [{ type: 'Approved', status: 'True' }] } });
    expect(r.status).toBe(403);
    expect(r.body.message).toBe('certificatesigningrequests.certificates.k8s.io "node-csr-2" is forbidden: user not permitted to approve requests with signerName "kubernetes.io/kube-apiserver-client-kubelet"');
    const s = await carol('PUT', `${CSRS}/node-csr-2/status`, { ...csr, status: { certificate: b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n') } });
    expect(s.body.message).toContain('user not permitted to sign requests with signerName');
    const masters = await admin('POST', CSRS, await nodeCsr('masters', 'kubernetes.io/kube-apiserver-client', { commonName: 'eve', organizations: ['system:masters'] }));
    expect(masters.status).toBe(403);
    expect(masters.body.message).toContain('use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed');
    const invalid = await admin('POST', CSRS, { ...(await nodeCsr('bad')), spec: { request: b64('x'), signerName: 'x', usages: [] } });
    expect(invalid.status).toBe(422);
  });

  it.runIf(existsSync(KUBECTL))('kubectl certificate deny, and approving a denied request is refused', async () => {
    expect((await boot('POST', CSRS, await nodeCsr('node-csr-deny'))).status).toBe(201);
    const deny = await kubectl('certificate', 'deny', 'node-csr-deny');
    expect(deny.code, deny.stderr).toBe(0);
    expect((await admin('GET', `${CSRS}/node-csr-deny`)).body.status.conditions).toMatchObject([{ type: 'Denied', status: 'True', reason: 'KubectlDeny' }]);
    expect((await kubectl('get', 'csr', 'node-csr-deny')).stdout).toMatch(/node-csr-deny\s.*\sDenied\n/);
    const approve = await kubectl('certificate', 'approve', 'node-csr-deny');
    expect(approve.stdout + approve.stderr).toMatch(/denied|Denied/);
  });

  it('an expired token Secret no longer authenticates', async () => {
    const cur = (await admin('GET', '/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef')).body;
    const expired = { ...cur, data: { ...cur.data, expiration: b64('2020-01-01T00:00:00Z') } };
    expect((await admin('PUT', '/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef', expired)).status).toBe(200);
    // the authenticator reads the watch cache: wait for it to see the change
    await waitFor(async () => (await boot('GET', `${CSRS}/node-csr-1`)).status === 401, { timeoutMs: 10_000, what: 'the expired token refused' });
  });
});
