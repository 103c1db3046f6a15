import { TokenBucket } from '../../core/rate-limiter.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { NodeHealth } from './health.js';
import { NODE_LEASE_NAMESPACE, syncNode } from './sync.js';

export function newNodeLifecycleController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const recorder = ctx.recorder('node-controller');
  ctx.informers.get('nodes').addEventHandler({
    onAdd: (n) => queue.add(n.metadata.name ?? ''),
    onUpdate: (n) => queue.add(n.metadata.name ?? ''),
    onDelete: (n) => queue.add(n.metadata.name ?? ''),
  });
  ctx.informers.get('leases').onChange((l) => {
    if (l.metadata.namespace === NODE_LEASE_NAMESPACE) queue.add(l.metadata.name ?? '');
  });
  const deps = {
    lister: ctx.lister,
    actions: ctx.actions,
    recorder,
    now: ctx.now,
    health: new NodeHealth(),
    evictionLimiter: new TokenBucket(ctx.options.nodeEvictionRate, 1, ctx.now),
    gracePeriodMs: ctx.options.nodeMonitorGracePeriodMs,
  };
  return { name: 'nodelifecycle', queue, workers: 1, sync: (key) => syncNode(deps, key) };
}
