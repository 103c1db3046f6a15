import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncServiceAccounts } from './sync.js';

/**
 * Keys are namespace names: a namespace added or updated (resyncs included), or a ServiceAccount deleted in
 * it, is looked at again, so a deleted `default` comes back. One worker, as in kube.
 */
export function newServiceAccountController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  ctx.informers.get('namespaces').addEventHandler({
    onAdd: (ns) => queue.add(ns.metadata.name ?? ''),
    onUpdate: (ns) => queue.add(ns.metadata.name ?? ''),
  });
  ctx.informers.get('serviceaccounts').onDelete((sa) => queue.add(sa.metadata.namespace ?? ''));
  return {
    name: 'serviceaccount',
    queue,
    workers: ctx.options.concurrency.serviceaccount ?? 1,
    sync: (key) => syncServiceAccounts({ lister: ctx.lister, actions: ctx.actions }, key),
  };
}
