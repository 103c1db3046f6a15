/**
 * Per-resource behaviour the generic store calls at fixed points (Kubernetes' RESTCreateStrategy /
 * RESTUpdateStrategy / RESTDeleteStrategy, reduced to what tinykube needs). Every hook is optional.
 */
import type { KubeObject } from '@tinykube/api';

/** Undo/commit of side effects made while preparing a write (e.g. a reserved ClusterIP). */
export interface Reservation {
  /** The write failed or was retried: give back what was taken for it. */
  rollback(): Promise<void>;
  /** The write succeeded: release what the previous version held and no longer needs. */
  commit(): Promise<void>;
}

export const NO_RESERVATION: Reservation = { rollback: async () => {}, commit: async () => {} };

export interface WriteContext {
  dryRun: boolean;
  now: Date;
}

export interface Strategy {
  /** Resets what a client may not set on create (e.g. status), after system fields, before defaulting. */
  prepareForCreate?(obj: KubeObject, ctx: WriteContext): void;
  /**
   * Resets what this update may not change (kube's PrepareForUpdate), given the stored object: `subresource` is ''
   * for the main resource, else 'status' or 'approval'. Runs after the generic spec/status split, before defaulting.
   */
  prepareForUpdate?(next: KubeObject, old: KubeObject, subresource: string): void;
  /** Side effects needed by a create, e.g. allocating a ClusterIP; runs after defaulting, before validation. */
  reserveForCreate?(obj: KubeObject, ctx: WriteContext): Promise<Reservation>;
  reserveForUpdate?(obj: KubeObject, old: KubeObject, ctx: WriteContext): Promise<Reservation>;
  /** Runs after the object is gone from the store. */
  afterDelete?(obj: KubeObject): Promise<void>;
  /**
   * Graceful deletion: the grace period to apply (0 = delete now). Only pods are graceful in Kubernetes.
   * `requested` is DeleteOptions.gracePeriodSeconds.
   */
  gracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number;
  /** A store lease the object is attached to (events expire after an hour). */
  leaseFor?(obj: KubeObject): Promise<string | undefined>;
  /** Whether an object marked for deletion whose finalizers are gone may go now (namespaces: spec.finalizers too). */
  canFinishDeletion?(obj: KubeObject): boolean;
  /** Whether PUT on a missing object creates it (Kubernetes: endpoints, events, leases). */
  allowCreateOnUpdate?: boolean;
  /** Whether DELETE answers the deleted object (pods, services) rather than a Success Status. */
  returnDeletedObject?: boolean;
}
