import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiFromKubeconfig, type ApiTarget } from '@tinykube/cluster';
import { waitFor } from '@tinykube/testkit';

const run = promisify(execFile);


/**
 * A tiny JSON client for end-to-end assertions (the real clients are exercised by their own tests), over TLS as the
 * cluster's admin: the kubeconfig the cluster wrote (read at the first call, once it exists).
 */
export function kube(kubeconfig: string) {
  let api: ApiTarget | undefined;
  const call = async <T = any>(method: string, p: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: T }> => {
    api ??= apiFromKubeconfig(kubeconfig);
    const res = await api.fetch(p, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* plain text */ }
    return { status: res.status, body: parsed as T };
  };
  return {
    call,
    get: <T = any>(p: string) => call<T>('GET', p),
    post: <T = any>(p: string, body: unknown) => call<T>('POST', p, body),
    patch: <T = any>(p: string, body: unknown, type = 'application/merge-patch+json') => call<T>('PATCH', p, body, type),
    del: <T = any>(p: string) => call<T>('DELETE', p),
  };
}
export type Kube = ReturnType<typeof kube>;

export interface PodView {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { containerID?: string; restartCount: number }[] };
}

export const isReady = (p: PodView) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Runs the real kubectl (the Cloud SDK dispatcher) with a fresh cache dir against a kubeconfig. */
export function kubectl(kubeconfig: string) {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'tk-kubectl-cache-'));
  return async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
}

/** Runs tkctl from the build (node_modules/.bin/tkctl → packages/tkctl/dist/main.js) against a kubeconfig. */
export async function tkctl(kubeconfig: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = path.join(path.dirname(new URL(import.meta.url).pathname), '../../packages/tkctl/dist/main.js');
  try {
    const { stdout, stderr } = await run(process.execPath, [main, '--kubeconfig', kubeconfig, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The control plane's static pods (mirrored on control-plane) and a kube-proxy on every node, all Running. */
export async function controlPlaneMirrorPods(pods: (ns: string) => Promise<PodView[]>, nodes: string[]): Promise<PodView[]> {
  const expected = ['store-control-plane', 'kube-apiserver-control-plane', 'kube-controller-manager-control-plane', 'kube-scheduler-control-plane', ...nodes.map((n) => `kube-proxy-${n}`)];
  const sys = await waitFor(async () => {
    const list = await pods('kube-system');
    return expected.every((name) => list.some((p) => p.metadata.name === name && p.status?.phase === 'Running')) && list;
  }, { timeoutMs: 30_000, what: 'kube-system mirror pods Running' });
  return sys.filter((p) => expected.includes(p.metadata.name));
}

/** The node a control-plane or kube-proxy mirror pod must be on. */
export const mirrorPodNode = (p: PodView): string => (p.metadata.name.startsWith('kube-proxy-') ? p.metadata.name.slice('kube-proxy-'.length) : 'control-plane');
