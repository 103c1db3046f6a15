import { BOOTSTRAP_TOKEN_NAMESPACE } from '@tinykube/api';
import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncTokenCleaner } from './sync.js';

/** Keys are kube-system Secrets, enqueued on add and update. Off by default, as in kube. */
export function newTokenCleaner(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  ctx.informers.get('secrets').addEventHandler({
    onAdd: (s) => { if (s.metadata.namespace === BOOTSTRAP_TOKEN_NAMESPACE) queue.add(keyFor(s)); },
    onUpdate: (s) => { if (s.metadata.namespace === BOOTSTRAP_TOKEN_NAMESPACE) queue.add(keyFor(s)); },
  });
  return {
    name: 'tokencleaner',
    queue,
    workers: 1,
    sync: (key) => syncTokenCleaner({ lister: ctx.lister, actions: ctx.actions, now: ctx.now }, key),
  };
}
