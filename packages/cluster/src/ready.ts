import type { NodeList } from '@tinykube/api';
import type { ApiTarget } from './api-target.js';

/** Polls the apiserver's /readyz until it answers 200, or throws after timeoutMs. */
export async function waitReady(api: ApiTarget, timeoutMs: number): Promise<void> {
  const url = `${api.server}/readyz`;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await api.fetch('/readyz', { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

/** Names of the nodes whose Ready condition is True. */
export async function readyNodes(api: ApiTarget): Promise<string[]> {
  const res = await api.fetch('/api/v1/nodes', { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) return [];
  const list = (await res.json()) as NodeList;
  return list.items
    .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.metadata.name ?? '');
}

/** Waits until every named node is Ready; `onReady` hears of each node as it turns Ready. */
export async function waitNodesReady(api: ApiTarget, names: string[], timeoutMs: number, onReady: (node: string, count: number) => void = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ready: string[] = [];
  const told = new Set<string>();
  while (Date.now() < deadline) {
    try {
      ready = await readyNodes(api);
      for (const n of names) if (ready.includes(n) && !told.has(n)) { told.add(n); onReady(n, told.size); }
      if (names.every((n) => ready.includes(n))) return;
    } catch {
      // the API server may restart while the control plane comes up
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nodes not Ready after ${timeoutMs} ms: ${names.filter((n) => !ready.includes(n)).join(', ')}`);
}
