import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeconfigError, loadKubeconfig, parseKubeconfig, writeKubeconfig } from './kubeconfig.js';

let dir: string;
const b64 = (s: string) => Buffer.from(s).toString('base64');

const first = `
apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: ca.crt
- name: shared
  cluster: { server: https://first.example:6443, insecure-skip-tls-verify: true }
users:
- name: u1
  user:
    client-certificate-data: ${b64('CERT')}
    client-key: keys/u1.key
- name: tok
  user: { tokenFile: token.txt }
contexts:
- name: one
  context: { cluster: c1, user: u1, namespace: team-a }
- name: two
  context: { cluster: shared, user: tok }
`;

const second = `
current-context: three
clusters:
- name: shared
  cluster: { server: https://second.example:6443 }
- name: c3
  cluster: { server: http://127.0.0.1:8080, certificate-authority-data: ${b64('CA3')} }
users:
- name: u3
  user: { token: secret-3 }
contexts:
- name: three
  context: { cluster: c3, user: u3 }
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeconfig-'));
  await writeFile(join(dir, 'first.yaml'), first);
  await writeFile(join(dir, 'second.yaml'), second);
  await writeFile(join(dir, 'ca.crt'), 'CA1');
  await (await import('node:fs/promises')).mkdir(join(dir, 'keys'));
  await writeFile(join(dir, 'keys', 'u1.key'), 'KEY1');
  await writeFile(join(dir, 'token.txt'), 'file-token\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('loadKubeconfig', () => {
  it('resolves the current context with files relative to the kubeconfig and base64 data', () => {
    const cfg = loadKubeconfig({ kubeconfig: join(dir, 'first.yaml'), env: {} });
    expect(cfg).toMatchObject({
      contextName: 'one', clusterName: 'c1', userName: 'u1', server: 'https://127.0.0.1:6443', namespace: 'team-a',
      tls: { ca: 'CA1', cert: 'CERT', key: 'KEY1', insecureSkipTlsVerify: false },
    });
  });

  it('honours --context, tokenFile and insecure-skip-tls-verify; namespace defaults to "default"', () => {
    const cfg = loadKubeconfig({ kubeconfig: join(dir, 'first.yaml'), context: 'two', env: {} });
    expect(cfg.server).toBe('https://first.example:6443');
    expect(cfg.tls.insecureSkipTlsVerify).toBe(true);
    expect(cfg.tokenFile).toBe(join(dir, 'token.txt'));
    expect(cfg.namespace).toBe('default');
  });

  it('merges KUBECONFIG files: first file wins per name and for current-context, missing files skipped', () => {
    const env = { KUBECONFIG: [join(dir, 'missing.yaml'), join(dir, 'first.yaml'), join(dir, 'second.yaml')].join(':') };
    expect(loadKubeconfig({ env }).contextName).toBe('one');
    const two = loadKubeconfig({ env, context: 'two' });
    expect(two.server).toBe('https://first.example:6443'); // 'shared' from the first file
    const three = loadKubeconfig({ env, context: 'three', namespace: 'override' });
    expect(three).toMatchObject({ server: 'http://127.0.0.1:8080', token: 'secret-3', namespace: 'override', tls: { ca: 'CA3' } });
    expect(three.files).toEqual([join(dir, 'first.yaml'), join(dir, 'second.yaml')]);
  });

  it('--kubeconfig beats KUBECONFIG', () => {
    const env = { KUBECONFIG: join(dir, 'first.yaml') };
    expect(loadKubeconfig({ env, kubeconfig: join(dir, 'second.yaml') }).contextName).toBe('three');
  });

  it('falls back to $HOME/.kube/config and reports typed errors', async () => {
    expect(() => loadKubeconfig({ env: { HOME: dir } })).toThrowError(expect.objectContaining({ code: 'ENOKUBECONFIG' }));
    expect(() => loadKubeconfig({ kubeconfig: join(dir, 'nope.yaml'), env: {} })).toThrow(KubeconfigError);
    expect(() => loadKubeconfig({ kubeconfig: join(dir, 'first.yaml'), context: 'zzz', env: {} })).toThrowError(
      expect.objectContaining({ code: 'ENOCONTEXT' }),
    );
    await writeFile(join(dir, 'bad.yaml'), 'clusters: [{name: x}]');
    expect(() => loadKubeconfig({ kubeconfig: join(dir, 'bad.yaml'), env: {} })).toThrowError(expect.objectContaining({ code: 'EPARSE' }));
  });

  it('accepts null lists as kubectl writes them', () => {
    expect(parseKubeconfig('clusters: null\nusers: null\ncontexts: null\n')).toMatchObject({ clusters: [], users: [], contexts: [] });
  });
});

describe('writeKubeconfig', () => {
  it('writes a file that loads back, with mode 0600', async () => {
    const path = join(dir, 'out', 'kubeconfig');
    await writeKubeconfig(path, { server: 'http://127.0.0.1:6443', name: 'tinykube', namespace: 'dev', token: 't0k' });
    const cfg = loadKubeconfig({ kubeconfig: path, env: {} });
    expect(cfg).toMatchObject({ contextName: 'tinykube', server: 'http://127.0.0.1:6443', namespace: 'dev', token: 't0k' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toContain('current-context: tinykube');
  });
});
