import { setMaxListeners } from 'node:events';
import { Controller as WorkerLoop, type Clock, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import type { Now } from './core/ports.js';
import { newBootstrapSigner } from './controllers/bootstrapsigner/controller.js';
import { newClusterRoleAggregationController } from './controllers/clusterroleaggregation/controller.js';
import { newCsrApprovingController } from './controllers/csrapproving/controller.js';
import { newCsrSigningController } from './controllers/csrsigning/controller.js';
import { newDaemonSetController } from './controllers/daemonset/controller.js';
import { newDeploymentController } from './controllers/deployment/controller.js';
import { newEndpointsController } from './controllers/endpoints/controller.js';
import { newGarbageCollector } from './controllers/gc/controller.js';
import { newNamespaceController } from './controllers/namespace/controller.js';
import { newNodeIpamController } from './controllers/nodeipam/controller.js';
import { newNodeLifecycleController } from './controllers/nodelifecycle/controller.js';
import { newReplicaSetController } from './controllers/replicaset/controller.js';
import { newRootCACertPublisher } from './controllers/rootcacertpublisher/controller.js';
import { newServiceAccountController } from './controllers/serviceaccount/controller.js';
import { newTaintEvictionController } from './controllers/taint/controller.js';
import { newTokenCleaner } from './controllers/tokencleaner/controller.js';
import { type Controller, type ControllerContext, type ManagerOptions } from './runtime/controller.js';
import { ApiEventRecorder } from './runtime/events.js';
import { SharedInformers, listerFor } from './runtime/informers.js';
import type { ControllerMetrics } from './runtime/metrics.js';
import { namespacedResources } from './runtime/namespaced-resources.js';
import { RestActions } from './runtime/rest-actions.js';

/** Every controller by its --controllers name. */
export const CONTROLLERS: Record<string, (ctx: ControllerContext) => Controller> = {
  replicaset: newReplicaSetController,
  deployment: newDeploymentController,
  daemonset: newDaemonSetController,
  endpoints: newEndpointsController,
  nodelifecycle: newNodeLifecycleController,
  'taint-eviction': newTaintEvictionController,
  garbagecollector: newGarbageCollector,
  namespace: (ctx) => newNamespaceController(ctx, namespacedResources),
  nodeipam: newNodeIpamController,
  'clusterrole-aggregation': newClusterRoleAggregationController,
  serviceaccount: newServiceAccountController,
  'root-ca-cert-publisher': newRootCACertPublisher,
  csrapproving: newCsrApprovingController,
  csrsigning: newCsrSigningController,
  bootstrapsigner: newBootstrapSigner,
  tokencleaner: newTokenCleaner,
};

/** Not part of `*`, as in kube: named to run (kubeadm: `--controllers=*,bootstrapsigner,tokencleaner`). */
export const DISABLED_BY_DEFAULT = new Set(['bootstrapsigner', 'tokencleaner']);

/** Why an enabled controller cannot run with these options (kube logs that and starts the others), or undefined. */
export function cannotRun(name: string, options: ManagerOptions): string | undefined {
  if (name === 'root-ca-cert-publisher' && !options.rootCA) return '--root-ca-file is not set';
  if (name === 'csrsigning' && !options.clusterSigning) return '--cluster-signing-cert-file and --cluster-signing-key-file are not set';
  return undefined;
}

/**
 * kube's --controllers: "*" = all (default), "name" enables, "-name" disables. nodeipam also
 * needs --allocate-node-cidrs.
 */
export function enabledControllers(spec: readonly string[], allocateNodeCidrs: boolean): string[] {
  const all = Object.keys(CONTROLLERS);
  const items = spec.length ? spec : ['*'];
  for (const s of items) {
    const n = s.replace(/^-/, '');
    if (s !== '*' && !all.includes(n)) throw new Error(`unknown controller "${n}" (known: ${all.join(', ')})`);
  }
  const star = items.includes('*');
  return all.filter((n) => {
    if (items.includes(`-${n}`)) return false;
    if (n === 'nodeipam' && !allocateNodeCidrs) return false;
    return (star && !DISABLED_BY_DEFAULT.has(n)) || items.includes(n);
  });
}

export interface ManagerDeps {
  client: RestClient;
  log: Logger;
  clock: Clock;
  options: ManagerOptions;
  metrics?: ControllerMetrics;
  /** Event source host (reportingInstance). */
  identity?: string;
}

/** Builds the enabled controllers on shared informers and runs them until `signal` aborts. */
export class ControllerManager {
  readonly informers: SharedInformers;
  readonly controllers: Controller[];
  private readonly recorders: ApiEventRecorder[] = [];
  private synced = false;

  constructor(private readonly deps: ManagerDeps) {
    const { client, log, clock, options } = deps;
    this.informers = new SharedInformers(client, log.child({ component: 'informers' }));
    const actions = new RestActions(client);
    const now: Now = () => clock.now();
    const ctx: ControllerContext = {
      informers: this.informers,
      lister: listerFor(this.informers),
      actions,
      recorder: (component) => {
        const r = new ApiEventRecorder(actions, component, now, log.child({ component: 'events' }), deps.identity ?? '');
        this.recorders.push(r);
        return r;
      },
      now,
      clock,
      log,
      options,
    };
    const names = enabledControllers(options.controllers, options.allocateNodeCidrs).filter((n) => {
      const reason = cannotRun(n, options);
      if (reason) log.info({ controller: n, reason }, 'controller not started');
      return !reason;
    });
    this.controllers = names.map((n) => CONTROLLERS[n](ctx));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  async run(signal: AbortSignal): Promise<void> {
    const { log, metrics } = this.deps;
    // Every worker waits on the queue with this signal: many listeners are expected, not a leak.
    setMaxListeners(0, signal);
    this.informers.start(signal);
    await Promise.race([this.informers.synced(), new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    if (signal.aborted) return;
    this.synced = true;
    log.info({ controllers: this.controllers.map((c) => c.name) }, 'caches synced; starting controllers');
    await Promise.all(this.controllers.map((c) => new WorkerLoop({
      name: c.name, queue: c.queue, workers: c.workers, reconcile: (key) => c.sync(key), log: log.child({ controller: c.name }), metrics,
    }).run(signal)));
    await Promise.all(this.recorders.map((r) => r.flush()));
  }
}
