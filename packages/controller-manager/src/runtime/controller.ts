import { WorkQueue, type Clock } from '@tinykube/client';
import type { Logger } from 'pino';
import type { Actions, EventRecorder, Lister, Now, SyncResult } from '../core/ports.js';
import type { SharedInformers } from './informers.js';

/** Flags that shape the controllers (see main.ts for their names and defaults). */
export interface ManagerOptions {
  controllers: string[];
  nodeMonitorGracePeriodMs: number;
  podEvictionTimeoutSeconds: number;
  nodeEvictionRate: number;
  clusterCidr: string;
  nodeCidrMaskSize: number;
  allocateNodeCidrs: boolean;
  /** Workers per controller name (--concurrent-<name>-syncs). */
  concurrency: Record<string, number>;
  /** The cluster CA bundle (PEM) read from --root-ca-file; without it root-ca-cert-publisher does not run. */
  rootCA?: string;
  /** The CA csrsigning signs with (--cluster-signing-cert-file/--cluster-signing-key-file, read by main.ts). */
  clusterSigning?: { certPem: string; keyPem: string };
  /** --cluster-signing-duration: the longest certificate csrsigning issues (default 1 year). */
  clusterSigningDurationMs?: number;
  /** --cluster-info-server: with rootCA, bootstrapsigner creates a missing kube-public/cluster-info for this URL. */
  clusterInfoServer?: string;
  /** tinykube: `<id>.<secret>` from --bootstrap-token-file; bootstrapsigner creates its Secret when missing. */
  bootstrapToken?: string;
}

/** What every controller is built from. */
export interface ControllerContext {
  informers: SharedInformers;
  lister: Lister;
  actions: Actions;
  recorder(component: string): EventRecorder;
  now: Now;
  clock: Clock;
  log: Logger;
  options: ManagerOptions;
}

/** A built controller: its queue (fed by the informer handlers it registered) and its sync; the manager runs it with @tinykube/client's Controller. */
export interface Controller {
  name: string;
  queue: WorkQueue<string>;
  workers: number;
  sync(key: string): Promise<SyncResult>;
}

export function newQueue(ctx: ControllerContext): WorkQueue<string> {
  return new WorkQueue<string>({ clock: ctx.clock });
}
