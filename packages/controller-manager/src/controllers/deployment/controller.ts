import { labelSelectorMatches, type Deployment, type KubeObject } from '@tinykube/api';
import { controllerRefOf } from '../../core/pods.js';
import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncDeployment } from './sync.js';

export function newDeploymentController(ctx: ControllerContext): Controller {
  const queue = newQueue(ctx);
  const recorder = ctx.recorder('deployment-controller');
  ctx.informers.get('deployments').onChange((d) => queue.add(keyFor(d)));

  const ownerOf = (obj: KubeObject, kind: string): string | undefined => {
    const ref = controllerRefOf(obj);
    return ref?.kind === kind ? `${obj.metadata.namespace}/${ref.name}` : undefined;
  };
  const enqueueForRS = (rs: KubeObject): void => {
    const k = ownerOf(rs, 'Deployment');
    if (k) return queue.add(k);
    for (const d of ctx.lister.list('deployments', rs.metadata.namespace) as Deployment[]) {
      if (labelSelectorMatches(d.spec.selector, rs.metadata.labels)) queue.add(keyFor(d));
    }
  };
  ctx.informers.get('replicasets').addEventHandler({
    onAdd: enqueueForRS,
    onUpdate: (rs, old) => {
      enqueueForRS(rs);
      const ok = ownerOf(old, 'Deployment');
      if (ok && ok !== ownerOf(rs, 'Deployment')) queue.add(ok);
    },
    onDelete: enqueueForRS,
  });
  // Recreate waits for old pods to be gone: their deletion must wake the Deployment.
  ctx.informers.get('pods').onDelete((pod) => {
    const rsKey = ownerOf(pod, 'ReplicaSet');
    if (!rsKey) return;
    const [ns, name] = rsKey.split('/');
    const rs = ctx.lister.get('replicasets', ns, name);
    const dk = rs && ownerOf(rs, 'Deployment');
    if (dk) queue.add(dk);
  });

  return {
    name: 'deployment',
    queue,
    workers: ctx.options.concurrency.deployment ?? 5,
    sync: (key) => syncDeployment({ lister: ctx.lister, actions: ctx.actions, recorder, now: ctx.now }, key),
  };
}
