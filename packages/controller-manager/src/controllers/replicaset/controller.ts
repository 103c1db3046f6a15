import { Expectations } from '../../core/expectations.js';
import { labelSelectorMatches, type Pod, type ReplicaSet } from '@tinykube/api';
import { controllerRefOf } from '../../core/pods.js';
import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncReplicaSet } from './sync.js';

/** Wires the ReplicaSet sync to the rs and pod informers (handlers only enqueue and observe expectations). */
export function newReplicaSetController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const expectations = new Expectations(ctx.now);
  const rsInf = ctx.informers.get('replicasets');
  const podInf = ctx.informers.get('pods');
  const recorder = ctx.recorder('replicaset-controller');

  rsInf.onChange((rs) => queue.add(keyFor(rs)));
  const ownerKey = (pod: Pod): string | undefined => {
    const ref = controllerRefOf(pod);
    return ref?.kind === 'ReplicaSet' ? `${pod.metadata.namespace}/${ref.name}` : undefined;
  };
  // An orphan may be adopted by any ReplicaSet whose selector matches it.
  const enqueueMatching = (pod: Pod): void => {
    for (const rs of ctx.lister.list('replicasets', pod.metadata.namespace) as ReplicaSet[]) {
      if (labelSelectorMatches(rs.spec.selector, pod.metadata.labels)) queue.add(keyFor(rs));
    }
  };
  podInf.addEventHandler({
    onAdd(pod) {
      const k = ownerKey(pod);
      if (k) {
        expectations.creationObserved(k);
        queue.add(k);
      } else enqueueMatching(pod);
    },
    onUpdate(pod, old) {
      const k = ownerKey(pod);
      const ok = ownerKey(old);
      if (ok && ok !== k) queue.add(ok);
      if (k) queue.add(k);
      else enqueueMatching(pod);
    },
    onDelete(pod) {
      const k = ownerKey(pod);
      if (!k) return;
      expectations.deletionObserved(k, keyFor(pod));
      queue.add(k);
    },
  });

  return {
    name: 'replicaset',
    queue,
    workers: ctx.options.concurrency.replicaset ?? 5,
    sync: (key) => syncReplicaSet({ lister: ctx.lister, actions: ctx.actions, recorder, expectations, now: ctx.now }, key),
  };
}
