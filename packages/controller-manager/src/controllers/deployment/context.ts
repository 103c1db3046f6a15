import type { Deployment, ReplicaSet } from '@tinykube/api';
import type { Actions, EventRecorder, Lister, Now } from '../../core/ports.js';

export interface DeploymentSyncDeps {
  lister: Lister;
  actions: Actions;
  recorder: EventRecorder;
  now: Now;
}

/**
 * One sync's working state. `d` and the ReplicaSets are replaced by what each write returns, so later
 * steps of the same sync see (and send) the newest resourceVersion, never a stale cached copy.
 */
export class SyncContext {
  private readonly rsByUid = new Map<string, ReplicaSet>();

  constructor(readonly deps: DeploymentSyncDeps, public d: Deployment) {}

  latest(rs: ReplicaSet): ReplicaSet {
    return this.rsByUid.get(rs.metadata.uid ?? '') ?? rs;
  }

  remember(rs: ReplicaSet): ReplicaSet {
    this.rsByUid.set(rs.metadata.uid ?? '', rs);
    return rs;
  }

  all(list: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
    return list.filter((x): x is ReplicaSet => !!x).map((x) => this.latest(x));
  }
}
