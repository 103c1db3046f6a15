import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { ROOT_CA_CONFIGMAP } from '@tinykube/api';
import { syncRootCA } from './sync.js';

/**
 * Keys are namespace names, enqueued (as kube does) when a namespace is added or updated while Active, and when
 * a `kube-root-ca.crt` is updated or deleted. One worker, as in kube. Built only with --root-ca-file (see
 * cannotRun in manager.ts).
 */
export function newRootCACertPublisher(ctx: ControllerContext): Controller {
  const rootCA = ctx.options.rootCA;
  if (!rootCA) throw new Error('root-ca-cert-publisher needs --root-ca-file');
  const queue = newQueue(ctx);
  ctx.informers.get('namespaces').addEventHandler({
    onAdd: (ns) => queue.add(ns.metadata.name ?? ''),
    onUpdate: (ns) => {
      if (ns.status?.phase === 'Active') queue.add(ns.metadata.name ?? '');
    },
  });
  const ours = (cm: { metadata: { name?: string; namespace?: string } }): void => {
    if (cm.metadata.name === ROOT_CA_CONFIGMAP) queue.add(cm.metadata.namespace ?? '');
  };
  ctx.informers.get('configmaps').addEventHandler({ onUpdate: ours, onDelete: ours });
  return {
    name: 'root-ca-cert-publisher',
    queue,
    workers: ctx.options.concurrency['root-ca-cert-publisher'] ?? 1,
    sync: (key) => syncRootCA({ lister: ctx.lister, actions: ctx.actions, rootCA }, key),
  };
}
