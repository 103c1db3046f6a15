import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncClusterRoleAggregation } from './sync.js';

/**
 * Any ClusterRole change may change what an aggregating role selects (labels, rules, deletion), so,
 * as kube does, every change enqueues every ClusterRole that has an aggregationRule.
 */
export function newClusterRoleAggregationController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const clusterRoles = ctx.informers.get('clusterroles');
  clusterRoles.onChange(() => {
    for (const r of clusterRoles.list()) if (r.aggregationRule) queue.add(keyFor(r));
  });
  return {
    name: 'clusterrole-aggregation',
    queue,
    workers: ctx.options.concurrency['clusterrole-aggregation'] ?? 5, // kube runs it with 5
    sync: (key) => syncClusterRoleAggregation({ lister: ctx.lister, actions: ctx.actions }, key),
  };
}
