/**
 * `remove-worker`'s first half, as `kubectl drain` then `kubectl delete node` do it: cordon the node, evict
 * every pod on it (through pods/eviction) except mirror pods and DaemonSet pods, wait until they are gone,
 * then delete the Node object.
 */
import type { Pod } from '@tinykube/api';
import type { ApiTarget } from './api-target.js';

/** What the drain reads of a pod. */
type PodItem = Pick<Pod, 'metadata'>;

async function call(api: ApiTarget, method: string, p: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
  return api.fetch(p, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** Pods the drain must evict: not mirror pods (their kubelet owns them) and not DaemonSet pods (as --ignore-daemonsets). */
export function podsToEvict(pods: PodItem[]): PodItem[] {
  return pods.filter((p) =>
    !p.metadata.annotations?.['kubernetes.io/config.mirror'] &&
    !(p.metadata.ownerReferences ?? []).some((o) => o.controller && o.kind === 'DaemonSet'));
}

async function podsOn(api: ApiTarget, node: string): Promise<PodItem[]> {
  const res = await call(api, 'GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`);
  if (!res.ok) throw new Error(`listing pods on ${node}: HTTP ${res.status}`);
  return ((await res.json()) as { items: PodItem[] }).items;
}

export async function drainAndDelete(api: ApiTarget, node: string, opts: { timeoutMs: number; log: (msg: string) => void }): Promise<void> {
  const cordon = await call(api, 'PATCH', `/api/v1/nodes/${node}`, { spec: { unschedulable: true } }, 'application/merge-patch+json');
  if (cordon.status === 404) throw new Error(`node "${node}" not found`);
  if (!cordon.ok) throw new Error(`cordoning ${node}: HTTP ${cordon.status}`);
  opts.log(`node/${node} cordoned`);
  const victims = podsToEvict(await podsOn(api, node));
  for (const p of victims) {
    const res = await call(api, 'POST', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/eviction`, {
      apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
    });
    if (!res.ok && res.status !== 404) throw new Error(`evicting ${p.metadata.namespace}/${p.metadata.name}: HTTP ${res.status}`);
    opts.log(`evicting pod ${p.metadata.namespace}/${p.metadata.name}`);
  }
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const left = podsToEvict(await podsOn(api, node));
    if (left.length === 0) break;
    if (Date.now() > deadline) throw new Error(`pods still on ${node} after ${opts.timeoutMs} ms: ${left.map((p) => p.metadata.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  opts.log(`node/${node} drained`);
  const del = await call(api, 'DELETE', `/api/v1/nodes/${node}`);
  if (!del.ok && del.status !== 404) throw new Error(`deleting node ${node}: HTTP ${del.status}`);
  opts.log(`node "${node}" deleted`);
}
