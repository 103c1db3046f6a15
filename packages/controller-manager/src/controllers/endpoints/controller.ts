import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { servicesForPod, syncEndpoints } from './sync.js';

export function newEndpointsController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  ctx.informers.get('services').addEventHandler({
    onAdd: (s) => queue.add(keyFor(s)),
    onUpdate: (s) => queue.add(keyFor(s)),
    onDelete: (s) => queue.add(keyFor(s)),
  });
  const podChanged = (pod: Parameters<typeof servicesForPod>[1]): void => {
    for (const s of servicesForPod(ctx.lister, pod)) queue.add(keyFor(s));
  };
  ctx.informers.get('pods').addEventHandler({
    onAdd: podChanged,
    onUpdate: (pod, old) => {
      podChanged(pod);
      if (old !== pod) podChanged(old); // label changes: the services it left
    },
    onDelete: podChanged,
  });
  // Someone deleted or edited our Endpoints: put them back.
  ctx.informers.get('endpoints').addEventHandler({ onDelete: (e) => queue.add(keyFor(e)), onUpdate: (e) => queue.add(keyFor(e)) });
  return {
    name: 'endpoints',
    queue,
    workers: ctx.options.concurrency.endpoints ?? 5,
    sync: (key) => syncEndpoints({ lister: ctx.lister, actions: ctx.actions }, key),
  };
}
