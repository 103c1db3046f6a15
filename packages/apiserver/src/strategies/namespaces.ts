/**
 * Namespace lifecycle (Kubernetes' NamespaceLifecycle admission + namespace deletion).
 * - Creating in a missing namespace: 404 NotFound namespaces "x"; in a terminating one: 403 Forbidden.
 * - Deleting a namespace sets deletionTimestamp and status.phase Terminating and keeps the object while
 *   spec.finalizers is non-empty. Removing the `kubernetes` finalizer is the namespace controller's job in
 *   Kubernetes; until tinykube has one, the apiserver does that job itself, in the background: it deletes
 *   every namespaced object under the namespace directly in the store (no graceful pod termination: the
 *   kubelet sees the pods vanish), then drops the `kubernetes` finalizer, and the namespace goes once no
 *   finalizer is left. Terminating namespaces found at start are finished the same way.
 * - default, kube-system and kube-public may not be deleted (403), as in Kubernetes.
 */
import type { KubeObject } from '@tinykube/api';
import type { Logger } from 'pino';
import { forbidden, notFound, type GroupResource } from '@tinykube/api';
import type { ResourceStore } from '../storage/resource-store.js';
import type { Strategy } from '../storage/strategy.js';
import { cloneObject } from '../storage/codec.js';
import { formatTime, isRecord } from '../util.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
const NAMESPACES: GroupResource = { group: '', resource: 'namespaces' };
export const FINALIZER_KUBERNETES = 'kubernetes';

export function namespaceStrategy(): Strategy {
  return {
    canFinishDeletion: (obj) => specFinalizers(obj).length === 0,
    prepareForCreate(obj: KubeObject) {
      obj.status = { phase: 'Active' };
      const spec = isRecord(obj.spec) ? obj.spec : (obj.spec = {});
      if (!Array.isArray(spec.finalizers)) spec.finalizers = [FINALIZER_KUBERNETES];
    },
  };
}

function isTerminating(ns: KubeObject): boolean {
  return !!ns.metadata.deletionTimestamp || (isRecord(ns.status) && ns.status.phase === 'Terminating');
}

function specFinalizers(ns: KubeObject): string[] {
  return isRecord(ns.spec) && Array.isArray(ns.spec.finalizers) ? (ns.spec.finalizers as string[]) : [];
}

export class NamespaceLifecycle {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly namespaces: () => ResourceStore,
    private readonly namespacedStores: () => ResourceStore[],
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  /** Admission for creates of namespaced objects. */
  async checkNamespaceForCreate(namespace: string, gr: GroupResource, name: string): Promise<void> {
    const store = this.namespaces();
    let ns = store.cache.get(store.key(undefined, namespace))?.obj;
    // the cache may lag a namespace created a moment ago
    if (!ns) ns = await store.getOrUndefined(undefined, namespace);
    if (!ns) throw notFound(NAMESPACES, namespace);
    if (isTerminating(ns)) {
      throw forbidden(gr, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** DELETE /api/v1/namespaces/NAME: marks it Terminating and starts finalizing. Returns the namespace. */
  async delete(name: string, dryRun: boolean): Promise<KubeObject> {
    if (IMMORTAL_NAMESPACES.includes(name)) throw forbidden(NAMESPACES, name, 'this namespace may not be deleted');
    const store = this.namespaces();
    const key = store.key(undefined, name);
    for (;;) {
      const kv = await store.etcd.get(key);
      if (!kv) throw notFound(NAMESPACES, name);
      const cur = store.codec.decode(kv);
      if (isTerminating(cur) && cur.metadata.deletionTimestamp) {
        if (!dryRun) this.finalizeInBackground(name);
        return cur;
      }
      const next = cloneObject(cur);
      next.metadata.deletionTimestamp = formatTime(this.clock());
      next.metadata.deletionGracePeriodSeconds = 0;
      next.status = { ...(isRecord(next.status) ? next.status : {}), phase: 'Terminating' };
      if (dryRun) return next;
      const res = await store.etcd.update(key, store.codec.encode(next, key), kv.modRevision);
      if (!res.ok) continue;
      next.metadata.resourceVersion = String(res.revision);
      this.finalizeInBackground(name);
      return next;
    }
  }

  /** Finishes every namespace left Terminating (e.g. by a restart mid-deletion). */
  resumeAll(): void {
    const store = this.namespaces();
    for (const e of store.cache.list()) {
      if (isTerminating(e.obj) && e.obj.metadata.name) this.finalizeInBackground(e.obj.metadata.name);
    }
  }

  /** Resolves when the background finalization of `name` (if any) is over. */
  async settled(name: string): Promise<void> {
    await this.running.get(name);
  }

  private finalizeInBackground(name: string): void {
    if (this.running.has(name)) return;
    const p = this.finalize(name)
      .catch((err: unknown) => this.log.error({ err, namespace: name }, 'namespace finalization failed'))
      .finally(() => this.running.delete(name));
    this.running.set(name, p);
  }

  private async finalize(name: string): Promise<void> {
    for (const s of this.namespacedStores()) {
      const prefix = s.listPrefix(name);
      if (s.strategy.afterDelete) {
        // objects whose deletion releases something (Services' IPs and ports) go one by one
        const r = await s.etcd.range(prefix, { prefix: true });
        for (const kv of r.kvs) {
          const del = await s.etcd.deleteIf(kv.key);
          if (del.ok) await s.strategy.afterDelete(s.codec.decode(kv));
        }
      } else {
        await s.etcd.delete(prefix, { prefix: true });
      }
    }
    const store = this.namespaces();
    const key = store.key(undefined, name);
    for (;;) {
      const kv = await store.etcd.get(key);
      if (!kv) return;
      const cur = store.codec.decode(kv);
      const next = cloneObject(cur);
      const remaining = specFinalizers(cur).filter((f) => f !== FINALIZER_KUBERNETES);
      if (isRecord(next.spec)) next.spec.finalizers = remaining;
      const res = remaining.length === 0 && (cur.metadata.finalizers?.length ?? 0) === 0
        ? await store.etcd.deleteIf(key, kv.modRevision)
        : await store.etcd.update(key, store.codec.encode(next, key), kv.modRevision);
      if (res.ok) {
        this.log.info({ namespace: name }, 'namespace finalized');
        return;
      }
    }
  }
}
