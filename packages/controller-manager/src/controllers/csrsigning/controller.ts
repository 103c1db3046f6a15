import { keyFor } from '../../core/resources.js';
import { newQueue, type Controller, type ControllerContext } from '../../runtime/controller.js';
import { syncCsrSigning } from './sync.js';

/** kube's --cluster-signing-duration default (8760h). */
const ONE_YEAR_MS = 8760 * 3_600_000;

/** Keys are CSR names, enqueued on add and update. Built only with the signing CA (see cannotRun in manager.ts). */
export function newCsrSigningController(ctx: ControllerContext): Controller {
  const ca = ctx.options.clusterSigning;
  if (!ca) throw new Error('csrsigning needs --cluster-signing-cert-file and --cluster-signing-key-file');
  const queue = newQueue(ctx);
  ctx.informers.get('certificatesigningrequests').addEventHandler({ onAdd: (o) => queue.add(keyFor(o)), onUpdate: (o) => queue.add(keyFor(o)) });
  return {
    name: 'csrsigning',
    queue,
    workers: ctx.options.concurrency.csrsigning ?? 5,
    sync: (key) => syncCsrSigning({
      lister: ctx.lister, actions: ctx.actions, now: ctx.now, ca: { certPem: ca.certPem, keyPem: ca.keyPem }, durationMs: ctx.options.clusterSigningDurationMs ?? ONE_YEAR_MS,
    }, key),
  };
}
