import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncCsrApproving } from './sync.js';

/** Keys are CSR names, enqueued on add and update (kube's certificate controller). Nodes are read for serving SANs. */
export function newCsrApprovingController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const csrs = ctx.informers.get('certificatesigningrequests');
  csrs.addEventHandler({ onAdd: (o) => queue.add(keyFor(o)), onUpdate: (o) => queue.add(keyFor(o)) });
  ctx.informers.get('nodes');
  return {
    name: 'csrapproving',
    queue,
    workers: ctx.options.concurrency.csrapproving ?? 5,
    sync: (key) => syncCsrApproving({ lister: ctx.lister, actions: ctx.actions }, key),
  };
}
