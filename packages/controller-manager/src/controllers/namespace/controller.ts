import type { CollectionTarget } from '../../core/ports.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { defaultNamespacedResources, syncNamespace } from './sync.js';

export function newNamespaceController(ctx: ControllerContext, resources: () => readonly CollectionTarget[] = () => defaultNamespacedResources): Controller {
  const queue = newQueue(ctx);
  ctx.informers.get('namespaces').onChange((ns) => {
    if (ns.metadata.deletionTimestamp) queue.add(ns.metadata.name ?? '');
  });
  return {
    name: 'namespace',
    queue,
    workers: ctx.options.concurrency.namespace ?? 2,
    sync: (key) => syncNamespace({ lister: ctx.lister, actions: ctx.actions, resources }, key),
  };
}
