import { Expectations } from '../../core/expectations.js';
import type { DaemonSet, Pod } from '@tinykube/api';
import { controllerRefOf } from '../../core/pods.js';
import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncDaemonSet } from './sync.js';

export function newDaemonSetController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const expectations = new Expectations(ctx.now);
  const recorder = ctx.recorder('daemonset-controller');
  ctx.informers.get('daemonsets').onChange((ds) => queue.add(keyFor(ds)));
  const ownerKey = (pod: Pod): string | undefined => {
    const ref = controllerRefOf(pod);
    return ref?.kind === 'DaemonSet' ? `${pod.metadata.namespace}/${ref.name}` : undefined;
  };
  ctx.informers.get('pods').addEventHandler({
    onAdd(pod) {
      const k = ownerKey(pod);
      if (!k) return;
      expectations.creationObserved(k);
      queue.add(k);
    },
    onUpdate(pod) {
      const k = ownerKey(pod);
      if (k) queue.add(k);
    },
    onDelete(pod) {
      const k = ownerKey(pod);
      if (!k) return;
      expectations.deletionObserved(k, keyFor(pod));
      queue.add(k);
    },
  });
  // Any node change can change where daemon pods belong.
  const all = (): void => {
    for (const ds of ctx.lister.list('daemonsets') as DaemonSet[]) queue.add(keyFor(ds));
  };
  ctx.informers.get('nodes').addEventHandler({ onAdd: all, onUpdate: (n, old) => { if (n !== old) all(); }, onDelete: all });

  return {
    name: 'daemonset',
    queue,
    workers: ctx.options.concurrency.daemonset ?? 2,
    sync: (key) => syncDaemonSet({ lister: ctx.lister, actions: ctx.actions, recorder, expectations, now: ctx.now }, key),
  };
}
