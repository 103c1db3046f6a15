import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { CidrSet } from './cidr.js';
import { syncNodeCidr } from './sync.js';

export function newNodeIpamController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const cidrs = new CidrSet(ctx.options.clusterCidr, ctx.options.nodeCidrMaskSize);
  ctx.informers.get('nodes').onChange((n) => {
    if (!n.spec?.podCIDR) queue.add(n.metadata.name ?? '');
  });
  const deps = { lister: ctx.lister, actions: ctx.actions, recorder: ctx.recorder('node-ipam-controller'), cidrs, pending: new Map<string, string>() };
  // One worker: allocation reads then writes the set of used CIDRs.
  return { name: 'nodeipam', queue, workers: 1, sync: (key) => syncNodeCidr(deps, key) };
}
