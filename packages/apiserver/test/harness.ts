/**
 * Integration harness: a real store (etcd, or tinykube-store when TK_STORES includes `tiny`) plus our
 * apiserver process, and a small fetch-based client. Suites take the store as a parameter:
 *   describe.each(stores)('... (%s)', (_name, startStore) => { ... })
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiserverTlsArgs, freePort, spawnComponent, startRealEtcd, startTinyStore, testPki, waitFor, type Proc, type RunningStore } from '@tinykube/testkit';

export { apiserverTlsArgs };

export type StartStore = () => Promise<RunningStore>;

/** The stores to run against: by default both the real etcd and tinykube-store (TK_STORES=etcd or =tiny picks one). */
export const stores: [string, StartStore][] = (() => {
  const wanted = (process.env.TK_STORES ?? 'etcd,tiny').split(',').map((s) => s.trim());
  const all: [string, StartStore][] = [['etcd', () => startRealEtcd()], ['tiny', () => startTinyStore()]];
  return all.filter(([n]) => wanted.includes(n));
})();

export interface Reply<T = any> { status: number; body: T; headers: Headers; text: string }

export interface Cluster {
  url: string;
  store: RunningStore;
  api: Proc;
  req<T = any>(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  /** Writes a kubeconfig for this apiserver into a fresh temp dir (removed by close()). */
  kubeconfig(opts?: { insecureSkipTlsVerify?: boolean }): string;
  close(): Promise<void>;
}

/** Starts an apiserver process on `store` and waits for /readyz. */
export async function startApiServer(store: RunningStore, extraArgs: string[] = [], port?: number): Promise<{ api: Proc; url: string }> {
  const p = port ?? await freePort();
  const api = spawnComponent('apiserver', [
    ...store.apiserverArgs, ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(p), '--log-level', 'warn', ...extraArgs,
  ]);
  const url = `https://127.0.0.1:${p}`;
  try {
    await waitFor(async () => {
      if (api.child.exitCode !== null) throw new Error(`apiserver exited:\n${api.output()}`);
      return (await fetch(`${url}/readyz`)).ok;
    }, { timeoutMs: 30_000, what: 'apiserver /readyz' });
  } catch (err) {
    await api.stop();
    throw err;
  }
  return { api, url };
}

export async function startCluster(startStore: StartStore, extraArgs: string[] = []): Promise<Cluster> {
  const store = await startStore();
  let started: { api: Proc; url: string };
  try {
    started = await startApiServer(store, extraArgs);
  } catch (err) {
    await store.close();
    throw err;
  }
  const { api, url } = started;
  const dirs: string[] = [];
  return {
    url, store, api,
    async req(method, p, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + p, init);
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed as any, headers: res.headers, text };
    },
    kubeconfig(opts = {}) {
      const dir = mkdtempSync(path.join(tmpdir(), 'tk-kubeconfig-'));
      dirs.push(dir);
      const file = path.join(dir, 'config');
      const k = testPki();
      writeFileSync(file, [
        'apiVersion: v1', 'kind: Config', 'clusters:', '- name: tk', '  cluster:', `    server: ${url}`,
        opts.insecureSkipTlsVerify ? '    insecure-skip-tls-verify: true' : `    certificate-authority: ${k.ca.cert}`,
        'users:', '- name: tk', '  user:', `    client-certificate: ${k.admin.cert}`, `    client-key: ${k.admin.key}`,
        'contexts:', '- name: tk', '  context: {cluster: tk, user: tk}', 'current-context: tk', '',
      ].join('\n'));
      return file;
    },
    async close() {
      await api.stop();
      await store.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** A minimal valid pod manifest. */
export function pod(name: string, extra: { labels?: Record<string, string>; nodeName?: string; image?: string } = {}): any {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: [{ name: 'c', image: extra.image ?? 'busybox:1.36' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  };
}

export { openWatch, readWatch } from '@tinykube/testkit';
