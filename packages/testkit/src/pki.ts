/**
 * One cluster PKI for a whole test run (made by test/global-setup.ts, named by TK_TEST_PKI), so every spawned
 * component and every test client trusts the same CA: components get files and kubeconfigs, tests get undici
 * dispatchers (the admin's is installed as the global one, so plain `fetch` talks https as cluster-admin).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeKubeconfig } from '@tinykube/client';
import { clusterPki, ensureClusterPki, issueCertificate, type ClusterPki, type Credential, type Subject } from '@tinykube/pki';
import { Agent } from 'undici';

export const TEST_PKI_ENV = 'TK_TEST_PKI';

/** SANs of the test apiserver, store and kubelets: every test binds loopback addresses. */
const LOOPBACK_SANS = ['127.0.0.1', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

/** Makes the run's PKI (global setup); returns its folder. */
export async function makeTestPki(dir = mkdtempSync(path.join(tmpdir(), 'tk-test-pki-'))): Promise<string> {
  await ensureClusterPki({ dir, apiserverSans: LOOPBACK_SANS, storeSans: ['127.0.0.1', 'localhost'] });
  return dir;
}

export interface TestPki extends ClusterPki {
  caPem: string;
  read(c: Credential): { cert: string; key: string };
}

let cached: TestPki | undefined;

/**
 * The run's PKI, made here when no test run made one (benchmarks and scripts run outside vitest): a temp folder
 * named by TK_TEST_PKI for this process and the components it starts.
 */
export async function ensureTestPki(): Promise<TestPki> {
  if (!process.env[TEST_PKI_ENV]) {
    const dir = await makeTestPki();
    process.env[TEST_PKI_ENV] = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return testPki();
}

/** The run's PKI (throws if the global setup — or ensureTestPki — did not make one). */
export function testPki(): TestPki {
  if (cached) return cached;
  const dir = process.env[TEST_PKI_ENV];
  if (!dir || !existsSync(path.join(dir, 'ca.crt'))) throw new Error(`${TEST_PKI_ENV} is not set: run tests through vitest (test/global-setup.ts makes the PKI)`);
  const p = clusterPki(dir);
  cached = {
    ...p,
    caPem: readFileSync(p.ca.cert, 'utf8'),
    read: (c) => ({ cert: readFileSync(c.cert, 'utf8'), key: readFileSync(c.key, 'utf8') }),
  };
  return cached;
}

/** A client cert for anyone (CN = user, O = groups), signed by the run's CA, written under the PKI folder. */
export async function issueTestCredential(name: string, subject: Subject, usage: 'client' | 'server' = 'client', sans: string[] = []): Promise<Credential> {
  const p = testPki();
  const dir = path.join(p.dir, 'issued');
  mkdirSync(dir, { recursive: true });
  const c = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  const issued = await issueCertificate({ certPem: p.caPem, keyPem: readFileSync(p.ca.key, 'utf8') }, { subject, usage, sans });
  for (const [file, text] of [[c.key, issued.keyPem], [c.cert, issued.certPem]] as const) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, file);
  }
  return c;
}

/** A kubelet's credentials: client cert system:node:NAME and a serving cert for its IP. */
export async function nodeCredentials(nodeName: string, ip: string): Promise<{ client: Credential; serving: Credential }> {
  const subject = { commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] };
  return {
    client: await issueTestCredential(`node-${nodeName}-client`, subject),
    serving: await issueTestCredential(`node-${nodeName}-serving-${ip}`, subject, 'server', [ip, nodeName]),
  };
}

/** Writes a kubeconfig for `server` with the run's CA and the given client credential. */
export async function writeTestKubeconfig(file: string, server: string, who: Credential | { token: string }): Promise<string> {
  const p = testPki();
  if ('token' in who) {
    await writeKubeconfig(file, { server, name: 'tinykube', certificateAuthorityPem: p.caPem, token: who.token });
  } else {
    await writeKubeconfig(file, { server, name: 'tinykube', certificateAuthorityPem: p.caPem, clientCertificatePem: readFileSync(who.cert, 'utf8'), clientKeyPem: readFileSync(who.key, 'utf8') });
  }
  return file;
}

/** An undici dispatcher that trusts the run's CA and presents `who` (nobody: anonymous). */
export function testDispatcher(who?: Credential): Agent {
  const p = testPki();
  const creds = who ? p.read(who) : {};
  return new Agent({ connect: { ca: p.caPem, ...creds } });
}

/** TLS options for node:https / ws clients: the run's CA and, by default, the admin's client cert. */
export function testTls(who: Credential | null = testPki().admin): { ca: string; cert?: string; key?: string } {
  const p = testPki();
  return who ? { ca: p.caPem, ...p.read(who) } : { ca: p.caPem };
}

/** The apiserver's TLS and security flags on the run's PKI (as kubeadm's static pod has them). */
export function apiserverTlsArgs(): string[] {
  const k = testPki();
  return [
    '--tls-cert-file', k.apiserver.cert, '--tls-private-key-file', k.apiserver.key, '--client-ca-file', k.ca.cert,
    '--kubelet-client-certificate', k.apiserverKubeletClient.cert, '--kubelet-client-key', k.apiserverKubeletClient.key,
    '--kubelet-certificate-authority', k.ca.cert, '--authorization-mode', process.env.TK_AUTHZ ?? 'Node,RBAC',
    '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file', k.serviceAccountPub, '--service-account-signing-key-file', k.serviceAccountKey,
    // ServiceAccount admission refuses pods until the controller-manager made the namespace's `default` ServiceAccount:
    // tests with a controller-manager (and the e2e clusters) turn it on; the others run without it
    '--enable-admission-plugins', process.env.TK_ADMISSION ?? 'NodeRestriction',
  ];
}

