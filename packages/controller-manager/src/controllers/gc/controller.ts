import type { KubeObject } from '@tinykube/api';
import type { ResourceName } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { gcKey, syncGarbage } from './sync.js';

/** The kinds the GC watches: the owned kinds we have (dependents) and their owners. */
export const GC_KINDS: readonly ResourceName[] = ['pods', 'replicasets', 'deployments', 'daemonsets', 'endpoints', 'services'];

export function newGarbageCollector(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  // uid -> the key of every watched object, to find owners and dependents from events.
  const byUid = new Map<string, string>();
  const dependentsOf = new Map<string, Set<string>>();
  for (const r of GC_KINDS) {
    const inf = ctx.informers.get(r);
    const track = (o: KubeObject): void => {
      const k = gcKey(r, o);
      if (o.metadata.uid) byUid.set(o.metadata.uid, k);
      for (const ref of o.metadata.ownerReferences ?? []) {
        let s = dependentsOf.get(ref.uid);
        if (!s) dependentsOf.set(ref.uid, (s = new Set()));
        s.add(k);
      }
    };
    const wakeDependents = (o: KubeObject): void => {
      for (const k of dependentsOf.get(o.metadata.uid ?? '') ?? []) queue.add(k);
    };
    const wakeOwners = (o: KubeObject): void => {
      for (const ref of o.metadata.ownerReferences ?? []) {
        const k = byUid.get(ref.uid);
        if (k) queue.add(k);
      }
    };
    inf.addEventHandler({
      onAdd(o) {
        track(o);
        if (o.metadata.ownerReferences?.length || o.metadata.deletionTimestamp) queue.add(gcKey(r, o));
      },
      onUpdate(o) {
        track(o);
        if (o.metadata.ownerReferences?.length || o.metadata.deletionTimestamp) queue.add(gcKey(r, o));
        if (o.metadata.deletionTimestamp) wakeDependents(o);
      },
      onDelete(o) {
        byUid.delete(o.metadata.uid ?? '');
        wakeDependents(o); // orphans now: collect them
        wakeOwners(o); // an owner in foreground deletion may be waiting for us
        dependentsOf.delete(o.metadata.uid ?? '');
      },
    });
  }
  return {
    name: 'garbagecollector',
    queue,
    workers: ctx.options.concurrency['garbagecollector'] ?? 5,
    sync: (key) => syncGarbage({ lister: ctx.lister, actions: ctx.actions, kinds: GC_KINDS }, key),
  };
}
