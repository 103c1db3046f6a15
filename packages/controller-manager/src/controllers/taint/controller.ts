import type { Pod } from '@tinykube/api';
import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncTaintEviction } from './sync.js';

/** The NoExecute taint manager: pods are (re)checked when they or their node change. */
export function newTaintEvictionController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const recorder = ctx.recorder('taint-eviction-controller');
  const pods = ctx.informers.get('pods');
  ctx.informers.index('pods', 'byNode', (p: Pod) => [p.spec.nodeName]);
  pods.addEventHandler({ onAdd: (p) => queue.add(keyFor(p)), onUpdate: (p) => queue.add(keyFor(p)) });
  const nodeChanged = (name: string | undefined): void => {
    if (!name) return;
    for (const p of pods.byIndex('byNode', name)) queue.add(keyFor(p));
  };
  ctx.informers.get('nodes').addEventHandler({
    onAdd: (n) => nodeChanged(n.metadata.name),
    onUpdate: (n, old) => {
      if (JSON.stringify(n.spec?.taints ?? []) !== JSON.stringify(old.spec?.taints ?? [])) nodeChanged(n.metadata.name);
    },
  });
  const deps = {
    lister: ctx.lister, actions: ctx.actions, recorder, now: ctx.now,
    defaultTolerationSeconds: ctx.options.podEvictionTimeoutSeconds, firstSeen: new Map<string, number>(),
  };
  return { name: 'taint-eviction', queue, workers: ctx.options.concurrency['taint-eviction'] ?? 2, sync: (key) => syncTaintEviction(deps, key) };
}
