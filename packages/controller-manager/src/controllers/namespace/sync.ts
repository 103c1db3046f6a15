import { isNotFound } from '@tinykube/api';
import type { Actions, CollectionTarget, Lister, SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';

export const FINALIZER_KUBERNETES = 'kubernetes';

export interface NamespaceSyncDeps {
  lister: Lister;
  actions: Actions;
  /** Every namespaced resource to purge, workload owners first (see defaultNamespacedResources). */
  resources: () => readonly CollectionTarget[];
  /** How long to wait before checking again while content remains. */
  retryMs?: number;
}

/** What a namespace can hold when the apiserver's registry isn't available to ask. Owners first. */
export const defaultNamespacedResources: readonly CollectionTarget[] = [
  { group: 'apps', version: 'v1', plural: 'deployments' },
  { group: 'apps', version: 'v1', plural: 'daemonsets' },
  { group: 'apps', version: 'v1', plural: 'statefulsets' },
  { group: 'apps', version: 'v1', plural: 'replicasets' },
  { group: 'batch', version: 'v1', plural: 'jobs' },
  { group: 'batch', version: 'v1', plural: 'cronjobs' },
  { group: '', version: 'v1', plural: 'services' },
  { group: '', version: 'v1', plural: 'pods' },
  { group: '', version: 'v1', plural: 'endpoints' },
  { group: '', version: 'v1', plural: 'configmaps' },
  { group: '', version: 'v1', plural: 'secrets' },
  { group: '', version: 'v1', plural: 'serviceaccounts' },
  { group: '', version: 'v1', plural: 'persistentvolumeclaims' },
  { group: 'coordination.k8s.io', version: 'v1', plural: 'leases' },
  { group: '', version: 'v1', plural: 'events' },
];

/**
 * kube's namespace deleter: for a namespace being deleted, delete every namespaced collection in
 * it; once nothing is left, remove the `kubernetes` finalizer with PUT namespaces/<ns>/finalize so
 * the apiserver can drop the namespace. Pods take their grace period, so we come back until empty.
 */
export async function syncNamespace(deps: NamespaceSyncDeps, name: string): Promise<SyncResult> {
  const ns = deps.lister.get('namespaces', '', name);
  if (!ns || !ns.metadata.deletionTimestamp) return {};
  if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return {};
  let remaining = 0;
  for (const target of deps.resources()) {
    try {
      await deps.actions.deleteCollection(target, name);
      remaining += (await deps.actions.listNames(target, name)).length;
    } catch (err) {
      if (!isNotFound(err) && !isUnsupported(err)) throw err; // a resource this server doesn't serve
    }
  }
  if (remaining > 0) return { requeueAfterMs: deps.retryMs ?? 1000 };
  const next = clone(ns);
  next.spec = { ...next.spec, finalizers: (next.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES) };
  await deps.actions.update('namespaces', next, 'finalize');
  return {};
}

function isUnsupported(err: unknown): boolean {
  const code = (err as { code?: number } | undefined)?.code;
  return code === 405 || code === 501;
}
