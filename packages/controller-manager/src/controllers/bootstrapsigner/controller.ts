import { BOOTSTRAP_TOKEN_NAMESPACE, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, parseBootstrapToken } from '@tinykube/api';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncBootstrapSigner } from './sync.js';

/**
 * One key (cluster-info), enqueued by any change of it or of a Secret in kube-system, as kube does. Off by
 * default, as in kube (kubeadm turns it on: `--controllers=*,bootstrapsigner,tokencleaner`).
 */
export function newBootstrapSigner(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const key = `${CLUSTER_INFO_NAMESPACE}/${CLUSTER_INFO_NAME}`;
  ctx.informers.get('configmaps').onChange((cm) => {
    if (cm.metadata.namespace === CLUSTER_INFO_NAMESPACE && cm.metadata.name === CLUSTER_INFO_NAME) queue.add(key);
  });
  ctx.informers.get('secrets').onChange((s) => {
    if (s.metadata.namespace === BOOTSTRAP_TOKEN_NAMESPACE) queue.add(key);
  });
  // a first pass once the caches are synced, to create a missing cluster-info
  queue.add(key);
  const { clusterInfoServer: server, rootCA: caPem } = ctx.options;
  const token = ctx.options.bootstrapToken === undefined ? undefined : parseBootstrapToken(ctx.options.bootstrapToken);
  if (ctx.options.bootstrapToken !== undefined && !token) throw new Error('--bootstrap-token-file: not a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})');
  return {
    name: 'bootstrapsigner',
    queue,
    workers: 1,
    sync: () => syncBootstrapSigner({ lister: ctx.lister, actions: ctx.actions, now: ctx.now, clusterInfo: server && caPem ? { server, caPem } : undefined, token }),
  };
}
