import { rmSync } from 'node:fs';
import type { Pod } from '@tinykube/api';
import { isNotFound, sleep, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import type { PodCheckpoint } from './checkpoint.js';
import { podDir } from './logs.js';
import { isMirrorPod } from './mirror.js';
import { PodWorker, type PodSource, type PodWorkerDeps } from './pod-worker.js';
import type { StaticPod } from './static-pods.js';
import { podsResource } from './status-manager.js';

export interface PodManagerOptions {
  workerDeps: PodWorkerDeps;
  log: Logger;
  /** Absent in standalone mode (static pods only). */
  client?: RestClient;
}

function graceSeconds(pod: Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
}

/**
 * The desired pods of this node — from the apiserver (pods bound here) and from the manifest folder
 * (static pods) — and one PodWorker per pod uid. A pod that disappears from its source is stopped;
 * an apiserver pod being deleted is stopped, then its deletion is confirmed (DELETE with grace 0).
 */
export class PodManager {
  readonly workers = new Map<string, PodWorker>();
  private readonly finishing = new Map<string, Promise<void>>();
  private readonly log: Logger;

  constructor(private readonly o: PodManagerOptions) {
    this.log = o.log.child({ component: 'pod-manager' });
  }

  /** Re-creates workers from checkpoints (a kubelet restart): their containers are adopted, not restarted. */
  restore(cps: PodCheckpoint[]): void {
    for (const cp of cps) {
      if (this.workers.has(cp.uid)) continue;
      const w = new PodWorker(this.o.workerDeps, cp.pod, cp.source, cp);
      this.workers.set(cp.uid, w);
      this.log.info({ uid: cp.uid, pod: `${w.namespace}/${w.name}`, source: cp.source }, 'restored pod from checkpoint');
      if (!w.isTerminating()) w.kick();
    }
  }

  /**
   * Reconciles one apiserver pod (by namespace/name) against the informer cache: `pod` is the cached
   * object, undefined once it is gone. Workers of that name with another uid (deleted, or deleted and
   * re-created) are stopped; the current pod is run or updated.
   */
  syncApiPod(namespace: string, name: string, pod: Pod | undefined): void {
    const uid = pod?.metadata?.uid;
    for (const w of this.workers.values()) {
      if (w.source === 'api' && w.namespace === namespace && w.name === name && w.uid !== uid) void this.finish(w, false);
    }
    if (pod) this.upsertApiPod(pod);
  }

  /** A pod from the apiserver was added or changed. */
  private upsertApiPod(pod: Pod): void {
    if (isMirrorPod(pod)) return;
    const uid = pod.metadata?.uid ?? '';
    let w = this.workers.get(uid);
    if (!w) {
      const phase = pod.status?.phase;
      if (pod.metadata?.deletionTimestamp) {
        // Nothing of it runs here (any more): confirm the deletion at once.
        void this.confirmDeletion(pod);
        return;
      }
      if (phase === 'Succeeded' || phase === 'Failed') return; // finished before: never run again
      w = this.spawn(pod, 'api');
    } else w.update(pod);
    if (pod.metadata?.deletionTimestamp) void this.finish(w, true);
  }

  /** After the pod informer synced: API pods we run (from checkpoints) that no longer exist are stopped. */
  retainApiPods(uids: Set<string>): void {
    for (const w of this.workers.values()) if (w.source === 'api' && !uids.has(w.uid)) void this.finish(w, false);
  }

  /** The full set of static pods (after each read of the manifest folder). */
  setStaticPods(pods: StaticPod[]): void {
    const want = new Set(pods.map((p) => p.hash));
    for (const w of this.workers.values()) if (w.source === 'file' && !want.has(w.uid)) void this.finish(w, false);
    for (const sp of pods) if (!this.workers.has(sp.hash)) this.spawn(sp.pod, 'file');
  }

  /** Running (not terminating) workers. */
  active(): PodWorker[] {
    return [...this.workers.values()].filter((w) => !w.isTerminating());
  }

  /** Stops timers; containers keep running (kubelet shutdown). */
  close(): void {
    for (const w of this.workers.values()) w.close();
  }

  /** Resolves when every pending termination is done (tests). */
  async drained(): Promise<void> {
    await Promise.all(this.finishing.values());
  }

  private spawn(pod: Pod, source: PodSource): PodWorker {
    const w = new PodWorker(this.o.workerDeps, pod, source);
    this.workers.set(w.uid, w);
    this.log.info({ uid: w.uid, pod: `${w.namespace}/${w.name}`, source }, 'pod added');
    w.kick();
    return w;
  }

  /** Stops a pod's containers, confirms an API deletion if asked, then forgets the pod. */
  private finish(w: PodWorker, confirm: boolean): Promise<void> {
    const existing = this.finishing.get(w.uid);
    if (existing) return existing;
    const p = (async () => {
      await w.terminate(graceSeconds(w.pod));
      this.o.workerDeps.onStatus(w);
      if (confirm) await this.confirmDeletion(w.pod);
      w.close();
      this.workers.delete(w.uid);
      this.o.workerDeps.ipam.release(w.uid);
      this.o.workerDeps.tokens?.deleteServiceAccountToken?.(w.uid);
      rmSync(podDir(this.o.workerDeps.rootDir, w.uid), { recursive: true, force: true });
      this.log.info({ uid: w.uid, pod: `${w.namespace}/${w.name}` }, 'pod removed');
    })().finally(() => this.finishing.delete(w.uid));
    this.finishing.set(w.uid, p);
    return p;
  }

  /** DELETE with grace 0 and a uid precondition, retried a few times; 404 means done. */
  private async confirmDeletion(pod: Pod): Promise<void> {
    const client = this.o.client;
    if (!client) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await client.delete(podsResource, pod.metadata?.name ?? '', {
          namespace: pod.metadata?.namespace, gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid ?? '' },
        });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        this.log.warn({ err, pod: `${pod.metadata?.namespace}/${pod.metadata?.name}` }, 'confirming pod deletion failed; retrying');
        await sleep(this.o.workerDeps.clock, 1000 * 2 ** attempt).catch(() => undefined);
      }
    }
  }
}
