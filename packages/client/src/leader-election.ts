import { pino, type Logger } from 'pino';
import { formatMicroTime, realClock, sleep, type Clock } from './clock.js';
import { isAlreadyExists, isConflict, isNotFound, LeaseSchema, stripNulls, type Lease } from '@tinykube/api';
import type { RestClient } from './rest.js';
import type { ResourceRef } from './types.js';

export const leasesResource: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

type LeaseSpec = NonNullable<Lease['spec']>;
/** Leases as the api's schema reads them (nulls, which some clients write, count as absent). */
const parseLease = (obj: unknown): Lease => LeaseSchema.parse(stripNulls(obj));

export interface LeaderElectionOptions {
  client: RestClient;
  namespace: string;
  /** The Lease's name, e.g. "kube-scheduler". */
  name: string;
  /** Unique per candidate, e.g. hostname + random suffix. */
  identity: string;
  /** How long a lease stays valid without renewal, as seen by the others (default 15 s). */
  leaseDurationMs?: number;
  /** The leader gives up if it cannot renew for this long (default 10 s); must be < leaseDurationMs. */
  renewDeadlineMs?: number;
  /** Time between tries, leader and candidates alike (default 2 s). */
  retryPeriodMs?: number;
  /** On stop, clear the holder so a standby takes over at once instead of after leaseDuration (default true). */
  releaseOnCancel?: boolean;
  clock?: Clock;
  logger?: Logger;
  /** Called on winning; `signal` aborts when leadership ends (lost or stopped). Errors are logged. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading?(): void;
  /** Called whenever a different holder is observed (including ourselves). */
  onNewLeader?(identity: string): void;
}

/**
 * client-go's leaderelection over a coordination.k8s.io/v1 Lease. Expiry is judged from when *we*
 * last saw the lease record change on our clock, never from the timestamps in it, so clock skew
 * between machines cannot make two leaders. Writes use the Lease's resourceVersion (optimistic
 * concurrency): of two candidates racing for an expired lease, one gets 409 and stays standby.
 */
export class LeaderElector {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { record: string; holder: string; at: number; lease: Lease } | undefined;
  private leading = false;
  private reportedLeader: string | undefined;

  constructor(private readonly o: LeaderElectionOptions) {
    this.clock = o.clock ?? realClock;
    this.log = (o.logger ?? pino({ level: 'silent' })).child({ component: 'leader-election', lease: `${o.namespace}/${o.name}`, identity: o.identity });
    this.leaseDurationMs = o.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = o.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs) throw new RangeError('renewDeadlineMs must be less than leaseDurationMs');
    if (this.retryPeriodMs >= this.renewDeadlineMs) throw new RangeError('retryPeriodMs must be less than renewDeadlineMs');
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed ('' when none). */
  getLeader(): string {
    return this.observed?.holder ?? '';
  }

  /**
   * Campaigns until elected, leads while renewals succeed, and returns when leadership is lost or
   * `signal` aborts. Components normally exit when this returns without a stop request.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const term = new AbortController();
    this.leading = true;
    this.log.info({}, 'became leader');
    void Promise.resolve()
      .then(() => this.o.onStartedLeading(term.signal))
      .catch((err: unknown) => this.log.error({ err }, 'onStartedLeading failed'));
    try {
      await this.renewLoop(signal);
    } finally {
      this.leading = false;
      term.abort(new Error('leadership ended'));
      if (signal.aborted && this.o.releaseOnCancel !== false) await this.release();
      this.log.info({ stopped: signal.aborted }, 'stopped leading');
      this.o.onStoppedLeading?.();
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) return true;
      try {
        await sleep(this.clock, this.retryPeriodMs, signal);
      } catch {
        return false;
      }
    }
    return false;
  }

  /** Renews every retryPeriod; returns when stopped or when renewals failed for renewDeadline. */
  private async renewLoop(signal: AbortSignal): Promise<void> {
    let lastRenew = this.clock.now();
    for (;;) {
      try {
        await sleep(this.clock, this.retryPeriodMs, signal);
      } catch {
        return;
      }
      if (await this.tryAcquireOrRenew()) {
        lastRenew = this.clock.now();
        continue;
      }
      if (this.clock.now() - lastRenew >= this.renewDeadlineMs) {
        this.log.warn({ lastRenew: formatMicroTime(lastRenew) }, 'failed to renew lease within the deadline; leadership lost');
        return;
      }
    }
  }

  /** One round: read the lease, and take or renew it if it is ours or has expired. False on any failure. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity } = this.o;
    const now = this.clock.now();
    const nowStr = formatMicroTime(now);
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    let current: Lease;
    try {
      current = parseLease(await client.get(leasesResource, name, { namespace }));
    } catch (err) {
      if (!isNotFound(err)) {
        this.log.warn({ err }, 'cannot read lease');
        return false;
      }
      const fresh = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: nowStr, renewTime: nowStr, leaseTransitions: 0 } };
      try {
        this.observe(parseLease(await client.create(leasesResource, fresh)), now);
        return true;
      } catch (err2) {
        if (!isAlreadyExists(err2)) this.log.warn({ err: err2 }, 'cannot create lease');
        return false;
      }
    }

    this.observe(current, now);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const heldByOther = holder !== '' && holder !== identity;
    // The lease's own duration counts (the holder chose it); ours is the fallback.
    const validForMs = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (heldByOther && this.observed!.at + validForMs > now) return false;

    const next: LeaseSpec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      renewTime: nowStr,
      acquireTime: holder === identity ? (spec.acquireTime ?? nowStr) : nowStr,
      leaseTransitions: holder === identity ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
    };
    try {
      this.observe(parseLease(await client.update(leasesResource, { ...current, spec: next })), now);
      return true;
    } catch (err) {
      if (!isConflict(err)) this.log.warn({ err }, 'cannot update lease');
      return false;
    }
  }

  /** Remembers the record and when it last changed on our clock; reports a new holder. */
  private observe(lease: Lease, now: number): void {
    const spec = lease.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity ?? '', spec.renewTime ?? '', spec.acquireTime ?? '', spec.leaseTransitions ?? 0, spec.leaseDurationSeconds ?? 0]);
    if (!this.observed || this.observed.record !== record) this.observed = { record, holder: spec.holderIdentity ?? '', at: now, lease };
    else this.observed.lease = lease;
    const holder = this.observed.holder;
    if (holder && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      try {
        this.o.onNewLeader?.(holder);
      } catch (err) {
        this.log.error({ err }, 'onNewLeader failed');
      }
    }
  }

  /** Clears the holder so that a standby need not wait for the lease to expire. */
  private async release(): Promise<void> {
    const lease = this.observed?.lease;
    if (!lease || lease.spec?.holderIdentity !== this.o.identity) return;
    const now = formatMicroTime(this.clock.now());
    const spec: LeaseSpec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
    try {
      await this.o.client.update(leasesResource, { ...lease, spec });
      this.log.info({}, 'released lease');
    } catch (err) {
      this.log.warn({ err }, 'cannot release lease');
    }
  }
}
