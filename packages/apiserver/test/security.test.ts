/**
 * The apiserver closed by default, tried as users and components would: anonymous, strangers, static tokens,
 * RBAC with escalation prevention, the Node authorizer with NodeRestriction, impersonation and the review APIs
 * (with the real kubectl), the audit log, and Secrets encrypted at rest — on both stores, over TLS.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { createCa, issueCertificate } from '@tinykube/pki';
import { nodeCredentials, testDispatcher, testPki, waitFor, writeTestKubeconfig } from '@tinykube/testkit';
import { startCluster, stores, type Cluster } from './harness.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-0123456789';

interface Run { code: number; stdout: string; stderr: string }

describe.each(stores)('security (%s)', (_name, startStore) => {
  let c: Cluster;
  let dir: string;
  let auditLog: string;
  const as = (token: string | undefined, dispatcher = testDispatcher(undefined)) => async (method: string, p: string, body?: unknown, contentType = 'application/json') => {
    const res = await undiciFetch(c.url + p, {
      method, dispatcher,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = text;
    try { json = JSON.parse(text); } catch { /* text */ }
    return { status: res.status, body: json };
  };
  const anonymous = as(undefined);
  const alice = as(ALICE);
  const bob = as(BOB);
  const admin = (method: string, p: string, body?: unknown, ct?: string) => c.req(method, p, body, ct ? { 'content-type': ct } : {});
  const kubectl = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> => new Promise((resolve) => {
    execFile(KUBECTL, ['--cache-dir', path.join(dir, 'cache'), ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, stdout, stderr });
    });
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tk-security-'));
    const tokens = path.join(dir, 'tokens.csv');
    writeFileSync(tokens, `${ALICE},alice,uid-alice,"devs"\n${BOB},bob,uid-bob\n`);
    const enc = path.join(dir, 'encryption.yaml');
    writeFileSync(enc, [
      'apiVersion: apiserver.config.k8s.io/v1', 'kind: EncryptionConfiguration', 'resources:', '- resources: [secrets]', '  providers:',
      `  - aescbc: {keys: [{name: key1, secret: ${Buffer.alloc(32, 7).toString('base64')}}]}`, '  - identity: {}', '',
    ].join('\n'));
    auditLog = path.join(dir, 'audit.log');
    c = await startCluster(startStore, ['--token-auth-file', tokens, '--encryption-provider-config', enc, '--audit-log-path', auditLog]);
    // alice may manage pods in namespace team (the built-in `edit` role), nothing elsewhere; bob is `admin` of team
    expect((await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } })).status).toBe(201);
    const bind = (name: string, role: string, user: string) => admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }],
    });
    expect((await bind('alice-edit', 'edit', 'alice')).status).toBe(201);
    expect((await bind('bob-admin', 'admin', 'bob')).status).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await c?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('anonymous requests reach only the health and version endpoints (403 elsewhere, as kubeadm)', async () => {
    for (const p of ['/healthz', '/livez', '/readyz', '/version']) expect((await anonymous('GET', p)).status, p).toBe(200);
    const r = await anonymous('GET', '/api/v1/namespaces/default/pods');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403,
      message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"' });
    expect((await anonymous('DELETE', '/api/v1/namespaces/kube-system')).status).toBe(403);
  });

  it('an invalid credential is 401: an unknown token, a certificate of another CA, an expired certificate', async () => {
    expect((await as('no-such-token')('GET', '/api/v1/pods')).body).toMatchObject({ code: 401, reason: 'Unauthorized' });
    const other = await createCa('mallory-ca');
    const forged = await issueCertificate(other, { subject: { commonName: 'mallory', organizations: ['system:masters'] }, usage: 'client' });
    const stranger = new Agent({ connect: { ca: testPki().caPem, cert: forged.certPem, key: forged.keyPem } });
    expect((await as(undefined, stranger)('GET', '/api/v1/pods')).status).toBe(401);
    const ca = { certPem: testPki().caPem, keyPem: readFileSync(testPki().ca.key, 'utf8') };
    const old = await issueCertificate(ca, { subject: { commonName: 'old', organizations: ['system:masters'] }, usage: 'client', validDays: 1, now: new Date('2020-01-01') });
    const expired = new Agent({ connect: { ca: testPki().caPem, cert: old.certPem, key: old.keyPem } });
    expect((await as(undefined, expired)('GET', '/api/v1/pods')).status).toBe(401);
  });

  it('a static token user can do what its RoleBinding grants and nothing more', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } };
    expect((await alice('POST', '/api/v1/namespaces/team/pods', pod)).status).toBe(201);
    const own = await alice('GET', '/api/v1/namespaces/team/pods');
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const elsewhere = await alice('GET', '/api/v1/namespaces/default/pods');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toContain('User "alice" cannot list resource "pods" in API group "" in the namespace "default"');
    // edit cannot touch RBAC at all
    expect((await alice('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings')).status).toBe(403);
  });

  it('refuses privilege escalation: a namespace admin cannot bind cluster-admin nor create a Role with verbs it lacks', async () => {
    const binding = await bob('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'grab' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }],
    });
    expect(binding.status).toBe(403);
    expect(binding.body.message).toContain('is attempting to grant RBAC permissions not currently held');
    const role = await bob('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'nodes' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['delete'] }],
    });
    expect(role.status).toBe(403);
    // what bob holds he may grant
    const fine = await bob('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    });
    expect(fine.status, JSON.stringify(fine.body)).toBe(201);
  });

  it('a kubelet (system:node:NAME) touches only its own node and what its pods use', async () => {
    const w1 = await nodeCredentials('sec-w1', '127.0.3.1');
    const node = as(undefined, testDispatcher(w1.client));
    const mkNode = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
    expect((await node('POST', '/api/v1/nodes', mkNode('sec-w1'))).status).toBe(201);
    expect((await admin('POST', '/api/v1/nodes', mkNode('sec-w2'))).status).toBe(201);
    const patchOther = await node('PATCH', '/api/v1/nodes/sec-w2', { metadata: { labels: { pwned: 'yes' } } }, 'application/merge-patch+json');
    expect(patchOther.status).toBe(403);
    expect(patchOther.body.message).toContain('node "sec-w1" is not allowed to modify node "sec-w2"');
    expect((await node('PATCH', '/api/v1/nodes/sec-w1', { metadata: { labels: { mine: 'yes' } } }, 'application/merge-patch+json')).status).toBe(200);
    // secrets: only one that a pod bound to this node references
    for (const name of ['used', 'unused']) {
      expect((await admin('POST', '/api/v1/namespaces/team/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { k: 'v' } })).status).toBe(201);
    }
    const pod = (name: string, nodeName: string, secret?: string) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeName, containers: [{ name: 'c', image: 'busybox:1.36' }], ...(secret ? { volumes: [{ name: 's', secret: { secretName: secret } }] } : {}) },
    });
    expect((await admin('POST', '/api/v1/namespaces/team/pods', pod('on-w1', 'sec-w1', 'used'))).status).toBe(201);
    expect((await admin('POST', '/api/v1/namespaces/team/pods', pod('on-w2', 'sec-w2'))).status).toBe(201);
    await waitFor(async () => (await node('GET', '/api/v1/namespaces/team/secrets/used')).status === 200, { timeoutMs: 10_000, what: 'node reads the secret its pod uses' });
    const unused = await node('GET', '/api/v1/namespaces/team/secrets/unused');
    expect(unused.status).toBe(403);
    expect(unused.body.message).toContain("no relationship found between node 'sec-w1' and this object");
    const del = await node('DELETE', '/api/v1/namespaces/team/pods/on-w2');
    expect(del.status).toBe(403);
    expect(del.body.message).toContain('node "sec-w1" can only delete pods with spec.nodeName set to itself');
    expect((await node('POST', '/api/v1/namespaces/team/pods', pod('fake', 'sec-w1'))).status).toBe(403);
  });

  it('answers SelfSubjectReview, SelfSubjectAccessReview and SubjectAccessReview', async () => {
    const who = await alice('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(who.status).toBe(201);
    expect(who.body.status.userInfo).toMatchObject({ username: 'alice', uid: 'uid-alice', groups: ['devs', 'system:authenticated'] });
    const ssar = (ns: string) => alice('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: ns, verb: 'create', resource: 'pods' } },
    });
    expect((await ssar('team')).body.status.allowed).toBe(true);
    expect((await ssar('default')).body.status.allowed).toBe(false);
    const sar = await admin('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'bob', resourceAttributes: { namespace: 'team', verb: 'delete', resource: 'secrets' } },
    });
    expect(sar.body.status).toMatchObject({ allowed: true });
    expect(sar.body.status.reason).toContain('RBAC: allowed by RoleBinding "bob-admin/team" of ClusterRole "admin" to User "bob"');
    expect((await alice('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar.body)).status).toBe(403);
  });

  it.runIf(existsSync(KUBECTL))('kubectl: auth whoami, auth can-i (--list, --as), and --as refused without the impersonate verb', async () => {
    const aliceKc = await writeTestKubeconfig(path.join(dir, 'alice.conf'), c.url, { token: ALICE });
    const aliceEnv = { ...process.env, KUBECONFIG: aliceKc, HOME: dir };
    const adminEnv = { ...process.env, KUBECONFIG: c.kubeconfig(), HOME: dir };
    const whoami = await kubectl(aliceEnv, 'auth', 'whoami');
    expect(whoami.stdout, whoami.stderr).toMatch(/Username\s+alice/);
    expect((await kubectl(aliceEnv, 'auth', 'can-i', 'create', 'pods', '-n', 'team')).stdout.trim()).toBe('yes');
    const no = await kubectl(aliceEnv, 'auth', 'can-i', 'create', 'pods', '-n', 'default');
    expect(no.stdout.trim()).toBe('no');
    const list = await kubectl(aliceEnv, 'auth', 'can-i', '--list', '-n', 'team');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[.*create.*\]/m);
    expect((await kubectl(adminEnv, 'auth', 'can-i', 'delete', 'secrets', '-n', 'team', '--as', 'bob')).stdout.trim()).toBe('yes');
    expect((await kubectl(adminEnv, 'get', 'pods', '-n', 'team', '--as', 'alice')).code).toBe(0);
    const refused = await kubectl(aliceEnv, 'get', 'pods', '-n', 'team', '--as', 'bob');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it('kubectl create token: a ServiceAccount token does what its RoleBinding grants, and dies with its ServiceAccount or pod', async () => {
    const adminEnv = { ...process.env, KUBECONFIG: c.kubeconfig(), HOME: dir };
    expect((await admin('POST', '/api/v1/namespaces/team/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci' } })).status).toBe(201);
    expect((await admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'ci-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'team' }],
    })).status).toBe(201);
    const made = existsSync(KUBECTL) ? await kubectl(adminEnv, 'create', 'token', 'ci', '-n', 'team') : undefined;
    const token = made ? made.stdout.trim() : (await admin('POST', '/api/v1/namespaces/team/serviceaccounts/ci/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} })).body.status.token;
    expect(token.split('.')).toHaveLength(3);
    const ci = as(token);
    expect((await ci('GET', '/api/v1/namespaces/team/pods')).status).toBe(200);
    const write = await ci('POST', '/api/v1/namespaces/team/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(write.status).toBe(403);
    expect(write.body.message).toContain('User "system:serviceaccount:team:ci" cannot create resource "configmaps"');
    const review = await admin('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    expect(review.body.status).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:team:ci', groups: expect.arrayContaining(['system:serviceaccounts:team']) } });
    const discovery = await ci('GET', '/.well-known/openid-configuration');
    expect(discovery.body).toMatchObject({ issuer: 'https://kubernetes.default.svc.cluster.local', jwks_uri: expect.stringContaining('/openid/v1/jwks') });
    // a token bound to a pod stops working when the pod is deleted
    expect((await admin('POST', '/api/v1/namespaces/team/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'holder' }, spec: { serviceAccountName: 'ci', containers: [{ name: 'c', image: 'busybox:1.36' }] } })).status).toBe(201);
    const holder = (await admin('GET', '/api/v1/namespaces/team/pods/holder')).body;
    const bound = (await admin('POST', '/api/v1/namespaces/team/serviceaccounts/ci/token', {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'holder', uid: holder.metadata.uid } },
    })).body.status.token;
    expect((await as(bound)('GET', '/api/v1/namespaces/team/pods')).status).toBe(200);
    expect((await admin('DELETE', '/api/v1/namespaces/team/pods/holder?gracePeriodSeconds=0')).status).toBe(200);
    await waitFor(async () => (await as(bound)('GET', '/api/v1/namespaces/team/pods')).status === 401, { timeoutMs: 10_000, what: 'bound token refused once its pod is gone' });
    // and every token of a deleted ServiceAccount
    expect((await admin('DELETE', '/api/v1/namespaces/team/serviceaccounts/ci')).status).toBe(200);
    await waitFor(async () => (await ci('GET', '/api/v1/namespaces/team/pods')).status === 401, { timeoutMs: 10_000, what: 'token refused once its ServiceAccount is gone' });
  });

  it('keeps Secrets encrypted at rest: the store holds ciphertext, the API answers plain text', async () => {
    expect((await admin('POST', '/api/v1/namespaces/team/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'enc' }, stringData: { password: 'hunter2' } })).status).toBe(201);
    const raw = await undiciFetch(`${c.store.url}/v3/kv/range`, {
      method: 'POST', dispatcher: testDispatcher(testPki().apiserverEtcdClient),
      body: JSON.stringify({ key: Buffer.from('/registry/secrets/team/enc').toString('base64') }),
    });
    const value = Buffer.from(((await raw.json()) as { kvs: { value: string }[] }).kvs[0]!.value, 'base64').toString('latin1');
    expect(value.startsWith('k8s:enc:aescbc:v1:key1:')).toBe(true);
    expect(value).not.toContain('hunter2');
    expect(value).not.toContain(Buffer.from('hunter2').toString('base64'));
    const got = await admin('GET', '/api/v1/namespaces/team/secrets/enc');
    expect(Buffer.from(got.body.data.password, 'base64').toString()).toBe('hunter2');
  });

  it('writes one audit event per request, with user and verb, and never a Secret\'s data', async () => {
    await alice('GET', '/api/v1/namespaces/team/pods/p1');
    const events = await waitFor(() => {
      if (!existsSync(auditLog)) return undefined;
      const evs = readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      return evs.some((e) => e.user?.username === 'alice' && e.requestURI === '/api/v1/namespaces/team/pods/p1') ? evs : undefined;
    }, { timeoutMs: 10_000, what: 'audit event for alice' });
    const mine = events.filter((e) => e.requestURI === '/api/v1/namespaces/team/pods/p1' && e.user.username === 'alice');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', stage: 'ResponseComplete', verb: 'get',
      objectRef: { resource: 'pods', namespace: 'team', name: 'p1' }, responseStatus: { code: 200 } });
    const denied = events.find((e) => e.user.username === 'system:anonymous' && e.responseStatus?.code === 403);
    expect(denied?.annotations?.['authorization.k8s.io/decision']).toBe('forbid');
    expect(readFileSync(auditLog, 'utf8')).not.toContain('hunter2');
  });
});
